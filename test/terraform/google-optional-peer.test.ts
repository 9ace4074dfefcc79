/**
 * @cdktf/provider-google is an OPTIONAL peer dependency (about 300 MB): loading cdk-keyless must not load it, so an
 * app that never builds a GcpWorkloadIdentityPool works without it installed. Checked in a fresh node process (jest's
 * module registry would hide what a plain `require` loads) that loads the TypeScript sources through
 * test/support/ts-register.js (the transpile cache the CLI tests share). One process answers both questions: the
 * provider-google modules in require.cache after `require("cdk-keyless")` alone, then after building a pool (which
 * requires cdk-keyless first, as a fresh process for the second question would).
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const register = path.join(root, 'test', 'support', 'ts-register.js');
const index = path.join(root, 'lib', 'index.ts');

const script = `
  const googleModules = () => Object.keys(require.cache).filter((k) => k.includes('provider-google'));
  require(${JSON.stringify(index)});
  const afterIndex = googleModules();
  const { App, TerraformStack } = require('cdktf');
  const { GcpWorkloadIdentityPool } = require(${JSON.stringify(index)});
  new GcpWorkloadIdentityPool(new TerraformStack(new App(), 's'), 'p', { poolId: 'aws-pool', providerId: 'aws-prov',
    issuerUrl: 'https://0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.tokens.sts.global.api.aws', audiences: ['gcp'], roleArns: ['arn:aws:iam::111122223333:role/etl'] });
  process.stdout.write(JSON.stringify({ afterIndex, afterPool: googleModules() }));`;

test('require("cdk-keyless") loads no module of @cdktf/provider-google; building a pool loads only the three it uses', () => {
  const { afterIndex, afterPool: loaded } = JSON.parse(execFileSync(process.execPath, ['-r', register, '-e', script], { cwd: root, encoding: 'utf8' })) as {
    afterIndex: string[];
    afterPool: string[];
  };
  expect(afterIndex).toEqual([]);
  // node_modules may be a symlink: read the part after the package folder.
  const submodules = [...new Set(loaded.map((f) => /provider-google[\\/](lib[\\/][^\\/]+)/.exec(f)?.[1]?.replace(/\\/g, '/')).filter((f): f is string => f !== undefined))];
  expect(submodules).toEqual(expect.arrayContaining(['lib/iam-workload-identity-pool', 'lib/iam-workload-identity-pool-provider', 'lib/service-account-iam-member']));
  expect(loaded.some((f) => /provider-google[\\/]lib[\\/]index\.js$/.test(f))).toBe(false);
}, 120_000);
