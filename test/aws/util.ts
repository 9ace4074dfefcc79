import * as fs from 'fs';
import * as path from 'path';

/**
 * The federation construct stages `lib/aws/federation-handler/index.js`, which `npx jsii` compiles in
 * place. When tests run without a build, compile that one file the same way so the asset exists.
 */
export function ensureHandlerCompiled(): void {
  const dir = path.join(__dirname, '..', '..', 'lib', 'aws', 'federation-handler');
  const ts = path.join(dir, 'index.ts');
  const js = path.join(dir, 'index.js');
  if (fs.existsSync(js) && fs.statSync(js).mtimeMs >= fs.statSync(ts).mtimeMs) {
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const typescript = require('typescript') as typeof import('typescript');
  const out = typescript.transpileModule(fs.readFileSync(ts, 'utf8'), {
    compilerOptions: { module: typescript.ModuleKind.CommonJS, target: typescript.ScriptTarget.ES2022, esModuleInterop: true },
  });
  fs.writeFileSync(js, out.outputText);
}

export { errorOf } from '../support/validation-error';

export const ISSUER = 'https://a1d2b0fd-1177-4468-9351-2f0000000723.tokens.sts.global.api.aws';
export const OTHER_ISSUER = 'https://0b5e2c1d-0000-4000-8000-000000000001.tokens.sts.global.api.aws';
