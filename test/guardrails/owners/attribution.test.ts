import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { evaluate } from '../../../lib/guardrails/evaluate';
import { Exemption, ResourceSet } from '../../../lib/guardrails/model';
import { normalizeCloudFormation } from '../../../lib/guardrails/normalize/cloudformation';
import { normalizeTerraformJson } from '../../../lib/guardrails/normalize/terraform-json';
import { appEntry, OwnerAttribution, parseCodeowners, sourceFileOf } from '../../../lib/guardrails/owners';
import { buildReport, renderReportMarkdown } from '../../../lib/guardrails/report';

const NOW = new Date('2026-06-01T00:00:00Z');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-owners-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cfn(resources: Record<string, unknown>, file = path.join(dir, 'stack.template.json')): ResourceSet {
  return normalizeCloudFormation({ Resources: resources }, file);
}
function tf(resource: Record<string, Record<string, unknown>>, file = path.join(dir, 'main.tf.json')): ResourceSet {
  return normalizeTerraformJson({ resource }, file);
}

/** [ruleId, resource, owner name, source] for every finding of a report over `sets`. */
function owners(sets: ResourceSet[], options: Parameters<typeof OwnerAttribution.fromSets>[1] = {}, exemptions: Exemption[] = []) {
  const report = buildReport(evaluate(sets, { now: NOW, exemptions }), { now: NOW, owners: OwnerAttribution.fromSets(sets, options) });
  return report.findings.map((f) => [f.ruleId, f.resource, f.owner?.name, f.owner?.source]);
}

const SECRET = { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Name: 'k', Value: 'AKIAIOSFODNN7EXAMPLE' } };

describe('owner tags', () => {
  test('CloudFormation Tags as a list of {Key, Value}, key matched case-insensitively', () => {
    expect(owners([cfn({
      User: { Type: 'AWS::IAM::User', Properties: { Tags: [{ Key: 'Cost', Value: 'x' }, { Key: 'TEAM', Value: 'payments' }] } },
      Key: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: { Ref: 'User' }, Tags: undefined } },
    })])).toEqual([['KL-AWS-01', 'Key', 'payments', 'tag']]);
  });

  test('CloudFormation Tags as a map (AWS::SSM::Parameter)', () => {
    expect(owners([cfn({ Param: { ...SECRET, Properties: { ...SECRET.Properties, Tags: { Owner: 'secrets@acme.example' } } } })]))
      .toEqual([['KL-AWS-06', 'Param', 'secrets@acme.example', 'tag']]);
  });

  test('`owner` is tried before `team`, whatever the order on the resource', () => {
    expect(owners([cfn({ Param: { ...SECRET, Properties: { ...SECRET.Properties, Tags: { team: 'second', owner: 'first' } } } })]))
      .toEqual([['KL-AWS-06', 'Param', 'first', 'tag']]);
  });

  test('configured tag keys replace the defaults', () => {
    const sets = [cfn({ Param: { ...SECRET, Properties: { ...SECRET.Properties, Tags: { owner: 'ignored', 'cost-center': 'cc-42' } } } })];
    expect(owners(sets, { tagKeys: ['Cost-Center'] })).toEqual([['KL-AWS-06', 'Param', 'cc-42', 'tag']]);
  });

  test('Terraform tags (AWS): an access key takes its IAM user\'s tags', () => {
    expect(owners([tf({
      aws_iam_user: { ci: { name: 'ci', tags: { Owner: 'warehouse' } } },
      aws_iam_access_key: { ci: { user: '${aws_iam_user.ci.name}' } },
    })])).toEqual([['KL-AWS-01', 'aws_iam_access_key.ci', 'warehouse', 'tag']]);
  });

  test('the credential resource\'s own tag comes before its identity\'s', () => {
    expect(owners([tf({
      aws_iam_user: { ci: { name: 'ci', tags: { owner: 'user-owner' } } },
      aws_iam_access_key: { ci: { user: '${aws_iam_user.ci.name}', tags: { owner: 'key-owner' } } },
    })])).toEqual([['KL-AWS-01', 'aws_iam_access_key.ci', 'key-owner', 'tag']]);
  });

  test('Terraform labels (Google)', () => {
    expect(owners([tf({
      google_service_account: { sa: { account_id: 'sa' } },
      google_service_account_key: { k: { service_account_id: '${google_service_account.sa.name}', labels: { team: 'analytics' } } },
    })])).toEqual([['KL-GCP-01', 'google_service_account_key.k', 'analytics', 'tag']]);
  });

  test('an unresolved tag value is not an owner; a note says so when nothing else gives one', () => {
    const sets = [cfn({ Param: { ...SECRET, Properties: { ...SECRET.Properties, Tags: { owner: { Ref: 'OwnerParam' } } } } })];
    const report = buildReport(evaluate(sets, { now: NOW }), { now: NOW, owners: OwnerAttribution.fromSets(sets) });
    expect(report.findings[0].owner).toBeUndefined();
    expect(report.notes).toContain(`owner of KL-AWS-06 on Param (${sets[0].file}): the owner tag is not a literal value (Param: owner = {"Ref":"OwnerParam"}); counted as (unowned)`);
    // with a default owner, the default is the owner and no note is written
    const withDefault = buildReport(evaluate(sets, { now: NOW }), { now: NOW, owners: OwnerAttribution.fromSets(sets, { defaultOwner: '@acme/platform' }) });
    expect(withDefault.findings[0].owner).toEqual({ name: '@acme/platform', source: 'default' });
    expect(withDefault.notes.filter((n) => n.startsWith('owner of'))).toEqual([]);
  });

  test('Terraform interpolations and CDK tokens are not owners', () => {
    expect(owners([tf({
      aws_iam_user: { a: { name: 'a', tags: { owner: '${var.owner}' } }, b: { name: 'b', tags: '${var.tags}' } },
      aws_iam_access_key: { a: { user: '${aws_iam_user.a.name}' }, b: { user: '${aws_iam_user.b.name}' } },
    })])).toEqual([
      ['KL-AWS-01', 'aws_iam_access_key.a', undefined, undefined],
      ['KL-AWS-01', 'aws_iam_access_key.b', undefined, undefined],
    ]);
  });
});

describe('precedence: tag, then exemption, then CODEOWNERS, then default', () => {
  const codeowners = parseCodeowners('* @acme/codeowner\n', path.join(dir, 'CODEOWNERS'), dir);
  const exemption: Exemption = {
    ruleId: 'KL-AWS-06', resource: 'Param', justification: 'Vendor bridge needs it until the OIDC release in Q3', owner: 'exempt-owner@acme.example', expires: '2026-12-31',
  };
  const tagged = cfn({ Param: { ...SECRET, Properties: { ...SECRET.Properties, Tags: { owner: 'tag-owner' } } } });
  const untagged = cfn({ Param: SECRET });

  test('a tag wins over the exemption, CODEOWNERS and the default', () => {
    expect(owners([tagged], { codeowners, defaultOwner: 'dflt' }, [exemption])).toEqual([['KL-AWS-06', 'Param', 'tag-owner', 'tag']]);
  });
  test('without a tag, the exemption\'s owner', () => {
    expect(owners([untagged], { codeowners, defaultOwner: 'dflt' }, [exemption])).toEqual([['KL-AWS-06', 'Param', 'exempt-owner@acme.example', 'exemption']]);
  });
  test('without a tag or an exemption, CODEOWNERS (the first owner of the last matching line)', () => {
    const two = parseCodeowners('* @acme/first @acme/second\n', path.join(dir, 'CODEOWNERS'), dir);
    expect(owners([untagged], { codeowners: two, defaultOwner: 'dflt' })).toEqual([['KL-AWS-06', 'Param', '@acme/first', 'codeowners']]);
  });
  test('a CODEOWNERS line that un-owns falls through to the default', () => {
    const unowning = parseCodeowners('* @acme/all\n*.json\n', path.join(dir, 'CODEOWNERS'), dir);
    expect(owners([untagged], { codeowners: unowning, defaultOwner: 'dflt' })).toEqual([['KL-AWS-06', 'Param', 'dflt', 'default']]);
    expect(owners([untagged], { codeowners: unowning })).toEqual([['KL-AWS-06', 'Param', undefined, undefined]]);
  });
  test('CODEOWNERS is matched against the configured source file when one is given', () => {
    const co = parseCodeowners('bin/app.ts @acme/app\n*.json @acme/json\n', path.join(dir, 'CODEOWNERS'), dir);
    expect(owners([untagged], { codeowners: co, sourceFile: path.join(dir, 'bin', 'app.ts') })).toEqual([['KL-AWS-06', 'Param', '@acme/app', 'codeowners']]);
    expect(owners([untagged], { codeowners: co })).toEqual([['KL-AWS-06', 'Param', '@acme/json', 'codeowners']]);
  });
});

describe('the per-owner roll-up', () => {
  test('counts credentials, exempted, errors, trust findings and trusts per owner, most credentials first, unowned as (unowned)', () => {
    const sets = [tf({
      aws_iam_user: { a: { name: 'a', tags: { team: 'alpha' } }, b: { name: 'b', tags: { team: 'beta' } }, c: { name: 'c' } },
      aws_iam_access_key: {
        a1: { user: '${aws_iam_user.a.name}' }, a2: { user: '${aws_iam_user.a.name}' }, b1: { user: '${aws_iam_user.b.name}' }, c1: { user: '${aws_iam_user.c.name}' },
      },
      aws_iam_role: {
        ci: {
          name: 'ci',
          tags: { team: 'beta' },
          assume_role_policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{
              Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity',
              Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' },
              Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } },
            }],
          }),
        },
      },
    })];
    const exemptions: Exemption[] = [{
      ruleId: 'KL-AWS-01', resource: 'aws_iam_access_key.b1', justification: 'Vendor bridge needs it until the OIDC release in Q3', owner: 'ignored-the-tag-wins', expires: '2026-12-31',
    }];
    const evaluation = evaluate(sets, { now: NOW, exemptions });
    const report = buildReport(evaluation, { now: NOW, owners: OwnerAttribution.fromSets(sets) });
    expect(report.findings.map((f) => [f.ruleId, f.resource, f.owner?.name])).toEqual(expect.arrayContaining([
      ['KL-AWS-01', 'aws_iam_access_key.a1', 'alpha'],
      ['KL-AWS-01', 'aws_iam_access_key.b1', 'beta'],
      ['KL-AWS-01', 'aws_iam_access_key.c1', undefined],
      ['KL-TR-02', 'aws_iam_role.ci', 'beta'],
    ]));
    expect(report.identities.map((t) => [t.resource, t.owner])).toEqual([['aws_iam_role.ci', { name: 'beta', source: 'tag' }]]);
    expect(report.owners).toEqual([
      { owner: 'alpha', credentials: 2, trusts: 0, trustFindings: 0, errors: 2, exempted: 0 },
      { owner: 'beta', credentials: 1, trusts: 1, trustFindings: 1, errors: 1, exempted: 1 },
      { owner: '(unowned)', credentials: 1, trusts: 0, trustFindings: 0, errors: 1, exempted: 0 },
    ]);
    const md = renderReportMarkdown(report);
    expect(md).toContain([
      '## By owner', '',
      '| owner | credentials | exempted | errors | trusts |', '|---|---:|---:|---:|---:|',
      '| alpha | 2 | 0 | 2 | 0 |', '| beta | 1 | 1 | 1 | 1 |', '| (unowned) | 1 | 0 | 1 | 0 |',
    ].join('\n'));
    expect(md).toContain('| rule | severity | name | resource | file | exemption | owner |');
    expect(md).toMatch(/\| KL-AWS-01 \| error \| aws_iam_access_key\.a1 \| `aws_iam_access_key\.a1` \| .* \| — \| alpha \(tag\) \|/);
    expect(md).toMatch(/\| KL-AWS-01 \| error \| aws_iam_access_key\.c1 \| `aws_iam_access_key\.c1` \| .* \| — \| — \|/);
  });

  test('a report built without an attribution has no owners and no owner column', () => {
    const sets = [cfn({ Param: SECRET })];
    const report = buildReport(evaluate(sets, { now: NOW }), { now: NOW });
    expect(report.owners).toBeUndefined();
    expect(report.findings[0].owner).toBeUndefined();
    const md = renderReportMarkdown(report);
    expect(md).not.toContain('## By owner');
    expect(md).toContain('| rule | severity | name | resource | file | exemption |\n');
  });
});

describe('what the report says about owners it could not read', () => {
  test('a skipped CODEOWNERS line is a note of the report', () => {
    const sets = [cfn({ Param: SECRET })];
    const codeowners = parseCodeowners('* @acme/all\n!*.json @acme/none\n', path.join(dir, 'CODEOWNERS'), dir);
    const report = buildReport(evaluate(sets, { now: NOW }), { now: NOW, owners: OwnerAttribution.fromSets(sets, { codeowners }) });
    expect(report.findings[0].owner).toEqual({ name: '@acme/all', source: 'codeowners' });
    expect(report.notes).toContain(`CODEOWNERS ${path.join(dir, 'CODEOWNERS')}: line 2: "!*.json": negation (!) is not supported in CODEOWNERS; line skipped`);
  });

  test('an owner name cannot break the Markdown tables', () => {
    const sets = [cfn({ Param: { ...SECRET, Properties: { ...SECRET.Properties, Tags: { owner: 'a | b\n| x |' } } } })];
    const md = renderReportMarkdown(buildReport(evaluate(sets, { now: NOW }), { now: NOW, owners: OwnerAttribution.fromSets(sets) }));
    expect(md).toContain('| a \\| b \\| x \\| | 1 | 0 | 1 | 0 |');
    expect(md).toContain('| a \\| b \\| x \\| (tag) |');
  });
});

describe('the source file CODEOWNERS is matched against', () => {
  test('the app entry of a cdk.json / cdktf.json command', () => {
    expect(appEntry('npx ts-node --prefer-ts-exts bin/app.ts', '/w')).toBe(path.resolve('/w/bin/app.ts'));
    expect(appEntry('npx ts-node main.ts', '/w')).toBe(path.resolve('/w/main.ts'));
    expect(appEntry('python3 app.py', '/w')).toBe(path.resolve('/w/app.py'));
    expect(appEntry('node "dist/bin/app.js"', '/w')).toBe(path.resolve('/w/dist/bin/app.js'));
    expect(appEntry('mvn -e -q compile exec:java', '/w')).toBeUndefined();
  });

  test('a template in cdk.out / cdktf.out comes from the app entry; a .tf file is its own source', () => {
    const app = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-app-'));
    try {
      fs.mkdirSync(path.join(app, '.git'));
      fs.writeFileSync(path.join(app, 'cdk.json'), JSON.stringify({ app: 'npx ts-node --prefer-ts-exts bin/app.ts' }));
      fs.writeFileSync(path.join(app, 'cdktf.json'), JSON.stringify({ app: 'npx ts-node main.ts', output: 'tf-out' }));
      expect(sourceFileOf(path.join(app, 'cdk.out', 'Prod.template.json'))).toBe(path.join(app, 'bin', 'app.ts'));
      expect(sourceFileOf(path.join(app, 'cdk.out', 'assembly-Stage', 'S.template.json'))).toBe(path.join(app, 'bin', 'app.ts'));
      expect(sourceFileOf(path.join(app, 'tf-out', 'stacks', 'prod', 'cdk.tf.json'))).toBe(path.join(app, 'main.ts'));
      // cdktf.json names its own output directory: a cdktf.out next to it is not its output
      expect(sourceFileOf(path.join(app, 'cdktf.out', 'stacks', 'prod', 'cdk.tf.json'))).toBe(path.join(app, 'cdktf.out', 'stacks', 'prod', 'cdk.tf.json'));
      expect(sourceFileOf(path.join(app, 'infra', 'main.tf'))).toBe(path.join(app, 'infra', 'main.tf'));
    } finally {
      fs.rmSync(app, { recursive: true, force: true });
    }
  });
});
