/**
 * Runs a benchmark app the way `cdk synth` and `cdktf synth` run one: from the top-level code of a module that node
 * is loading (`npx ts-node --prefer-ts-exts bin/app.ts` in `cdk init`'s cdk.json, `npx ts-node main.ts` in cdktf's),
 * so the constructs are created under the same frames as in a user's app: the module's code, `Module._compile`,
 * ts-node's compile hook, `Module.load`, ...
 *
 * This matters because aws-cdk-lib records a creation stack trace (`aws:cdk:creationStack`, `Error.stackTraceLimit`
 * frames, 10 by default) for every CloudFormation resource, and under ts-node each recorded frame is mapped through
 * source-map-support. Called from a shallow stack (the benchmark child's `main`, then its async caller), a trace
 * had 5 or 6 frames, so every frame a construct library adds (a static factory, a subclass constructor) was one
 * more mapped frame per resource, which a real app never pays: its traces are always cut at 10 frames, and a
 * library's frames take the place of loader frames. (Measured on B1: the plain L2 `iam.Role` called through two
 * extra functions took 511 ms against 380 ms called directly, 1.34x, from the shallow stack.) cdktf records whole
 * traces (no limit) for its lazy values and dynamic blocks: there a real app's loader frames cost both sides alike.
 */
import * as path from 'path';

/** The app module the benchmark requires; its top-level code calls {@link runLoadingApp}. */
const APP_MODULE = path.join(__dirname, 'app-entry.ts');

/** What the app module being loaded runs: set for the duration of one {@link buildAsLoadedApp}. */
const loading: { build?: () => void } = {};

/** Called by the app module's top-level code. */
export function runLoadingApp(): void {
  if (loading.build === undefined) throw new Error(`${APP_MODULE} was required outside buildAsLoadedApp`);
  loading.build();
}

/** Runs `build` from the top-level code of a freshly required app module and returns what it returned. */
export function buildAsLoadedApp<T>(build: () => T): T {
  let result: { value: T } | undefined;
  loading.build = () => {
    result = { value: build() };
  };
  delete require.cache[APP_MODULE];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(APP_MODULE);
  } finally {
    loading.build = undefined;
    delete require.cache[APP_MODULE];
  }
  if (result === undefined) throw new Error(`${APP_MODULE} did not build the app`);
  return result.value;
}
