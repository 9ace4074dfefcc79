/**
 * B3: CDKTF synth of N Snowflake workload users + N Entra federated identity credentials (N/20 applications):
 * cdk-keyless constructs (A) vs the raw provider classes (B), from the same plan.json text.
 */
import { tempOutdir } from '../apps/cdk-app';
import { removeTfOutdir, synthLibTf, synthRawTf, tfFacts } from '../apps/cdktf-app';
import { buildAsLoadedApp } from '../apps/loaded-app';
import { planJson } from '../apps/plan';
import { RunResult, Scenario } from '../harness/scenario';

export interface B3Params {
  readonly workloads: number;
}

const BUILDERS = { A: synthLibTf, B: synthRawTf } as const;

export const scenario: Scenario<B3Params> = {
  prepare: (_variant, params) => planJson(params.workloads),
  warmupParams: (params) => ({ ...params, workloads: 20 }),
  run(variant, _params, prepared): RunResult {
    const build = BUILDERS[variant as keyof typeof BUILDERS];
    const out = buildAsLoadedApp(() => build(prepared as string, tempOutdir(`b3${variant}`)));
    return { keep: out, facts: () => tfFacts(out), cleanup: () => removeTfOutdir(out) };
  },
};
