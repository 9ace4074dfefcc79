import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Evaluation, Finding, FederatedTrust } from '../../lib/guardrails/model';
import {
  buildReport, diffReports, InventoryReport, mermaidGraph, mermaidText, parseReport, renderDiffMarkdown, renderDiffText, ReportFinding, ReportIdentity,
  renderReportMarkdown, REPORT_SCHEMA, writeReport,
} from '../../lib/guardrails/report';
import { CATALOG } from '../../lib/guardrails/rules';
import type { FederationPair } from '../../lib/guardrails/federation/model';

const ROOT = '/repo';
const NOW = new Date('2026-03-01T08:00:00Z');
const TF = `${ROOT}/cdktf.out/stacks/app/cdk.tf.json`;
const CFN = `${ROOT}/cdk.out/Etl.template.json`;

const TRUST: FederatedTrust = {
  workload: 'arn:aws:iam::111122223333:role/workloads/etl',
  target: 'azuread_application.etl (etl-app)',
  targetKind: 'entra',
  issuer: 'https://11111111-2222-3333-4444-555555555555.tokens.sts.global.api.aws',
  subject: 'arn:aws:iam::111122223333:role/workloads/etl',
  audience: 'api://AzureADTokenExchange',
  file: TF,
  resource: 'azuread_application_federated_identity_credential.etl',
};

const SNOWFLAKE_TRUST: FederatedTrust = {
  workload: 'arn:aws:iam::111122223333:role/workloads/etl',
  target: 'snowflake_service_user.etl',
  targetKind: 'snowflake',
  audience: 'snowflakecomputing.com',
  file: TF,
  resource: 'snowflake_execute.etl_wif',
};

const FEDERATED_FALLBACK: Finding = {
  ruleId: 'KL-AZ-01', severity: 'error', file: TF, resource: 'azuread_application_password.ci',
  resourceType: 'azuread_application_password', engine: 'terraform', message: 'client secret on a federated app.',
  constructPath: 'app/ci', identity: 'azuread_application.etl', federatedIdentity: true,
};
const EXEMPTED_KEY: Finding = {
  ruleId: 'KL-AWS-01', severity: 'warning', file: CFN, resource: 'DeployKey1234', resourceType: 'AWS::IAM::AccessKey',
  engine: 'cloudformation', message: 'access key. Exempted until 2026-03-10.', constructPath: 'Etl/DeployKey',
  exemption: { ruleId: 'KL-AWS-01', resource: 'DeployKey1234', justification: 'legacy deploy pipeline until Q2 migration', owner: 'platform@example.com', expires: '2026-03-10', status: 'active' },
};
const EXPIRED_PASSWORD: Finding = {
  ruleId: 'KL-SF-01', severity: 'error', file: TF, resource: 'snowflake_user.legacy', resourceType: 'snowflake_user',
  engine: 'terraform', message: 'password; the exemption expired.',
  exemption: { ruleId: 'KL-SF-01', resource: 'snowflake_user.legacy', justification: 'vendor tool needs a password for now', owner: 'data@example.com', expires: '2026-02-01', status: 'expired' },
};
const LIFETIME_WARNING: Finding = {
  ruleId: 'KL-TR-04', severity: 'warning', file: CFN, resource: 'EtlPolicy99', resourceType: 'AWS::IAM::Policy',
  engine: 'cloudformation', message: 'no duration bound.',
};

const EVALUATION: Evaluation = {
  findings: [FEDERATED_FALLBACK, EXEMPTED_KEY, EXPIRED_PASSWORD, LIFETIME_WARNING],
  trusts: [TRUST, SNOWFLAKE_TRUST, TRUST], // duplicates collapse
  resourceCount: 42,
  notes: ['aws_iam_policy.x: policy is ${var.policy}, not checked'],
};

describe('buildReport', () => {
  const report = buildReport(EVALUATION, { now: NOW, root: ROOT, sources: [TF, CFN, `${ROOT}/cdk.out/Clean.template.json`] });

  test('identifies itself and the clock', () => {
    expect(report.schema).toBe(REPORT_SCHEMA);
    expect(report.generatedAt).toBe('2026-03-01T08:00:00.000Z');
    expect(report.tool).toEqual({ name: 'cdk-keyless', version: '0.1.0' });
  });

  test('sources are relative to the root, sorted, including files without findings', () => {
    expect(report.sources).toEqual(['cdk.out/Clean.template.json', 'cdk.out/Etl.template.json', 'cdktf.out/stacks/app/cdk.tf.json']);
  });

  test('summary counts', () => {
    expect(report.summary).toEqual({
      files: 3,
      resources: 42,
      federatedIdentities: 2,
      credentials: 3,
      trustFindings: 1,
      errors: 2,
      warnings: 2,
      exempted: 1,
      expiringExemptions: 1,
      expiredExemptions: 1,
    });
  });

  test('federated identities: workload, target, issuer, subject, audience; duplicates collapse', () => {
    expect(report.identities).toEqual([
      { ...TRUST, file: 'cdktf.out/stacks/app/cdk.tf.json' },
      { ...SNOWFLAKE_TRUST, file: 'cdktf.out/stacks/app/cdk.tf.json' },
    ]);
  });

  test('the IAM grant and the relying party of one trust make one row; an unmatched grant keeps its own', () => {
    const grant = (workload: string, targetKind: FederatedTrust['targetKind'], audience: string): FederatedTrust => ({
      workload, target: audience, targetKind, audience, file: CFN, resource: 'EtlRoleDefaultPolicy',
    });
    const joined = buildReport({
      findings: [], resourceCount: 3, notes: [],
      trusts: [
        grant('etl', 'entra', 'api://AzureADTokenExchange'), // the Entra FIC trusts role/workloads/etl: joined
        grant('etl', 'snowflake', 'https://other.example.com'), // a different audience: not the same trust
        grant('reporting', 'entra', 'api://AzureADTokenExchange'), // a different role: not the same trust
        TRUST,
      ],
    }, { now: NOW, root: ROOT });
    expect(joined.identities.map((i) => [i.workload, i.targetKind, i.audience, i.resource])).toEqual([
      ['etl', 'snowflake', 'https://other.example.com', 'EtlRoleDefaultPolicy'],
      ['reporting', 'entra', 'api://AzureADTokenExchange', 'EtlRoleDefaultPolicy'],
      [TRUST.workload, 'entra', 'api://AzureADTokenExchange', TRUST.resource],
    ]);
  });

  describe('one row per trust when one run sees both sides', () => {
    const ARN = 'arn:aws:iam::111122223333:role/workloads/orders-etl';
    const ISSUER = 'https://4d2c6f1e-8b3a-4c5d-9e7f-1a2b3c4d5e6f.tokens.sts.global.api.aws';
    const grant: FederatedTrust = {
      workload: 'orders-etl', workloadName: 'OrdersEtl/Role/Resource', target: 'snowflakecomputing.com', targetKind: 'snowflake',
      issuer: ISSUER, subject: ARN, audience: 'snowflakecomputing.com', algorithm: 'ES384', side: 'minting', file: CFN, resource: 'Role1ABCC5F0',
    };
    const relyingParty: FederatedTrust = {
      workload: ARN, target: 'snowflake_service_user.Warehouse_User_055B4AA0 (ORDERS_ETL_SVC)', targetKind: 'snowflake', issuer: ISSUER,
      subject: ARN, audience: 'snowflakecomputing.com', algorithm: 'ES384', side: 'relying-party', file: TF, resource: 'snowflake_execute.Warehouse_WorkloadIdentity_AA26DB3E',
    };
    const rows = (...trusts: FederatedTrust[]) => buildReport({ findings: [], resourceCount: 2, notes: [], trusts }, { now: NOW, root: ROOT }).identities;

    test('the relying party\'s row, with the role\'s readable name as workload and the ARN as subject', () => {
      expect(rows(grant, relyingParty)).toEqual([{
        workload: 'OrdersEtl/Role/Resource', target: 'snowflake_service_user.Warehouse_User_055B4AA0 (ORDERS_ETL_SVC)', targetKind: 'snowflake',
        issuer: ISSUER, subject: ARN, audience: 'snowflakecomputing.com', algorithm: 'ES384',
        file: 'cdktf.out/stacks/app/cdk.tf.json', resource: 'snowflake_execute.Warehouse_WorkloadIdentity_AA26DB3E',
      }]);
    });

    test('what only the grant knows (issuer, algorithm) is merged in; the relying party alone shows the ARN as workload', () => {
      const bare: FederatedTrust = { ...relyingParty, issuer: undefined, algorithm: undefined };
      expect(rows(bare, grant)).toEqual([expect.objectContaining({ workload: 'OrdersEtl/Role/Resource', issuer: ISSUER, algorithm: 'ES384', resource: relyingParty.resource })]);
      expect(rows(relyingParty)).toEqual([expect.objectContaining({ workload: ARN, subject: ARN })]);
    });

    test('sides that contradict each other stay two rows: another algorithm, another issuer, another role path', () => {
      expect(rows({ ...grant, algorithm: 'RS256' }, relyingParty)).toHaveLength(2);
      expect(rows({ ...grant, issuer: `${ISSUER}/` }, relyingParty)).toHaveLength(2);
      expect(rows({ ...grant, subject: 'arn:aws:iam::111122223333:role/orders-etl' }, relyingParty)).toHaveLength(2);
      expect(rows({ ...grant, audience: 'other.snowflakecomputing.com', target: 'other.snowflakecomputing.com' }, relyingParty)).toHaveLength(2);
    });

    test('a grant whose ARN is not known joins by role name (unique per account), and one grant can serve two relying parties', () => {
      const noArn: FederatedTrust = { ...grant, subject: undefined, issuer: undefined };
      const second = { ...relyingParty, target: 'snowflake_service_user.Other (OTHER_SVC)', resource: 'snowflake_execute.Other' };
      expect(rows(noArn, relyingParty, second).map((r) => [r.workload, r.target])).toEqual([
        ['OrdersEtl/Role/Resource', relyingParty.target],
        ['OrdersEtl/Role/Resource', second.target],
      ]);
    });

    test('a grant whose relying party only the federation graph reads (GCP pool provider, Kubernetes authenticator) names it', () => {
      const GCP_AUDIENCE = 'https://iam.googleapis.com/aws-workloads';
      const gcpGrant: FederatedTrust = { ...grant, target: GCP_AUDIENCE, targetKind: 'oidc', audience: GCP_AUDIENCE, algorithm: 'RS256' };
      const pair = (target: string, targetKind: FederationPair['targetKind'], audience = GCP_AUDIENCE): FederationPair => (
        { workload: ARN, target, targetKind, audience, algorithm: 'RS256', reachable: true });
      const joined = (pairs: FederationPair[]) => buildReport({ findings: [], resourceCount: 1, notes: [], trusts: [gcpGrant], federation: pairs }, { now: NOW, root: ROOT })
        .identities.map((r) => [r.workload, r.target, r.targetKind, r.subject, r.audience]);
      expect(joined([pair('google_iam_workload_identity_pool_provider.aws', 'gcp')])).toEqual([
        ['OrdersEtl/Role/Resource', 'google_iam_workload_identity_pool_provider.aws', 'gcp', ARN, GCP_AUDIENCE],
      ]);
      expect(joined([pair('AuthenticationConfiguration.jwt[0]', 'kubernetes')])[0].slice(1, 3)).toEqual(['AuthenticationConfiguration.jwt[0]', 'kubernetes']);
      // two relying parties for one role and audience, another audience, or a relying party with its own row: the audience stays
      expect(joined([pair('a', 'gcp'), pair('b', 'gcp')])[0].slice(1, 3)).toEqual([GCP_AUDIENCE, 'oidc']);
      expect(joined([pair('a', 'gcp', 'https://other.example')])[0].slice(1, 3)).toEqual([GCP_AUDIENCE, 'oidc']);
      expect(joined([pair('azuread_application_federated_identity_credential.x', 'entra')])[0].slice(1, 3)).toEqual([GCP_AUDIENCE, 'oidc']);
    });
  });

  test('remaining credentials carry rule, category, exemption status, expiry and days left', () => {
    expect(report.findings[1]).toEqual({
      ruleId: 'KL-AWS-01', category: 'credential', severity: 'warning', file: 'cdk.out/Etl.template.json',
      resource: 'DeployKey1234', resourceType: 'AWS::IAM::AccessKey', engine: 'cloudformation',
      constructPath: 'Etl/DeployKey', name: 'Etl/DeployKey', message: 'access key. Exempted until 2026-03-10.',
      exemption: { justification: 'legacy deploy pipeline until Q2 migration', owner: 'platform@example.com', expires: '2026-03-10', status: 'active', daysLeft: 9 },
    });
    expect(report.findings[0]).toMatchObject({ ruleId: 'KL-AZ-01', federatedIdentity: true, identity: 'azuread_application.etl' });
    expect(report.findings[2].exemption).toMatchObject({ status: 'expired', daysLeft: -28 });
    expect(report.findings[3].category).toBe('trust');
  });

  test('counts per rule: every catalog rule in catalog order', () => {
    expect(report.rules.map((r) => r.ruleId)).toEqual(CATALOG.map((r) => r.id));
    expect(report.rules.find((r) => r.ruleId === 'KL-AWS-01')).toEqual({ ruleId: 'KL-AWS-01', title: 'IAM access key', category: 'credential', errors: 0, warnings: 1, exempted: 1 });
    expect(report.rules.find((r) => r.ruleId === 'KL-AZ-01')).toMatchObject({ errors: 1, warnings: 0, exempted: 0 });
    expect(report.rules.find((r) => r.ruleId === 'KL-TR-04')).toMatchObject({ category: 'trust', errors: 0, warnings: 1 });
    expect(report.rules.find((r) => r.ruleId === 'KL-SF-02')).toMatchObject({ errors: 0, warnings: 0, exempted: 0 });
  });

  test('a rule id outside the catalog is still counted', () => {
    const custom = buildReport({ ...EVALUATION, findings: [{ ...LIFETIME_WARNING, ruleId: 'ACME-01', severity: 'error' }] }, { now: NOW });
    expect(custom.rules[custom.rules.length - 1]).toEqual({ ruleId: 'ACME-01', title: 'ACME-01', category: 'credential', errors: 1, warnings: 0, exempted: 0 });
  });

  test('notes are kept', () => {
    expect(report.notes).toEqual(['aws_iam_policy.x: policy is ${var.policy}, not checked']);
  });

  test('Mermaid graph: workload -> targets labelled with the audience, fallbacks -> their identity', () => {
    expect(report.mermaid).toBe([
      'graph LR',
      '  n0("arn:aws:iam::111122223333:role/workloads/etl")',
      '  n1["Entra: azuread_application.etl (etl-app)"]',
      '  n0 -->|"api://AzureADTokenExchange"| n1',
      '  n2["Snowflake: snowflake_service_user.etl"]',
      '  n0 -->|"snowflakecomputing.com"| n2',
      '  n3>"KL-AZ-01 app/ci"]',
      '  n3 -.->|"defeats federation"| n1',
      '  n4>"KL-AWS-01 Etl/DeployKey"]',
      '  n5>"KL-SF-01 snowflake_user.legacy"]',
      '  n6>"KL-TR-04 EtlPolicy99"]',
      '  classDef credential fill:#fff3cd,stroke:#b58100',
      '  classDef defeats fill:#f8d7da,stroke:#b02a37',
      '  class n4,n5,n6 credential',
      '  class n3 defeats',
    ].join('\n'));
  });
});

describe('mermaid escaping', () => {
  test('labels cannot break out of their quotes or the edge label', () => {
    expect(mermaidText('a"b|c<d>[e]{f}\ng')).toBe('a#quot;b#124;c#lt;d#gt;#91;e#93;#123;f#125; g');
    const graph = mermaidGraph([{ workload: 'w"]; click n0 call x', target: 't', targetKind: 'oidc', audience: 'a|b', file: 'f', resource: 'r' }], []);
    expect(graph).toContain('n0("w#quot;#93;; click n0 call x")');
    expect(graph).toContain('n0 -->|"a#124;b"| n1');
    for (const line of graph.split('\n').slice(1)) expect(line.split('"').length % 2).toBe(1); // balanced quotes
  });

  test('an empty inventory still renders a valid graph', () => {
    expect(mermaidGraph([], [])).toContain('none["no federated identities or credentials found"]');
  });

  test('a finding whose identity is another resource and no trust target gets its own identity node, by its readable name', () => {
    const report = buildReport({
      ...EVALUATION,
      findings: [
        { ...EXEMPTED_KEY, identity: 'DeployUser99' },
        { ...LIFETIME_WARNING, ruleId: 'KL-AWS-02', resource: 'DeployUser99', constructPath: 'Etl/DeployUser/Resource', identity: 'DeployUser99' },
      ],
      trusts: [],
    }, { now: NOW });
    const graph = report.mermaid;
    expect(graph).toContain('n0>"KL-AWS-01 Etl/DeployKey"]');
    expect(graph).toContain('n1["Etl/DeployUser/Resource"]');
    expect(graph).toContain('n0 -.->|"fallback"| n1');
    // the console password is set on the user itself: drawn on it, with no edge from the user to itself
    expect(graph).toContain('n2>"KL-AWS-02 on Etl/DeployUser/Resource"]');
    expect(graph).not.toMatch(/n2 -/);
  });

  test('a credential set on its own identity (a Snowflake user\'s password) is one node, never a self-loop', () => {
    const graph = mermaidGraph([], [{ ...buildReport(EVALUATION, { now: NOW }).findings[2], identity: 'snowflake_user.legacy' }]);
    expect(graph).toContain('n0>"KL-SF-01 on snowflake_user.legacy"]');
    expect(graph).not.toContain('-.->');
    expect(graph).not.toContain('n1');
  });

  test('a trust finding on an identity (KL-TR-05 on the application) is drawn as a trust fault, not a fallback', () => {
    const finding = { ...buildReport(EVALUATION, { now: NOW }).findings[2], ruleId: 'KL-TR-05', category: 'trust' as const, identity: 'azuread_application.etl' };
    const graph = mermaidGraph([], [finding]);
    expect(graph).toContain('n0 -.->|"trust fault"| n1');
    expect(graph).not.toContain('"fallback"');
  });
});

describe('mermaid limits (an organization\'s report)', () => {
  // short labels: about 60 characters per trust, so 500 edges stay under the character limit
  const trust = (i: number, label = ''): ReportIdentity => ({
    workload: `w${i}${label}`, target: `t${i}`, targetKind: 'snowflake', subject: `arn:aws:iam::111122223333:role/w${i}`, audience: 'sf', file: 'f', resource: `t${i}`,
  });
  const finding = (i: number): ReportFinding => ({ ...buildReport(EVALUATION, { now: NOW }).findings[0], resource: `aws_iam_access_key.k_${i}`, name: `aws_iam_access_key.k_${i}`, identity: `aws_iam_user.u_${i}` });
  const brokenPair: FederationPair = { workload: 'arn:aws:iam::111122223333:role/w0', target: 'azuread_application_federated_identity_credential.f', targetKind: 'entra', audience: 'api://AzureADTokenExchange', algorithm: 'RS256', reachable: false, reason: 'no role among the inputs has this ARN (KL-FED-01)' };
  const edgeCount = (graph: string): number => graph.split('\n').filter((l) => / -(->|\.->)\|/.test(l)).length;

  test('at most 500 edges: the broken pair and the findings first, then trusts, and a node counting what is not drawn', () => {
    const graph = mermaidGraph(Array.from({ length: 700 }, (_, i) => trust(i)), Array.from({ length: 30 }, (_, i) => finding(i)), [brokenPair]);
    expect(edgeCount(graph)).toBe(500);
    expect(graph.length).toBeLessThanOrEqual(50_000);
    expect(graph).toContain('|"broken: KL-FED-01"|');
    expect(graph.split('\n').filter((l) => /^ {2}n\d+>"/.test(l))).toHaveLength(30); // every finding's flag node
    expect(graph).toContain('  more["not drawn: 231 trusts (Mermaid draws at most 500 edges and 50,000 characters); the report\'s tables and keyless-report.json list every one"]');
  });

  test('over the limit, fallbacks that defeat a federated identity come before trusts, and trusts before credentials on no identity', () => {
    const defeating = Array.from({ length: 3 }, (_, i) => ({ ...finding(100 + i), federatedIdentity: true, identity: `t${i}` }));
    const alone = Array.from({ length: 5 }, (_, i) => ({ ...finding(200 + i), federatedIdentity: false, identity: undefined }));
    const graph = mermaidGraph(Array.from({ length: 600 }, (_, i) => trust(i)), [...alone, ...defeating]);
    expect(graph.split('\n').filter((l) => l.includes('|"defeats federation"|'))).toHaveLength(3);
    expect(graph.split('\n').filter((l) => / -->\|/.test(l))).toHaveLength(497);
    expect(graph).not.toContain('aws_iam_access_key.k_200');
    expect(graph).toContain('more["not drawn: 5 findings, 103 trusts ');
  });

  test('at most 50,000 characters, whatever the labels', () => {
    const long = `/${'x'.repeat(400)}`;
    const graph = mermaidGraph(Array.from({ length: 300 }, (_, i) => trust(i, long)), []);
    expect(graph.length).toBeLessThanOrEqual(50_000);
    expect(graph).toMatch(/ more\["not drawn: \d+ trusts /);
    expect(edgeCount(graph)).toBeGreaterThan(0);
  });

  test('a graph within both limits is drawn whole, with no note', () => {
    const graph = mermaidGraph(Array.from({ length: 499 }, (_, i) => trust(i)), [], [brokenPair]);
    expect(edgeCount(graph)).toBe(500);
    expect(graph).not.toContain('more[');
  });
});

describe('markdown report', () => {
  const md = renderReportMarkdown(buildReport(EVALUATION, { now: NOW, root: ROOT }));

  test('summary, identities, credentials with exemption status, per-rule counts, the graph and notes', () => {
    expect(md).toContain('# Keyless inventory report');
    expect(md).toContain('| Federated identities | 2 |');
    expect(md).toContain('| Remaining credentials | 3 |');
    expect(md).toContain('| Exemptions expiring within 30 days | 1 |');
    expect(md).toContain('| arn:aws:iam::111122223333:role/workloads/etl | azuread_application.etl (etl-app) | entra | https://11111111-2222-3333-4444-555555555555.tokens.sts.global.api.aws | arn:aws:iam::111122223333:role/workloads/etl | api://AzureADTokenExchange | — | `azuread_application_federated_identity_credential.etl` (cdktf.out/stacks/app/cdk.tf.json) |');
    expect(md).toContain('| KL-AWS-01 | warning | Etl/DeployKey | `DeployKey1234` | cdk.out/Etl.template.json | active until 2026-03-10 (9 days left), platform@example.com |');
    expect(md).toContain('| KL-AZ-01 | error (identity is federated) | app/ci | `azuread_application_password.ci` |');
    expect(md).toContain('**expired** 2026-02-01, data@example.com');
    expect(md).toContain('| KL-AWS-01 | IAM access key | 0 | 1 | 1 |');
    // only the four rules that fired are rows; the rest is one line (the JSON keeps every rule)
    const ruleRows = md.slice(md.indexOf('## Findings per rule'), md.indexOf('## Who trusts whom')).split('\n').filter((l) => /^\| KL-/.test(l));
    expect(ruleRows.map((l) => l.split(' | ')[0])).toEqual(['| KL-AWS-01', '| KL-SF-01', '| KL-AZ-01', '| KL-TR-04']);
    expect(md).toContain(`\n${CATALOG.length - 4} other rules: no findings.\n`);
    expect(md).not.toContain('| KL-SF-02 |');
    expect(md).toContain('```mermaid\ngraph LR\n');
    expect(md).toContain('## Not checked\n\n- aws_iam_policy.x: policy is ${var.policy}, not checked');
  });

  test('table cells escape pipes', () => {
    const piped = renderReportMarkdown(buildReport({ ...EVALUATION, findings: [{ ...EXEMPTED_KEY, exemption: { ...EXEMPTED_KEY.exemption!, owner: 'a|b' } }] }, { now: NOW }));
    expect(piped).toContain('a\\|b');
  });

  test('an empty inventory says so', () => {
    const empty = renderReportMarkdown(buildReport({ findings: [], trusts: [], resourceCount: 0, notes: [] }, { now: NOW }));
    expect(empty).toContain('None: no long-lived credential or unsafe trust was found.');
    expect(empty).toContain(`\n${CATALOG.length} rules: no findings.\n`);
    expect(empty).not.toContain('| rule | title |');
    expect(empty).not.toContain('## Not checked');
  });
});

describe('writeReport / parseReport', () => {
  test('writes keyless-report.json and keyless-report.md; the JSON reads back as a baseline', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-report-'));
    const report = buildReport(EVALUATION, { now: NOW, root: ROOT });
    const written = writeReport(report, path.join(dir, 'nested'));
    expect(written).toEqual({ json: path.join(dir, 'nested', 'keyless-report.json'), markdown: path.join(dir, 'nested', 'keyless-report.md') });
    expect(parseReport(fs.readFileSync(written.json, 'utf8'))).toEqual(report);
    expect(fs.readFileSync(written.markdown, 'utf8')).toBe(renderReportMarkdown(report));
  });

  test.each([
    ['{', /^malformed JSON: /],
    ['[]', /^not a keyless report: expected a JSON object$/],
    ['{"schema":"other"}', /"schema" is "other", expected "cdk-keyless\/report@1"/],
    [`{"schema":"${REPORT_SCHEMA}","findings":{}}`, /"findings" and "identities" must be arrays/],
    [`{"schema":"${REPORT_SCHEMA}","findings":[{"ruleId":1}],"identities":[]}`, /findings\[0\] needs ruleId, resource and file strings/],
    [`{"schema":"${REPORT_SCHEMA}","findings":[],"identities":[null]}`, /identities\[0\] needs workload and target strings/],
  ])('refuses %s', (text, message) => {
    expect(() => parseReport(text)).toThrow(message);
  });
});

describe('diffReports (migration scoreboard)', () => {
  const baseline: InventoryReport = buildReport({
    findings: [
      { ...EXEMPTED_KEY, file: '/old/checkout/cdk.out/Etl.template.json' }, // same key, other checkout
      { ...EXPIRED_PASSWORD, file: '/old/renamed-out/stacks/app/cdk.tf.json', exemption: undefined, severity: 'error' }, // file renamed: matched on rule + resource
      { ...FEDERATED_FALLBACK, resource: 'azuread_application_password.old' }, // retired
      { ...LIFETIME_WARNING, resource: 'OldPolicy' }, // retired (trust finding)
    ],
    trusts: [SNOWFLAKE_TRUST],
    resourceCount: 30,
    notes: [],
  }, { now: new Date('2026-01-01T00:00:00Z') });
  const current = buildReport(EVALUATION, { now: NOW, root: ROOT });
  const diff = diffReports(baseline, current, new Date('2026-03-01T00:00:00Z'));

  test('retired and added findings', () => {
    expect(diff.retired.map((f) => `${f.ruleId} ${f.resource}`)).toEqual(['KL-AZ-01 azuread_application_password.old', 'KL-TR-04 OldPolicy']);
    expect(diff.added.map((f) => `${f.ruleId} ${f.resource}`)).toEqual(['KL-AZ-01 azuread_application_password.ci', 'KL-TR-04 EtlPolicy99']);
    expect(diff.remaining).toBe(2);
    expect(diff.counts).toEqual({ baselineCredentials: 3, currentCredentials: 3, retiredCredentials: 1, addedCredentials: 1 });
  });

  test('federated identities added and removed', () => {
    expect(diff.identitiesAdded.map((t) => t.target)).toEqual(['azuread_application.etl (etl-app)']);
    expect(diff.identitiesRemoved).toEqual([]);
  });

  test('exemptions expiring within 30 days, judged by the given clock', () => {
    expect(diff.expiringExemptions).toEqual([{ ruleId: 'KL-AWS-01', resource: 'DeployKey1234', file: 'cdk.out/Etl.template.json', owner: 'platform@example.com', expires: '2026-03-10', daysLeft: 9 }]);
    expect(diff.expiredExemptions.map((e) => e.resource)).toEqual(['snowflake_user.legacy']);
    const later = diffReports(baseline, current, new Date('2026-03-11T00:00:00Z'));
    expect(later.expiringExemptions).toEqual([]);
    expect(later.expiredExemptions.map((e) => e.resource)).toEqual(['DeployKey1234', 'snowflake_user.legacy']);
    const earlier = diffReports(baseline, current, new Date('2026-02-01T00:00:00Z'));
    // 2026-03-10 is 37 days away (not listed); 2026-02-01 is today: still active, 0 days left
    expect(earlier.expiringExemptions).toEqual([{ ruleId: 'KL-SF-01', resource: 'snowflake_user.legacy', file: 'cdktf.out/stacks/app/cdk.tf.json', owner: 'data@example.com', expires: '2026-02-01', daysLeft: 0 }]);
    expect(earlier.expiredExemptions).toEqual([]);
  });

  test('duplicates are matched as a multiset', () => {
    const two = buildReport({ ...EVALUATION, findings: [LIFETIME_WARNING, LIFETIME_WARNING] }, { now: NOW });
    const one = buildReport({ ...EVALUATION, findings: [LIFETIME_WARNING] }, { now: NOW });
    expect(diffReports(two, one, NOW).retired).toHaveLength(1);
    expect(diffReports(one, two, NOW).added).toHaveLength(1);
    expect(diffReports(one, one, NOW)).toMatchObject({ retired: [], added: [], remaining: 1 });
  });

  test('renders as Markdown and text', () => {
    const md = renderDiffMarkdown(diff);
    expect(md).toContain('| Credentials retired | 1 |');
    expect(md).toContain('| Credentials added | 1 |');
    expect(md).toContain('- **KL-AZ-01** `azuread_application_password.old`');
    expect(md).toContain('- **KL-AWS-01** `DeployKey1234`: expires 2026-03-10, 9 days left (owner platform@example.com)');
    expect(md).toContain('- **KL-SF-01** `snowflake_user.legacy`: **expired** 2026-02-01');
    const text = renderDiffText(diff);
    expect(text.split('\n')[0]).toBe('credentials: 3 in baseline, 3 now (1 retired, 1 added)');
    expect(text).toContain('retired KL-AZ-01 azuread_application_password.old');
    expect(text).toContain('expiring exemption KL-AWS-01 DeployKey1234: 2026-03-10, 9 day(s) left (owner platform@example.com)');
  });
});

describe('the report draws the federation graph', () => {
  const evaluation: Evaluation = {
    findings: [], trusts: [], resourceCount: 2, notes: [],
    federation: [
      { workload: 'arn:aws:iam::111122223333:role/etl', target: 'snowflake_execute.wif', targetKind: 'snowflake', audience: 'snowflakecomputing.com', algorithm: 'ES384', reachable: true },
      { workload: 'arn:aws:iam::111122223333:role/etl', target: 'azuread_application_federated_identity_credential.x', targetKind: 'entra', audience: 'api://AzureADTokenExchange', algorithm: 'RS256', reachable: false, reason: 'the trust names issuer https://a.example, the account\'s issuer is https://b.example (KL-FED-02)' },
    ],
  };
  const report = buildReport(evaluation, { now: new Date('2026-06-01T00:00:00Z') });

  test('a pair that is not reachable is a broken edge, labelled with its rule; a reachable one adds none', () => {
    expect(report.mermaid).toContain('n0 -.->|"broken: KL-FED-02"| n1');
    expect(report.mermaid).toContain('n1["Entra: azuread_application_federated_identity_credential.x"]');
    expect(report.mermaid).toContain('class n1 defeats');
    expect(report.mermaid).not.toContain('snowflake_execute.wif');
  });

  test('the pairs are in the report and its Markdown table', () => {
    expect(report.federation).toEqual(evaluation.federation);
    expect(renderReportMarkdown(report)).toContain('| `arn:aws:iam::111122223333:role/etl` | `azuread_application_federated_identity_credential.x` | entra | api://AzureADTokenExchange | RS256 | **no**: the trust names issuer https://a.example, the account\'s issuer is https://b.example (KL-FED-02) |');
  });
});

describe('the scoreboard header shows each time once', () => {
  const base = buildReport(EVALUATION, { now: new Date('2026-02-01T00:00:00Z'), run: { commit: 'a'.repeat(40), branch: 'main', producer: 'cli', inputs: ['cdk.out'] } });
  const later = buildReport(EVALUATION, { now: NOW, run: { commit: 'b'.repeat(40), branch: 'main', producer: 'cli', inputs: ['cdk.out'] } });
  const times = (text: string, iso: string) => text.split(iso).length - 1;

  test('two times, two commits', () => {
    const header = renderDiffMarkdown(diffReports(base, later, NOW)).split('\n')[2];
    expect(header).toBe('Baseline 2026-02-01T00:00:00.000Z from `aaaaaaa` on `main` → current 2026-03-01T08:00:00.000Z from `bbbbbbb` on `main`.');
  });

  test('reports generated at the same time: the time once', () => {
    const same = buildReport(EVALUATION, { now: NOW });
    const md = renderDiffMarkdown(diffReports(same, later, NOW));
    expect(times(md, NOW.toISOString())).toBe(1);
    expect(md.split('\n')[2]).toBe('Baseline 2026-03-01T08:00:00.000Z → current from `bbbbbbb` on `main` (generated at the same time).');
  });

  test('with the current report below (keyless report --baseline --format markdown), its time is not repeated above', () => {
    const diff = diffReports(base, later, NOW);
    const out = `${renderDiffMarkdown(diff, { currentTimeShownBelow: true })}\n${renderReportMarkdown(later)}`;
    expect(times(out, NOW.toISOString())).toBe(1);
    expect(times(out, '2026-02-01T00:00:00.000Z')).toBe(1);
  });
});
