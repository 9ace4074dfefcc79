/**
 * Owners in the reports the CDK validation plugin and the cdktf aspect write, and the validation of their owner props.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, Stack, Tags, aws_iam as iam } from 'aws-cdk-lib';
import { App as TfApp, TerraformStack } from 'cdktf';
import { KeylessGuardrails, KeylessGuardrailsProps, KeylessTerraformGuardrails } from '../../../lib/guardrails';
import { errorOf } from '../../support/validation-error';

const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-owners-adapters-'));
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

beforeAll(() => {
  fs.mkdirSync(path.join(repo, '.git'));
  fs.mkdirSync(path.join(repo, '.github'));
  fs.writeFileSync(path.join(repo, '.github', 'CODEOWNERS'), '*  @acme/platform\nbin/payments.ts  @acme/payments\n');
});

/** A CDK app with two access keys: one on a tagged user, one on an untagged user; the report written to `outdir`. */
function cdkReport(props: KeylessGuardrailsProps): any {
  const outdir = fs.mkdtempSync(path.join(repo, 'cdk.out-'));
  const app = new App({ outdir });
  KeylessGuardrails.enable(app, { now: '2026-06-01', ...props });
  const stack = new Stack(app, 'Payments');
  const tagged = new iam.User(stack, 'Tagged');
  Tags.of(tagged).add('Team', 'billing');
  new iam.AccessKey(stack, 'TaggedKey', { user: tagged });
  new iam.AccessKey(stack, 'PlainKey', { user: new iam.User(stack, 'Plain') });
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    expect(() => app.synth()).toThrow(/KL-AWS-01/);
  } finally {
    jest.restoreAllMocks();
  }
  return readJson(path.join(outdir, 'keyless-report.json'));
}

const owners = (report: any) => report.findings.map((f: any) => [f.resource, f.owner]);

describe('KeylessGuardrails (CDK plugin): owners', () => {
  test('tags first, then CODEOWNERS matched against appSourceFile (found walking up from it)', () => {
    const report = cdkReport({ appSourceFile: path.join(repo, 'bin', 'payments.ts') });
    expect(report.findings.map((f: any) => [f.constructPath, f.owner])).toEqual([
      ['Payments/TaggedKey/Resource', { name: 'billing', source: 'tag' }],
      ['Payments/PlainKey/Resource', { name: '@acme/payments', source: 'codeowners' }],
    ]);
    expect(report.owners.map((o: any) => [o.owner, o.credentials, o.errors])).toEqual([['@acme/payments', 1, 1], ['billing', 1, 1]]);
  });

  test('codeownersFile, ownerTagKeys and defaultOwner', () => {
    const file = path.join(repo, 'OTHER_CODEOWNERS');
    fs.writeFileSync(file, 'nothing/matches/ @acme/none\n');
    const report = cdkReport({ codeownersFile: file, ownerTagKeys: ['cost-center'], defaultOwner: '@acme/security', appSourceFile: path.join(repo, 'bin', 'payments.ts') });
    expect(report.findings.map((f: any) => f.owner)).toEqual([{ name: '@acme/security', source: 'default' }, { name: '@acme/security', source: 'default' }]);
    expect(report.owners).toEqual([{ owner: '@acme/security', credentials: 2, trusts: 0, trustFindings: 0, errors: 2, exempted: 0 }]);
  });

  test('invalid owner props fail at construction, naming the property, the value and the rule', () => {
    expect(errorOf(() => new KeylessGuardrails({ ownerTagKeys: [] })).message)
      .toBe('KeylessGuardrails: invalid ownerTagKeys []: ownerTagKeys is a non-empty list of tag keys (e.g. ["owner", "team"]) [rule owners.tag-keys]');
    expect(errorOf(() => new KeylessGuardrails({ ownerTagKeys: ['owner', ' '] })).message)
      .toBe('KeylessGuardrails: invalid ownerTagKeys[1] " ": a tag key is a non-empty string of at most 128 characters [rule owners.tag-keys]');
    const missing = path.join(repo, 'missing', 'CODEOWNERS');
    expect(errorOf(() => new KeylessGuardrails({ codeownersFile: missing })).message)
      .toBe(`KeylessGuardrails: invalid codeownersFile ${JSON.stringify(missing)}: cannot read the CODEOWNERS file: no such file or directory [rule owners.codeowners-file]`);
    expect(errorOf(() => new KeylessGuardrails({ defaultOwner: '' })).rule).toBe('owners.default-owner');
    expect(errorOf(() => new KeylessTerraformGuardrails({ appSourceFile: ' ' })).message)
      .toBe('KeylessTerraformGuardrails: invalid appSourceFile " ": appSourceFile is the path of the app\'s entry file (e.g. "bin/app.ts") [rule owners.app-source-file]');
  });
});

describe('KeylessTerraformGuardrails (cdktf aspect): owners', () => {
  test('an access key takes its IAM user\'s tag; the rest the default owner', () => {
    const outdir = fs.mkdtempSync(path.join(repo, 'cdktf.out-'));
    const app = new TfApp({ outdir });
    const stack = new TerraformStack(app, 'warehouse');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const user = new IamUser(stack, 'loader', { name: 'loader', tags: { owner: 'ingest@acme.example' } });
    new IamAccessKey(stack, 'loader_key', { user: user.name });
    new IamAccessKey(stack, 'other_key', { user: new IamUser(stack, 'other', { name: 'other' }).name });
    const guardrails = KeylessTerraformGuardrails.enable(app, { now: '2026-06-01', defaultOwner: '@acme/warehouse', appSourceFile: path.join(repo, 'main.ts') });
    expect(() => app.synth()).toThrow(/KL-AWS-01/);
    const report = readJson(guardrails.reportFile!);
    expect(owners(report)).toEqual([
      ['aws_iam_access_key.loader_key', { name: 'ingest@acme.example', source: 'tag' }],
      // CODEOWNERS' `*` line (found walking up from appSourceFile) comes before the default
      ['aws_iam_access_key.other_key', { name: '@acme/platform', source: 'codeowners' }],
    ]);
  });
});
