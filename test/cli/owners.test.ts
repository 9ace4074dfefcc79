/**
 * `keyless report` owners end to end: a repository with a CODEOWNERS file, a Terraform configuration and a
 * CloudFormation template; the owner flags.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from '../../lib/cli/args';
import { CliIo, main } from '../../lib/cli/main';

const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-cli-owners-'));
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(repo, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, cwd: repo, env: { KEYLESS_NOW: '2026-06-01' }, stderrIsTty: false };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

beforeAll(() => {
  fs.mkdirSync(path.join(repo, '.git'));
  write('.github/CODEOWNERS', [
    '# default owners of the repository',
    '*                    @acme/platform',
    '[Warehouse] @acme/warehouse',
    'terraform/warehouse/',
    'cloudformation/*.yaml  @acme/payments   # the payments stacks',
    'cloudformation/legacy.yaml',
  ].join('\n'));
  write('terraform/warehouse/main.tf', `
resource "aws_iam_user" "loader" {
  name = "loader"
  tags = { CostCenter = "cc-7", Team = "ingest" }
}
resource "aws_iam_access_key" "loader" {
  user = aws_iam_user.loader.name
}
resource "aws_iam_user" "untagged" {
  name = "untagged"
}
resource "aws_iam_access_key" "untagged" {
  user = aws_iam_user.untagged.name
}
`);
  write('terraform/billing/main.tf', `
resource "aws_iam_user" "billing" {
  name = "billing"
}
resource "aws_iam_access_key" "billing" {
  user = aws_iam_user.billing.name
}
`);
  write('cloudformation/payments.yaml', `
Resources:
  Api:
    Type: AWS::IAM::User
  ApiKey:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: !Ref Api
  Token:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Name: token
      Value: AKIAIOSFODNN7EXAMPLE
      Tags:
        CostCenter: cc-9
        owner: secrets@acme.example
`);
  write('cloudformation/legacy.yaml', `
Resources:
  Old:
    Type: AWS::IAM::User
  OldKey:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: !Ref Old
`);
  write('exemptions.json', JSON.stringify({
    exemptions: [{
      ruleId: 'KL-AWS-01', resource: 'OldKey', justification: 'The old bridge needs this key until the OIDC release in Q3', owner: 'legacy@acme.example', expires: '2026-09-30',
    }],
  }));
});

const owners = (report: any) => report.findings.map((f: any) => [f.ruleId, f.file, f.resource, f.owner?.name, f.owner?.source]);

describe('keyless report: owners from tags, exemptions and the CODEOWNERS found in the repository', () => {
  test('each finding gets the owner of the most specific source; the per-owner table counts them', async () => {
    const r = await run(['report', 'terraform', 'cloudformation', '--exemptions', 'exemptions.json', '--format', 'json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const report = JSON.parse(r.stdout);
    expect(owners(report)).toEqual([
      ['KL-AWS-01', 'terraform/billing/main.tf', 'aws_iam_access_key.billing', '@acme/platform', 'codeowners'],
      ['KL-AWS-01', 'terraform/warehouse/main.tf', 'aws_iam_access_key.loader', 'ingest', 'tag'],
      ['KL-AWS-01', 'terraform/warehouse/main.tf', 'aws_iam_access_key.untagged', '@acme/warehouse', 'codeowners'],
      ['KL-AWS-01', 'cloudformation/legacy.yaml', 'OldKey', 'legacy@acme.example', 'exemption'],
      ['KL-AWS-01', 'cloudformation/payments.yaml', 'ApiKey', '@acme/payments', 'codeowners'],
      ['KL-AWS-06', 'cloudformation/payments.yaml', 'Token', 'secrets@acme.example', 'tag'],
    ].sort(byFileAndResource(report)));
    expect(report.owners).toEqual([
      { owner: '@acme/payments', credentials: 1, trusts: 0, trustFindings: 0, errors: 1, exempted: 0 },
      { owner: '@acme/platform', credentials: 1, trusts: 0, trustFindings: 0, errors: 1, exempted: 0 },
      { owner: '@acme/warehouse', credentials: 1, trusts: 0, trustFindings: 0, errors: 1, exempted: 0 },
      { owner: 'ingest', credentials: 1, trusts: 0, trustFindings: 0, errors: 1, exempted: 0 },
      { owner: 'secrets@acme.example', credentials: 1, trusts: 0, trustFindings: 0, errors: 1, exempted: 0 },
      { owner: 'legacy@acme.example', credentials: 1, trusts: 0, trustFindings: 0, errors: 0, exempted: 1 },
    ]);
  });

  test('--owner-tag (repeatable) replaces the default keys, --codeowners names the file, --default-owner catches the rest', async () => {
    write('other/CODEOWNERS', 'terraform/billing/ @acme/billing\n');
    const r = await run([
      'report', 'terraform', 'cloudformation', '--format', 'json',
      '--owner-tag', 'CostCenter', '--owner-tag=team', '--codeowners', 'other/CODEOWNERS', '--default-owner', '@acme/security',
    ]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const report = JSON.parse(r.stdout);
    // an explicit file's patterns are relative to its own directory (other/), so terraform/billing/ matches nothing
    // here, and the repository's .github/CODEOWNERS is not read either: every untagged finding falls to the default
    expect(owners(report)).toEqual([
      ['KL-AWS-01', 'terraform/billing/main.tf', 'aws_iam_access_key.billing', '@acme/security', 'default'],
      ['KL-AWS-01', 'terraform/warehouse/main.tf', 'aws_iam_access_key.loader', 'cc-7', 'tag'],
      ['KL-AWS-01', 'terraform/warehouse/main.tf', 'aws_iam_access_key.untagged', '@acme/security', 'default'],
      ['KL-AWS-01', 'cloudformation/legacy.yaml', 'OldKey', '@acme/security', 'default'],
      ['KL-AWS-01', 'cloudformation/payments.yaml', 'ApiKey', '@acme/security', 'default'],
      ['KL-AWS-06', 'cloudformation/payments.yaml', 'Token', 'cc-9', 'tag'],
    ].sort(byFileAndResource(report)));
    expect(report.owners.map((o: any) => [o.owner, o.credentials])).toEqual([['@acme/security', 4], ['cc-7', 1], ['cc-9', 1]]);
  });

  test('--codeowners at the repository root: its patterns are matched against the inputs', async () => {
    write('.gitlab/CODEOWNERS', 'terraform/billing/ @acme/billing\n');
    const r = await run(['report', 'terraform/billing', '--format', 'json', '--codeowners', '.gitlab/CODEOWNERS']);
    expect(owners(JSON.parse(r.stdout))).toEqual([['KL-AWS-01', 'terraform/billing/main.tf', 'aws_iam_access_key.billing', '@acme/billing', 'codeowners']]);
  });

  test('markdown: an owner column and the "By owner" table', async () => {
    const r = await run(['report', 'cloudformation', '--format', 'markdown']);
    expect(r.stdout).toContain([
      '## By owner', '',
      '| owner | credentials | exempted | errors | trusts |', '|---|---:|---:|---:|---:|',
      '| @acme/payments | 1 | 0 | 1 | 0 |',
      '| @acme/warehouse | 1 | 0 | 1 | 0 |',
      '| secrets@acme.example | 1 | 0 | 1 | 0 |',
      '',
    ].join('\n'));
    expect(r.stdout).toContain('| KL-AWS-06 | error | Token | `Token` | cloudformation/payments.yaml | — | secrets@acme.example (tag) |');
    // without the exemption, legacy.yaml's owner-less line (the last match) takes the default owners of its GitLab section
    expect(r.stdout).toContain('| KL-AWS-01 | error | OldKey | `OldKey` | cloudformation/legacy.yaml | — | @acme/warehouse (codeowners) |');
  });

  test('an unreadable --codeowners file: exit 2, one line naming it', async () => {
    const r = await run(['report', 'terraform', '--codeowners', 'nope/CODEOWNERS']);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', 'keyless: nope/CODEOWNERS: no such file or directory\n']);
    const check = await run(['check', 'terraform', '--codeowners', 'nope/CODEOWNERS']);
    expect([check.code, check.stderr]).toEqual([2, 'keyless: nope/CODEOWNERS: no such file or directory\n']);
  });
});

describe('owner options', () => {
  test('parsed on both commands; --owner-tag repeats, the others may not', () => {
    expect(parseArgs(['report', 'x', '--owner-tag', 'a', '--owner-tag', 'b', '--default-owner', ' @acme/x ', '--codeowners', 'C'])).toMatchObject({
      ownerTags: ['a', 'b'], defaultOwner: '@acme/x', codeowners: 'C',
    });
    expect(parseArgs(['check', 'x', '--owner-tag=team']).ownerTags).toEqual(['team']);
    expect(parseArgs(['check', 'x']).ownerTags).toEqual([]);
    expect(() => parseArgs(['report', 'x', '--default-owner', 'a', '--default-owner', 'b'])).toThrow('keyless report: option --default-owner given twice');
    expect(() => parseArgs(['report', 'x', '--default-owner', '  '])).toThrow('keyless report: option --default-owner needs a value');
    expect(() => parseArgs(['report', 'x', '--owner-tag', ' '])).toThrow('keyless report: --owner-tag " " is not a tag key (1 to 128 characters)');
    expect(() => parseArgs(['report', 'x', '--codeowners'])).toThrow('keyless report: option --codeowners needs a value');
  });
});

/** Orders expected rows as the report orders its findings (by file and resource, as the evaluation lists them). */
function byFileAndResource(report: any) {
  const order = report.findings.map((f: any) => `${f.file}\u0000${f.resource}\u0000${f.ruleId}`);
  return (a: unknown[], b: unknown[]) => order.indexOf(`${a[1]}\u0000${a[2]}\u0000${a[0]}`) - order.indexOf(`${b[1]}\u0000${b[2]}\u0000${b[0]}`);
}
