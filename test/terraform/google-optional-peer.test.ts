/**
 * @cdktf/provider-google is an OPTIONAL peer dependency (about 300 MB): loading cdk-keyless must not load it, so an
 * app that never builds a GcpWorkloadIdentityPool works without it installed. Checked in a fresh node process (jest's
 * module registry would hide what a plain `require` loads).
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');

function modulesLoadedBy(code: string): string[] {
  const script = `
    require('ts-node').register({ transpileOnly: true, preferTsExts: true, project: ${JSON.stringify(path.join(root, 'tsconfig.json'))},
      compilerOptions: { module: 'commonjs', rootDir: ${JSON.stringify(root)}, sourceMap: false, inlineSourceMap: false } });
    ${code}
    process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes('provider-google'))));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
}

test('require("cdk-keyless") loads no module of @cdktf/provider-google; building a pool loads only the three it uses', () => {
  expect(modulesLoadedBy(`require(${JSON.stringify(path.join(root, 'lib', 'index.ts'))});`)).toEqual([]);
  const loaded = modulesLoadedBy(`
    const { App, TerraformStack } = require('cdktf');
    const { GcpWorkloadIdentityPool } = require(${JSON.stringify(path.join(root, 'lib', 'index.ts'))});
    new GcpWorkloadIdentityPool(new TerraformStack(new App(), 's'), 'p', { poolId: 'aws-pool', providerId: 'aws-prov',
      issuerUrl: 'https://0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.tokens.sts.global.api.aws', audiences: ['gcp'], roleArns: ['arn:aws:iam::111122223333:role/etl'] });`);
  // node_modules may be a symlink: read the part after the package folder.
  const submodules = [...new Set(loaded.map((f) => /provider-google[\\/](lib[\\/][^\\/]+)/.exec(f)?.[1]?.replace(/\\/g, '/')).filter((f): f is string => f !== undefined))];
  expect(submodules).toEqual(expect.arrayContaining(['lib/iam-workload-identity-pool', 'lib/iam-workload-identity-pool-provider', 'lib/service-account-iam-member']));
  expect(loaded.some((f) => /provider-google[\\/]lib[\\/]index\.js$/.test(f))).toBe(false);
}, 120_000);
