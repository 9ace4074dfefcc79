/**
 * `keyless check` loads `jose` (token simulation), `yaml` (YAML templates, Kubernetes authentication configurations,
 * YAML exemptions) and `@cdktf/hcl2json` (HCL) only when the check needs them: `jose` and `yaml` loaded on every start
 * were about a quarter of the CLI's time on a 1,000-resource Terraform JSON check that uses neither. Checked in a fresh node process (jest's module
 * registry would hide what a plain `require` loads) that runs the CLI's `main` from the TypeScript sources through
 * test/support/ts-register.js, and reports which of the two packages are in require.cache after each step.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const register = path.join(root, 'test', 'support', 'ts-register.js');
const inputs = path.join(root, 'test', 'fixtures', 'inputs');

const script = `
  const path = require('path');
  const { main } = require(${JSON.stringify(path.join(root, 'lib', 'cli', 'main.ts'))});
  const { simulatePairs } = require(${JSON.stringify(path.join(root, 'lib', 'guardrails', 'federation', 'simulate.ts'))});
  const loaded = () => ['jose', 'yaml', '@cdktf/hcl2json'].filter((pkg) => Object.keys(require.cache).some((f) => f.includes(path.sep + 'node_modules' + path.sep + pkg.replace('/', path.sep) + path.sep)));
  const io = { stdout: () => {}, stderr: () => {}, cwd: ${JSON.stringify(root)}, env: {}, stderrIsTty: false };
  (async () => {
    const steps = {};
    steps.terraform = { code: await main(['check', ${JSON.stringify(path.join(inputs, 'terraform-json', 'main.tf.json'))}, '--format', 'json'], io), loaded: loaded() };
    steps.noPairs = { refused: (await simulatePairs([])).size, loaded: loaded() };
    steps.yamlTemplate = { code: await main(['check', ${JSON.stringify(path.join(inputs, 'cfn', 'all-tags.yaml'))}, '--format', 'json'], io), loaded: loaded() };
    const issuer = 'https://4d2c6f1e-8b3a-4c5d-9e7f-1a2b3c4d5e6f.tokens.sts.global.api.aws';
    const arn = 'arn:aws:iam::111122223333:role/workloads/orders-etl';
    const pair = { workload: arn, target: 'fic', targetKind: 'entra', audience: 'api://AzureADTokenExchange', algorithm: 'RS256', reachable: true };
    const trust = { issuer, audience: 'api://AzureADTokenExchange', algorithms: ['RS256'], subject: arn, subjectMatch: 'exact' };
    const verdicts = await simulatePairs([{ pair, workload: { arn, account: '111122223333' }, trust, issuer }]);
    steps.onePair = { refusedBy: verdicts.has(pair) ? verdicts.get(pair) ?? null : 'not simulated', loaded: loaded() };
    steps.hcl = { code: await main(['check', ${JSON.stringify(path.join(inputs, 'hcl'))}, '--format', 'json'], io), loaded: loaded() };
    // the HCL parser's WebAssembly runtime keeps a process alive (bin/keyless exits explicitly too)
    process.stdout.write(JSON.stringify(steps), () => process.exit(0));
  })().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(3); });`;

test('a Terraform JSON check without federation pairs loads none of jose, yaml and hcl2json; a YAML template loads yaml, a pair to simulate jose, HCL hcl2json', () => {
  const steps = JSON.parse(execFileSync(process.execPath, ['-r', register, '-e', script], { cwd: root, encoding: 'utf8' })) as Record<string, Record<string, unknown>>;
  expect(steps).toEqual({
    // the fixture has findings (exit 1) and no workload -> trust pair
    terraform: { code: 1, loaded: [] },
    noPairs: { refused: 0, loaded: [] },
    yamlTemplate: { code: 1, loaded: ['yaml'] },
    // the simulated token verifies (no refusal), with jose loaded for it
    onePair: { refusedBy: null, loaded: ['jose', 'yaml'] },
    hcl: { code: 1, loaded: ['jose', 'yaml', '@cdktf/hcl2json'] },
  });
}, 120_000);
