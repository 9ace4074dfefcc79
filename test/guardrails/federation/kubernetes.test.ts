/**
 * Reading Kubernetes authentication configurations as federation trusts: which files are one, what each JWT
 * authenticator trusts, and the crafted or broken files that must never be read as a narrower trust than kube-apiserver
 * applies.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FederationPlan, KubernetesAuthentication, KubernetesAuthenticationApiVersion, TargetKind } from '../../../lib';
import {
  findKubernetesAuthentications, KubernetesAuthenticationError, kubernetesAuthenticationTrusts, looksLikeKubernetesAuthentication, readKubernetesAuthentication,
} from '../../../lib/guardrails/federation/kubernetes';
import { pinnedSubjects } from '../../../lib/guardrails/federation/trusts';

const ISSUER = 'https://0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.tokens.sts.global.api.aws';
const A = 'arn:aws:iam::111122223333:role/workloads/a';
const B = 'arn:aws:iam::111122223333:role/workloads/b';
const C = 'arn:aws:iam::111122223333:role/c';

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-k8s-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const yaml = (authenticators: string, apiVersion = 'apiserver.config.k8s.io/v1'): string => `apiVersion: ${apiVersion}\nkind: AuthenticationConfiguration\njwt:\n${authenticators}`;
const authenticator = (rules: string, { url = ISSUER, audiences = '["aud-1"]', extra = '' } = {}): string => [
  '  - issuer:',
  `      url: ${url}`,
  `      audiences: ${audiences}`,
  extra,
  '    claimMappings:',
  '      username: { claim: sub, prefix: "aws:" }',
  rules === '' ? '' : `    claimValidationRules:\n${rules}`,
].filter((l) => l !== '').join('\n') + '\n';

const read = (text: string) => readKubernetesAuthentication(write(`c-${Math.random().toString(36).slice(2)}.yaml`, text));
const pairs = (text: string) => read(text).trusts.map((t) => [t.subject, t.audience]);
const refusal = (text: string): string => {
  try {
    read(text);
  } catch (e) {
    expect(e).toBeInstanceOf(KubernetesAuthenticationError);
    return (e as Error).message;
  }
  throw new Error('expected the file to be refused');
};

describe('which files are Kubernetes authentication configurations', () => {
  test('the file KubernetesAuthentication writes (YAML), in every apiVersion it writes, and the same document as JSON', () => {
    const plan = new FederationPlan({
      account: '111122223333',
      issuerUrl: ISSUER,
      workloads: [{ name: 'a', roleName: 'a', rolePath: '/workloads/', targets: [{ name: 'cluster', kind: TargetKind.KUBERNETES, audience: 'aud-1', kubernetesClusterRole: 'view' }] }],
    });
    for (const apiVersion of [KubernetesAuthenticationApiVersion.V1, KubernetesAuthenticationApiVersion.V1BETA1]) {
      const auth = KubernetesAuthentication.fromPlan(plan, { apiVersion });
      const file = write(`written-${apiVersion.split('/')[1]}.yaml`, auth.toYaml());
      expect(looksLikeKubernetesAuthentication(file)).toBe(true);
      const { trusts, notes } = readKubernetesAuthentication(file);
      expect(notes).toEqual([]);
      expect(trusts).toEqual([{
        kind: 'kubernetes', address: 'AuthenticationConfiguration.jwt[0]', resourceType: 'apiserver.config.k8s.io AuthenticationConfiguration', file,
        label: `Kubernetes JWT authenticator jwt[0] (user aws:${A})`, issuer: ISSUER, subject: A, subjectMatch: 'exact', audience: 'aud-1', algorithms: ['RS256', 'ES384'],
      }]);
    }
    const json = write('as-json.json', JSON.stringify(KubernetesAuthentication.fromPlan(plan).toDocument()));
    expect(looksLikeKubernetesAuthentication(json)).toBe(true);
    expect(readKubernetesAuthentication(json).trusts.map((t) => t.subject)).toEqual([A]);
  });

  test('not every YAML: RBAC manifests, templates, other AuthenticationConfiguration kinds, .tf.json and Markdown are not read', () => {
    const rbac = write('rbac.yaml', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: { name: x }\n');
    const template = write('template.yaml', 'Resources:\n  Role: { Type: AWS::IAM::Role }\n');
    const otherGroup = write('other.yaml', 'apiVersion: example.com/v1\nkind: AuthenticationConfiguration\n');
    const tfJson = write('main.tf.json', JSON.stringify({ kind: 'AuthenticationConfiguration', apiVersion: 'apiserver.config.k8s.io/v1' }));
    const markdown = write('page.md', yaml(authenticator('')));
    for (const file of [rbac, template, otherGroup, tfJson, markdown]) expect([file, looksLikeKubernetesAuthentication(file)]).toEqual([file, false]);
  });

  test('a directory is searched below, skipping hidden directories, node_modules and cdk.out', () => {
    const root = path.join(dir, 'tree');
    const inside = write('tree/clusters/prod/auth.yml', yaml(authenticator(`      - claim: sub\n        requiredValue: ${A}`)));
    write('tree/node_modules/pkg/auth.yaml', yaml(authenticator('')));
    write('tree/.git/auth.yaml', yaml(authenticator('')));
    write('tree/cdk.out/auth.yaml', yaml(authenticator('')));
    write('tree/clusters/prod/rbac.yaml', 'kind: RoleBinding\n');
    expect(findKubernetesAuthentications(root)).toEqual([inside]);
    expect(findKubernetesAuthentications(inside)).toEqual([inside]);
    expect(findKubernetesAuthentications(path.join(dir, 'missing'))).toEqual([]);
  });
});

describe('what a JWT authenticator trusts', () => {
  test('claim: sub with requiredValue pins one role; every audience is its own trust', () => {
    expect(pairs(yaml(authenticator(`      - claim: sub\n        requiredValue: ${A}`, { audiences: '["aud-1", "aud-2"]', extra: '      audienceMatchPolicy: MatchAny' }))))
      .toEqual([[A, 'aud-1'], [A, 'aud-2']]);
  });

  test('CEL: == with either quote, in [...], || of those', () => {
    expect(pairs(yaml(authenticator(`      - expression: claims.sub == "${A}"`)))).toEqual([[A, 'aud-1']]);
    expect(pairs(yaml(authenticator(`      - expression: "claims.sub in ['${A}', '${B}']"`)))).toEqual([[A, 'aud-1'], [B, 'aud-1']]);
    expect(pairs(yaml(authenticator(`      - expression: "claims.sub == '${A}' || (claims.sub == '${C}')"`)))).toEqual([[A, 'aud-1'], [C, 'aud-1']]);
  });

  test('several rules are ANDed: only the roles every sub rule admits', () => {
    const text = yaml(authenticator(`      - expression: "claims.sub in ['${A}', '${B}']"\n      - claim: sub\n        requiredValue: ${B}`));
    expect(pairs(text)).toEqual([[B, 'aud-1']]);
    const none = read(yaml(authenticator(`      - claim: sub\n        requiredValue: ${A}\n      - expression: claims.sub == "${B}"`)));
    expect(none.trusts).toEqual([]);
    expect(none.notes).toEqual([expect.stringContaining('its claim validation rules on sub admit no role together')]);
  });

  test('each authenticator is read on its own', () => {
    const other = 'https://9f8e7d6c-5b4a-4321-8fed-cba987654321.tokens.sts.global.api.aws';
    const { trusts } = read(yaml(authenticator(`      - claim: sub\n        requiredValue: ${A}`) + authenticator(`      - claim: sub\n        requiredValue: ${B}`, { url: other })));
    expect(trusts.map((t) => [t.address, t.issuer, t.subject])).toEqual([['AuthenticationConfiguration.jwt[0]', ISSUER, A], ['AuthenticationConfiguration.jwt[1]', other, B]]);
  });

  test('an authenticator that pins no subject is no trust of any one role: a note names the file and the authenticator', () => {
    const file = write('unpinned.yaml', yaml(authenticator('')));
    const { trusts, notes } = readKubernetesAuthentication(file);
    expect(trusts).toEqual([]);
    expect(notes).toEqual([`${file}: jwt[0] (issuer ${ISSUER}) pins no subject (no claim validation rule on sub): it admits ANY AWS role of the issuer's account that can mint "aud-1", `
      + 'so the federation graph joins it to no role; add a claimValidationRules entry (claim: sub, requiredValue: <role ARN>), as KubernetesAuthentication writes']);
  });

  test('a rule on another claim is noted as not evaluated; it does not pin the subject', () => {
    const { trusts, notes } = read(yaml(authenticator(`      - claim: sub\n        requiredValue: ${A}\n      - expression: claims.exp - claims.iat <= 3600`)));
    expect(trusts.map((t) => t.subject)).toEqual([A]);
    expect(notes).toEqual([expect.stringContaining('its claim validation rule expression "claims.exp - claims.iat <= 3600" is not about sub and is not evaluated')]);
  });
});

describe('crafted sub rules are never read as a pin', () => {
  // each of these admits more (or other) roles than the ARN it shows; the reader must say it cannot tell
  const crafted = [
    `claims.sub == '${A}' || true`,
    `claims.sub == '${A}' || claims.sub.startsWith('arn:aws:iam::')`,
    `claims.sub != '${A}'`,
    `claims.sub == '${A}' && claims.sub == '${B}' || claims.sub != ''`,
    `claims.sub == '${A}\\u0062'`,
    `claims.sub in ['${A}', claims.sub]`,
    `claims.sub == r'${A}'`,
    `claims.sub.matches('^arn:aws:iam::111122223333:role/.*$')`,
    `claims["sub"] == '${A}'`,
  ];
  test.each(crafted)('%s', (expression) => {
    const { trusts, notes } = read(yaml(authenticator(`      - expression: ${JSON.stringify(expression)}`)));
    expect(trusts).toEqual([]);
    expect(notes).toEqual([expect.stringContaining('does not pin sub to exact role ARNs')]);
  });

  test('the same scanner, with its default variable, still reads Google Cloud conditions', () => {
    expect(pinnedSubjects(`assertion.sub == '${A}'`)).toEqual([A]);
    expect(pinnedSubjects(`claims.sub == '${A}'`)).toBeUndefined();
    expect(pinnedSubjects(`assertion.sub == '${A}\\x41'`)).toBeUndefined();
  });
});

describe('files kube-apiserver would refuse, or that are no configuration: unusable input naming the field, value and rule', () => {
  const pinned = `      - claim: sub\n        requiredValue: ${A}`;
  test.each([
    ['an http issuer', yaml(authenticator(pinned, { url: 'http://issuer.example' })), 'jwt[0].issuer.url "http://issuer.example": kube-apiserver requires an https issuer [rule kubernetes.issuer-url]'],
    ['an issuer with a query', yaml(authenticator(pinned, { url: `${ISSUER}?x=1` })), 'refuses an issuer with a query, fragment or user info'],
    ['no audience', yaml(authenticator(pinned, { audiences: '[]' })), 'jwt[0].issuer.audiences must be a non-empty list of non-empty strings, got [] [rule kubernetes.audiences]'],
    ['two audiences without MatchAny', yaml(authenticator(pinned, { audiences: '[a, b]' })), 'jwt[0].issuer.audienceMatchPolicy must be "MatchAny" when there are several audiences, got nothing [rule kubernetes.audiences]'],
    ['an audience twice', yaml(authenticator(pinned, { audiences: '[a, a]', extra: '      audienceMatchPolicy: MatchAny' })), 'holds an audience twice'],
    ['the same issuer twice', yaml(authenticator(pinned) + authenticator(pinned)), `jwt[1].issuer.url "${ISSUER}" is also the issuer of jwt[0]: kube-apiserver refuses duplicate issuers`],
    ['a rule with claim and expression', yaml(authenticator(`      - claim: sub\n        requiredValue: ${A}\n        expression: "true"`)), 'needs exactly one of claim (with requiredValue) or expression'],
    ['an unknown apiVersion', yaml(authenticator(pinned), 'apiserver.config.k8s.io/v2'), 'apiVersion "apiserver.config.k8s.io/v2" is not one this check reads'],
    ['no username mapping', yaml(authenticator(pinned)).replace('    claimMappings:\n      username: { claim: sub, prefix: "aws:" }\n', ''), 'jwt[0].claimMappings.username is required'],
  ])('%s', (_, text, message) => {
    expect(refusal(text)).toContain(message);
  });

  test('a duplicate key (a second url under the same issuer) is refused, not read as either value', () => {
    const text = yaml(authenticator(pinned)).replace(`      url: ${ISSUER}\n`, `      url: ${ISSUER}\n      url: https://attacker.example\n`);
    expect(refusal(text)).toMatch(/^malformed Kubernetes authentication configuration: .*[Mm]ap keys must be unique/);
  });

  test('two documents in one file, an alias bomb, broken YAML', () => {
    expect(refusal(`${yaml(authenticator(pinned))}---\n${yaml(authenticator(pinned))}`)).toMatch(/^malformed Kubernetes authentication configuration: /);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n');
    expect(refusal(`${yaml(authenticator(pinned))}${bomb}\n`)).toMatch(/^malformed Kubernetes authentication configuration: .*[Ee]xcessive alias count/);
    expect(refusal(`${yaml(authenticator(pinned))}  - issuer: [\n`)).toMatch(/^malformed Kubernetes authentication configuration: /);
  });

  test('a parsed document of another kind is refused by the reader (the file said it was one)', () => {
    expect(() => kubernetesAuthenticationTrusts({ kind: 'ClusterRoleBinding' }, 'f.yaml')).toThrow('not a Kubernetes authentication configuration (expected kind: AuthenticationConfiguration), got kind "ClusterRoleBinding"');
  });
});
