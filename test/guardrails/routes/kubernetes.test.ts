/**
 * The Kubernetes trust through its route: `keyless check` over what examples/gcp-kubernetes-workload synthesizes
 * (cdk.out + cdktf.out) and the authentication configuration `KubernetesAuthentication` writes beside it, as
 * `npm run synth` builds them; then one break of that file at a time.
 */
import * as fs from 'fs';
import * as path from 'path';
import { EXAMPLES, runStage } from '../../../examples/synth-all';
import { CliIo, main } from '../../../lib/cli/main';
import { NOW, readJson, tempDir } from '../../examples/support';

const ROLE = 'arn:aws:iam::111122223333:role/workloads/report-exporter';
const ISSUER = 'https://7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f.tokens.sts.global.api.aws';
const OTHER_ISSUER = 'https://9f8e7d6c-5b4a-4321-8fed-cba987654321.tokens.sts.global.api.aws';
const AUDIENCE = 'https://kubernetes.reports.acme.example';
const TRUST = 'AuthenticationConfiguration.jwt[0]';
const REL = path.join('kubernetes', 'authentication-config.yaml');

async function check(cwd: string, args: string[]): Promise<{ code: number; json: any; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, cwd, env: { KEYLESS_NOW: NOW }, stderrIsTty: false };
  const code = await main(['check', ...args, '--format', 'json'], io);
  return { code, json: stdout ? JSON.parse(stdout) : undefined, stderr };
}

const fed = (json: any): [string, string, string, string][] => json.findings.filter((f: any) => f.ruleId.startsWith('KL-FED-'))
  .map((f: any) => [f.ruleId, f.severity, f.resource, f.file]);
const k8sPairs = (json: any) => json.federation.filter((p: any) => p.targetKind === 'kubernetes');

describe('keyless check over the gcp-kubernetes-workload example and its authentication configuration', () => {
  let root: string;
  let pristine: string;
  let work: string;
  const config = () => path.join(work, 'kubernetes', 'authentication-config.yaml');
  const edit = (from: string, to: string): void => {
    const text = fs.readFileSync(config(), 'utf8');
    expect(text).toContain(from);
    fs.writeFileSync(config(), text.split(from).join(to));
  };

  beforeAll(async () => {
    root = tempDir('kubernetes-routes');
    const example = EXAMPLES.find((e) => e.name === 'gcp-kubernetes-workload')!;
    const stage = await runStage(example, example.stages[0], root, new Date(NOW), new Map());
    pristine = stage.dir;
    // npm run synth joins the file too: both pairs of the example are reachable
    expect(stage.federation.map((p) => [p.targetKind, p.target, p.reachable])).toEqual([
      ['gcp', expect.stringMatching(/^google_iam_workload_identity_pool_provider\./), true],
      ['kubernetes', TRUST, true],
    ]);
  }, 120_000);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  beforeEach(() => {
    work = path.join(root, `work-${Math.random().toString(36).slice(2)}`);
    fs.cpSync(pristine, work, { recursive: true });
  });

  test('the paved road: the directory of cluster files joins, the pair is reachable (simulated token verified), no finding', async () => {
    const r = await check(work, ['cdk.out', 'cdktf.out', 'kubernetes']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.json.findings).toEqual([]);
    expect(k8sPairs(r.json)).toEqual([{ workload: ROLE, target: TRUST, targetKind: 'kubernetes', audience: AUDIENCE, algorithm: 'RS256', reachable: true }]);
    // rbac.yaml and kubernetes-trust.md beside it are not read as templates or trusts
    expect(r.json.summary.notes.join('\n')).not.toContain('rbac.yaml');
  });

  test('the file given as a PATH joins the same way; the whole example folder finds it too', async () => {
    const file = await check(work, ['cdk.out', 'cdktf.out', 'kubernetes/authentication-config.yaml']);
    expect(file.code).toBe(0);
    expect(k8sPairs(file.json)).toHaveLength(1);
    const folder = await check(work, ['.']);
    expect(folder.code).toBe(0);
    expect(k8sPairs(folder.json)).toEqual([expect.objectContaining({ workload: ROLE, reachable: true })]);
  });

  test('without the roles, no finding: a note says that side was not checked', async () => {
    const r = await check(work, ['kubernetes']);
    expect(r.code).toBe(0);
    expect(r.json.federation).toEqual([]);
    expect(r.json.summary.notes).toEqual(expect.arrayContaining([
      expect.stringContaining(`${TRUST} (Kubernetes JWT authenticator jwt[0] (user aws:${ROLE})) trusts ${ROLE}, but no role of account 111122223333 is among the inputs`),
    ]));
  });

  test('KL-FED-01: the pinned role ARN has a typo', async () => {
    edit(`requiredValue: ${ROLE}`, 'requiredValue: arn:aws:iam::111122223333:role/workloads/report-exproter');
    const r = await check(work, ['cdk.out', 'cdktf.out', 'kubernetes']);
    expect(r.code).toBe(1);
    expect(fed(r.json)).toEqual([['KL-FED-01', 'error', TRUST, REL]]);
    expect(k8sPairs(r.json)).toEqual([expect.objectContaining({ workload: 'arn:aws:iam::111122223333:role/workloads/report-exproter', reachable: false })]);
  });

  test('KL-FED-01 with a hint: the role\'s path is missing from the CEL rule', async () => {
    edit(`- claim: sub\n        requiredValue: ${ROLE}`, '- expression: claims.sub == "arn:aws:iam::111122223333:role/report-exporter"');
    const r = await check(work, ['cdk.out', 'cdktf.out', 'kubernetes']);
    expect(fed(r.json)).toEqual([['KL-FED-01', 'error', TRUST, REL]]);
    expect(r.json.findings[0].message).toContain(`has that name with path /workloads/: ${ROLE}`);
  });

  test('KL-FED-02: the authenticator trusts another issuer', async () => {
    edit(`url: ${ISSUER}`, `url: ${OTHER_ISSUER}`);
    const r = await check(work, ['cdk.out', 'cdktf.out', 'kubernetes']);
    expect(r.code).toBe(1);
    expect(fed(r.json)).toEqual([['KL-FED-02', 'error', TRUST, REL]]);
    expect(k8sPairs(r.json)[0].reason).toContain(`the trust names issuer ${OTHER_ISSUER}, the account's issuer is ${ISSUER} (KL-FED-02)`);
  });

  test('KL-FED-02: a trailing slash is another issuer', async () => {
    edit(`url: ${ISSUER}`, `url: ${ISSUER}/`);
    const r = await check(work, ['cdk.out', 'cdktf.out', 'kubernetes']);
    expect(fed(r.json)).toEqual([['KL-FED-02', 'error', TRUST, REL]]);
  });

  test('KL-FED-03: the authenticator expects an audience the role cannot mint', async () => {
    edit(`- ${AUDIENCE}`, '- https://kubernetes.other.acme.example');
    const r = await check(work, ['cdk.out', 'cdktf.out', 'kubernetes']);
    expect(r.code).toBe(1);
    const role = Object.entries(readJson(path.join(work, 'cdk.out', 'ReportExporter.template.json')).Resources)
      .find(([, res]: [string, any]) => res.Type === 'AWS::IAM::Role' && res.Properties.RoleName === 'report-exporter')![0];
    expect(fed(r.json)).toEqual([['KL-FED-03', 'error', role, expect.stringMatching(/ReportExporter\.template\.json$/)]]);
    expect(r.json.findings[0].message).toContain('no statement of its identity policies lets it mint a token for audience "https://kubernetes.other.acme.example"');
  });

  test('an ES384 grant is reachable: kube-apiserver verifies every asymmetric JOSE algorithm', async () => {
    const template = path.join(work, 'cdk.out', 'ReportExporter.template.json');
    const json = readJson(template);
    const cluster = (Object.values(json.Resources) as any[]).flatMap((res) => res.Properties?.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement).find((s: any) => s.Sid === 'MintTokenForCluster');
    cluster.Condition.StringEquals['sts:SigningAlgorithm'] = 'ES384';
    fs.writeFileSync(template, JSON.stringify(json));
    const r = await check(work, ['cdk.out', 'cdktf.out', 'kubernetes']);
    expect(r.code).toBe(0);
    expect(k8sPairs(r.json)).toEqual([expect.objectContaining({ algorithm: 'ES384', reachable: true })]);
  });

  test('an authenticator that pins no subject joins no role, and a note names the file and the authenticator', async () => {
    edit(`    claimValidationRules:\n      - claim: sub\n        requiredValue: ${ROLE}\n`, '');
    const r = await check(work, ['cdk.out', 'cdktf.out', 'kubernetes']);
    expect(r.code).toBe(0);
    expect(k8sPairs(r.json)).toEqual([]);
    expect(r.json.summary.notes).toEqual(expect.arrayContaining([
      `${config()}: jwt[0] (issuer ${ISSUER}) pins no subject (no claim validation rule on sub): it admits ANY AWS role of the issuer's account that can mint "${AUDIENCE}", `
        + 'so the federation graph joins it to no role; add a claimValidationRules entry (claim: sub, requiredValue: <role ARN>), as KubernetesAuthentication writes',
    ]));
  });

  test('a malformed YAML file: exit 2, one line naming the file', async () => {
    edit('    claimMappings:\n', '    claimMappings: [\n');
    const r = await check(work, ['cdk.out', 'cdktf.out', 'kubernetes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^keyless: ${config().replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: malformed Kubernetes authentication configuration: .+\n$`));
  });

  test('a configuration kube-apiserver refuses (http issuer): exit 2 naming the file, the field, the value and the rule', async () => {
    edit(`url: ${ISSUER}`, 'url: http://issuer.example');
    const r = await check(work, ['cdk.out', 'kubernetes']);
    expect([r.code, r.stderr]).toEqual([2, `keyless: ${config()}: jwt[0].issuer.url "http://issuer.example": kube-apiserver requires an https issuer [rule kubernetes.issuer-url]\n`]);
  });
});
