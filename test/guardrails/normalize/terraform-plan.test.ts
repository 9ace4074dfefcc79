/**
 * A Terraform plan as `terraform show -json tfplan` prints it (fixture terraform-plan/tfplan.json, in the shape of
 * Terraform 1.9's JSON output format 1.2): read as given, only when given as a PATH; every instance and module at its
 * own address, the planned values, the root module's provider configurations, and one note for what is known only
 * after apply. Routes: `loadPath` and `keyless check` (findings and the federation graph).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliIo, main } from '../../../lib/cli/main';
import { loadPath } from '../../../lib/guardrails/normalize/load';
import { looksLikeTerraformPlan, normalizeTerraformPlan } from '../../../lib/guardrails/normalize/terraform-plan';
import { InputError } from '../../../lib/guardrails/normalize/input-error';

const PLAN = path.join(__dirname, '..', '..', 'fixtures', 'inputs', 'terraform-plan', 'tfplan.json');
const ISSUER = 'https://4d2c6f1e-8b3a-4c5d-9e7f-1a2b3c4d5e6f.tokens.sts.global.api.aws';

describe('loadPath on a plan', () => {
  test('resources at the plan\'s addresses (instances and modules expanded), data sources, the root providers', async () => {
    const [set] = await loadPath(PLAN);
    expect(set.engine).toBe('terraform');
    expect(set.resources.map((r) => [r.kind, r.address, r.provider])).toEqual([
      ['provider', 'provider.aws', undefined],
      ['provider', 'provider.snowflake', undefined],
      ['provider', 'provider.azuread', undefined],
      ['resource', 'aws_iam_user.ci["deploy"]', 'provider.aws'],
      ['resource', 'aws_iam_access_key.ci["deploy"]', undefined],
      ['resource', 'aws_iam_role.etl', 'provider.aws'],
      ['resource', 'snowflake_user.legacy', undefined],
      ['resource', 'snowflake_service_user.etl', undefined],
      ['resource', 'snowflake_execute.etl_workload_identity', undefined],
      ['resource', 'azuread_application_federated_identity_credential.etl', 'provider.azuread'],
      ['data', 'data.aws_caller_identity.current', undefined],
      // a module's resources: the plan does not say plainly which configuration its call passes
      ['resource', 'module.bots[0].aws_iam_access_key.this', null],
    ]);
    expect(set.resources[0].properties).toEqual({ region: 'eu-west-1', allowed_account_ids: ['111122223333'] });
    // known only after apply: the subject is read as the reference the configuration wrote
    expect(set.resources.find((r) => r.address === 'azuread_application_federated_identity_credential.etl')?.properties.subject).toBe('${aws_iam_role.etl.arn}');
    expect(set.resources.find((r) => r.address === 'aws_iam_role.etl')?.properties.path).toBe('/workloads/');
    expect(set.notes).toEqual([`${PLAN}: a Terraform plan: 3 resources have values known only after apply (ARNs, generated ids), which are not read; references between resources are read as the values they planned`]);
  });

  test('a plan in a directory walk is not read (it repeats the configuration beside it), and a note says so; a state (values) is read like a plan', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-plan-'));
    try {
      fs.copyFileSync(PLAN, path.join(dir, 'tfplan.json'));
      fs.writeFileSync(path.join(dir, 'main.tf'), 'resource "aws_iam_user" "u" {\n  name = "u"\n}\n');
      const walked = await loadPath(dir);
      expect(walked.map((s) => s.resources.map((r) => r.address))).toEqual([['aws_iam_user.u']]);
      // not read, but never skipped silently
      expect(walked[0].notes).toEqual([`${path.join(dir, 'tfplan.json')}: a Terraform plan (terraform show -json), not read in a directory walk because it repeats the configuration beside it; give it as a PATH to check it`]);
      const plan = JSON.parse(fs.readFileSync(PLAN, 'utf8'));
      const state = { format_version: '1.0', terraform_version: plan.terraform_version, values: plan.planned_values };
      expect(normalizeTerraformPlan(state, 'state.json').resources.map((r) => r.address)).toContain('module.bots[0].aws_iam_access_key.this');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('what is not a plan is refused by the plan reader naming the place', () => {
    expect(looksLikeTerraformPlan({ format_version: '1.2' })).toBe(false);
    const bad = { format_version: '1.2', terraform_version: '1.9.5', planned_values: { root_module: { resources: [{ address: 'x' }] } } };
    expect(() => normalizeTerraformPlan(bad, 'p.json')).toThrow(new InputError('p.json', 'planned_values.root_module.resources[0] is not a resource (needs address and type)'));
  });
});

describe('keyless check on a plan', () => {
  let code: number;
  let json: any;
  beforeAll(async () => {
    let stdout = '';
    const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: () => undefined, cwd: path.dirname(PLAN), env: { KEYLESS_NOW: '2026-12-01' }, stderrIsTty: false };
    code = await main(['check', 'tfplan.json', '--issuer', `111122223333=${ISSUER}`, '--format', 'json'], io);
    json = JSON.parse(stdout);
  });

  test('fallback credentials and trusts at the plan\'s addresses: keys of an instance and of a module instance, a password, a wildcard subject', () => {
    expect(code).toBe(1);
    expect(json.findings.map((f: any) => [f.ruleId, f.resource]).sort()).toEqual([
      ['KL-AWS-01', 'aws_iam_access_key.ci["deploy"]'],
      ['KL-AWS-01', 'module.bots[0].aws_iam_access_key.this'],
      ['KL-SF-01', 'snowflake_user.legacy'],
      ['KL-SF-05', 'snowflake_service_user.etl'],
      ['KL-TR-02', 'aws_iam_role.etl'],
    ]);
    for (const f of json.findings) expect(f.message).not.toContain('Summer2026-loader-pw');
  });

  test('the role is in the account of its provider configuration: its tokens reach the Snowflake user and the Entra credential whose subject is known only after apply', () => {
    expect(json.federation).toEqual(expect.arrayContaining([
      {
        workload: 'arn:aws:iam::111122223333:role/workloads/orders-etl', target: 'snowflake_execute.etl_workload_identity', targetKind: 'snowflake',
        audience: 'snowflakecomputing.com', algorithm: 'ES384', reachable: true,
      },
      {
        workload: 'arn:aws:iam::111122223333:role/workloads/orders-etl', target: 'azuread_application_federated_identity_credential.etl', targetKind: 'entra',
        audience: 'api://AzureADTokenExchange', algorithm: 'RS256', reachable: true,
      },
    ]));
    expect(json.federation).toHaveLength(2);
  });
});
