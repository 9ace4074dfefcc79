/**
 * `data.aws_caller_identity.NAME.account_id` read as the account of the data source's provider configuration, in
 * the shapes Terraform configurations use it: an ARN template at the root, inside a module whose call passes a
 * provider, and the cases left as written.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadPath } from '../../../lib/guardrails/normalize/load';
import { normalizeTerraformJson } from '../../../lib/guardrails/normalize/terraform-json';
import type { NormalizedSet } from '../../../lib/guardrails/normalize/set';

const get = (set: NormalizedSet, address: string) => set.resources.find((r) => r.address === address)!.properties;

describe('Terraform JSON (cdktf output): the root module', () => {
  const config = (provider: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    provider: { aws: [provider] },
    data: { aws_caller_identity: { current: {} } },
    resource: {
      azuread_application_federated_identity_credential: {
        etl: {
          subject: 'arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/workloads/etl',
          description: '${data.aws_caller_identity.current.account_id}',
          display_name: '${format("etl-%s", data.aws_caller_identity.current.account_id)}',
          name: '${upper(data.aws_caller_identity.current.account_id)}',
          audiences: ['api://AzureADTokenExchange'],
          issuer: 'https://4d2c6f1e-8b3a-4c5d-9e7f-1a2b3c4d5e6f.tokens.sts.global.api.aws',
          notes: 'escaped: $${data.aws_caller_identity.current.account_id}',
          ...extra,
        },
      },
    },
  });

  test('allowed_account_ids with one account: the reference alone and inside a template read as the account', () => {
    const props = get(normalizeTerraformJson(config({ region: 'eu-west-1', allowed_account_ids: ['111122223333'] }), 'cdk.tf.json'), 'azuread_application_federated_identity_credential.etl');
    expect(props.subject).toBe('arn:aws:iam::111122223333:role/workloads/etl');
    expect(props.description).toBe('111122223333');
    // format's %s interpolates it as a template does; another function and an escaped `$${` are left as written
    expect(props.display_name).toBe('etl-111122223333');
    expect(props.name).toBe('${upper(data.aws_caller_identity.current.account_id)}');
    expect(props.notes).toBe('escaped: $${data.aws_caller_identity.current.account_id}');
  });

  test('an assume_role with a literal role ARN names the account; two allowed accounts, or none, leave it as written', () => {
    const assumed = normalizeTerraformJson(config({ assume_role: [{ role_arn: 'arn:aws:iam::444455556666:role/deploy' }] }), 'cdk.tf.json');
    expect(get(assumed, 'azuread_application_federated_identity_credential.etl').subject).toBe('arn:aws:iam::444455556666:role/workloads/etl');
    for (const provider of [{ allowed_account_ids: ['111122223333', '444455556666'] }, { region: 'eu-west-1' }, { assume_role: [{ role_arn: '${var.deploy_role}' }] }]) {
      const set = normalizeTerraformJson(config(provider), 'cdk.tf.json');
      expect(get(set, 'azuread_application_federated_identity_credential.etl').subject).toBe('arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/workloads/etl');
    }
  });

  test('the data source\'s own provider argument counts, not the default provider', () => {
    const json = config({ allowed_account_ids: ['111122223333'] });
    (json.provider.aws as unknown[]).push({ alias: 'prod', allowed_account_ids: ['444455556666'] });
    (json.data.aws_caller_identity as Record<string, unknown>).current = { provider: 'aws.prod' };
    expect(get(normalizeTerraformJson(json, 'cdk.tf.json'), 'azuread_application_federated_identity_credential.etl').subject).toBe('arn:aws:iam::444455556666:role/workloads/etl');
  });
});

describe('HCL: a module\'s caller identity is the account of the provider its call passes', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-caller-identity-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('providers = { aws = aws.prod }: the module\'s data source reads as prod\'s account; a call without providers, as the default\'s', async () => {
    fs.mkdirSync(path.join(tmp, 'trust'));
    fs.writeFileSync(path.join(tmp, 'trust', 'main.tf'), [
      'data "aws_caller_identity" "this" {}',
      'resource "snowflake_execute" "wif" {',
      '  execute = "ALTER USER ETL SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = \'arn:aws:iam::${data.aws_caller_identity.this.account_id}:role/etl\')"',
      '  revert  = "ALTER USER ETL UNSET WORKLOAD_IDENTITY"',
      '}',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(tmp, 'main.tf'), [
      'provider "aws" {\n  allowed_account_ids = ["111122223333"]\n}',
      'provider "aws" {\n  alias = "prod"\n  allowed_account_ids = ["444455556666"]\n}',
      'module "prod" {\n  source    = "./trust"\n  providers = { aws = aws.prod }\n}',
      'module "shared" {\n  source = "./trust"\n}',
      '',
    ].join('\n'));
    const [root] = await loadPath(path.join(tmp, 'main.tf'));
    expect(get(root, 'module.prod.snowflake_execute.wif').execute).toBe("ALTER USER ETL SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = 'arn:aws:iam::444455556666:role/etl')");
    expect(get(root, 'module.shared.snowflake_execute.wif').execute).toBe("ALTER USER ETL SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = 'arn:aws:iam::111122223333:role/etl')");
  });
});
