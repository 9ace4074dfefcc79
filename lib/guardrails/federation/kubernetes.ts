/**
 * Kubernetes structured authentication configurations (`apiserver.config.k8s.io` `AuthenticationConfiguration`, the
 * file of kube-apiserver `--authentication-config`, as `KubernetesAuthentication` writes it) as relying-party trusts of
 * the federation graph: each JWT authenticator trusts `issuer.url` for `issuer.audiences`, and its
 * `claimValidationRules` pin the token's `sub` (the role ARN). One trust per pinned role ARN x audience.
 *
 * Only files of this kind are read: a YAML or JSON file is one when it says `kind: AuthenticationConfiguration` with an
 * `apiserver.config.k8s.io/...` apiVersion. Everything else (RBAC manifests, CI configs, templates) is left to the
 * template loader, which skips what is no template.
 */
import * as fs from 'fs';
import { TARGET_ALGORITHMS, TargetKind } from '../../core/target';
import { isObject } from '../policy/json';
import { yaml } from '../yaml';
import { findTrustFiles } from './manifest';
import { RelyingPartyTrust } from './model';
import { pinnedSubjects } from './trusts';

/** The API group of kube-apiserver's configuration files, and the versions that hold `AuthenticationConfiguration`. */
export const KUBERNETES_AUTHENTICATION_GROUP = 'apiserver.config.k8s.io';
export const KUBERNETES_AUTHENTICATION_VERSIONS: readonly string[] = ['v1', 'v1beta1', 'v1alpha1'];
const KIND = 'AuthenticationConfiguration';

/** What a resource of this kind is called in findings. */
export const KUBERNETES_AUTHENTICATION_TYPE = `${KUBERNETES_AUTHENTICATION_GROUP} ${KIND}`;

/** A Kubernetes authentication configuration that kube-apiserver would refuse, or that is no YAML/JSON at all: unusable input. */
export class KubernetesAuthenticationError extends Error {
  constructor(readonly file: string, reason: string) {
    super(reason);
    this.name = 'KubernetesAuthenticationError';
  }
}

/** The trusts of one configuration file, and what could not be read from it. */
export interface KubernetesAuthenticationTrusts {
  readonly file: string;
  readonly trusts: RelyingPartyTrust[];
  readonly notes: string[];
}

/** How far into a file its `kind` and `apiVersion` are looked for (both are top-level keys, normally first). */
const SNIFF_WINDOW = 64 * 1024;
const KIND_LINE = /(?:^|[{,\s])["']?kind["']?\s*:\s*["']?AuthenticationConfiguration\b/m;
const GROUP_LINE = /(?:^|[{,\s])["']?apiVersion["']?\s*:\s*["']?apiserver\.config\.k8s\.io\//m;

/**
 * Whether a file says it is a Kubernetes authentication configuration (a `.yaml`, `.yml` or `.json` file, not
 * `.tf.json`, whose first 64 KiB name the kind and the API group), without parsing it. A file that says so and then
 * does not parse is unusable input, not something to skip.
 */
export function looksLikeKubernetesAuthentication(file: string): boolean {
  const lower = file.toLowerCase();
  if (!/\.(ya?ml|json)$/.test(lower) || lower.endsWith('.tf.json')) return false;
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(SNIFF_WINDOW);
    const n = fs.readSync(fd, head, 0, SNIFF_WINDOW, 0);
    // most files searched are templates: a byte search for the kind rules them out before any decoding
    if (head.subarray(0, n).indexOf('AuthenticationConfiguration') === -1) return false;
    const text = head.subarray(0, n).toString('utf8');
    return KIND_LINE.test(text) && GROUP_LINE.test(text);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Directories a search never enters (cloud assemblies and cdktf output hold no cluster configuration). */
/**
 * The Kubernetes authentication configurations at `path`: the file itself, or every one below the directory
 * (skipping hidden directories, `node_modules` and CDK/CDKTF output), in path order.
 */
export function findKubernetesAuthentications(path: string): string[] {
  return findTrustFiles(path, looksLikeKubernetesAuthentication);
}

/** Reads one file (YAML or JSON); a malformed or invalid one throws {@link KubernetesAuthenticationError}. */
export function readKubernetesAuthentication(file: string): KubernetesAuthenticationTrusts {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new KubernetesAuthenticationError(file, `cannot read the Kubernetes authentication configuration: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return kubernetesAuthenticationTrusts(parseConfiguration(text, file), file);
}

/**
 * Parses YAML (JSON is YAML) the way kube-apiserver's strict decoding reads it: one document, no duplicate keys
 * (a second `url:` would let this check and the API server read different issuers), `<<` merge keys applied.
 */
function parseConfiguration(text: string, file: string): unknown {
  const doc = yaml().parseDocument(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, { uniqueKeys: true, merge: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new KubernetesAuthenticationError(file, `malformed Kubernetes authentication configuration: ${doc.errors[0].message.split('\n')[0]}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new KubernetesAuthenticationError(file, `malformed Kubernetes authentication configuration: ${(e as Error).message.split('\n')[0]}`);
  }
}

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** A string field of the configuration, or an error naming the field, the value and the rule. */
function text(value: unknown, field: string, file: string, rule: string, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new KubernetesAuthenticationError(file, `${field} must be a non-empty string, got ${show(value)} [rule ${rule}]`);
  }
  return value;
}

/** kube-apiserver's rules for `issuer.url`: https, no query, fragment or user info. */
function issuerUrl(value: unknown, field: string, file: string): string {
  const url = text(value, field, file, 'kubernetes.issuer-url', true)!;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new KubernetesAuthenticationError(file, `${field} ${JSON.stringify(url)} is not a URL [rule kubernetes.issuer-url]`);
  }
  if (parsed.protocol !== 'https:') throw new KubernetesAuthenticationError(file, `${field} ${JSON.stringify(url)}: kube-apiserver requires an https issuer [rule kubernetes.issuer-url]`);
  if (parsed.search !== '' || parsed.hash !== '' || parsed.username !== '' || parsed.password !== '') {
    throw new KubernetesAuthenticationError(file, `${field} ${JSON.stringify(url)}: kube-apiserver refuses an issuer with a query, fragment or user info [rule kubernetes.issuer-url]`);
  }
  return url;
}

/** A claim validation rule's reading: the role ARNs it pins `sub` to, or why it says nothing about `sub`, or that it cannot be read. */
type RuleReading = { readonly pins: string[] } | { readonly other: string } | { readonly unreadable: string };

const MENTIONS_SUB = /\bclaims\s*(?:\.\s*sub\b|\[\s*['"]sub['"]\s*\])/;

function readRule(rule: unknown, field: string, file: string): RuleReading {
  if (!isObject(rule)) throw new KubernetesAuthenticationError(file, `${field} must be an object, got ${show(rule)} [rule kubernetes.claim-validation-rule]`);
  const claim = text(rule.claim, `${field}.claim`, file, 'kubernetes.claim-validation-rule', false);
  const expression = text(rule.expression, `${field}.expression`, file, 'kubernetes.claim-validation-rule', false);
  if ((claim === undefined) === (expression === undefined)) {
    throw new KubernetesAuthenticationError(file, `${field} needs exactly one of claim (with requiredValue) or expression, got ${show(rule)} [rule kubernetes.claim-validation-rule]`);
  }
  if (claim !== undefined) {
    if (rule.requiredValue !== undefined && typeof rule.requiredValue !== 'string') {
      throw new KubernetesAuthenticationError(file, `${field}.requiredValue must be a string, got ${show(rule.requiredValue)} [rule kubernetes.claim-validation-rule]`);
    }
    const required = (rule.requiredValue as string | undefined) ?? '';
    if (claim !== 'sub') return { other: `claim ${claim} == ${JSON.stringify(required)}` };
    // kube-apiserver compares the claim with requiredValue as one exact string
    return required === '' ? { unreadable: 'claim sub with an empty requiredValue' } : { pins: [required] };
  }
  if (!MENTIONS_SUB.test(expression!)) return { other: `expression ${JSON.stringify(expression)}` };
  const pins = pinnedSubjects(expression!, 'claims.sub');
  return pins ? { pins } : { unreadable: `expression ${JSON.stringify(expression)}` };
}

/** The username an authenticator maps a role to, as far as it is known from the file. */
function usernameOf(mappings: unknown, field: string, file: string): { claim?: string; prefix?: string; expression?: string } {
  const username = isObject(mappings) ? mappings.username : undefined;
  if (!isObject(username)) {
    throw new KubernetesAuthenticationError(file, `${field}.username is required (claim with prefix, or expression), got ${show(username)} [rule kubernetes.username]`);
  }
  const claim = text(username.claim, `${field}.username.claim`, file, 'kubernetes.username', false);
  const expression = text(username.expression, `${field}.username.expression`, file, 'kubernetes.username', false);
  if ((claim === undefined) === (expression === undefined)) {
    throw new KubernetesAuthenticationError(file, `${field}.username needs exactly one of claim or expression, got ${show(username)} [rule kubernetes.username]`);
  }
  if (username.prefix !== undefined && typeof username.prefix !== 'string') {
    throw new KubernetesAuthenticationError(file, `${field}.username.prefix must be a string, got ${show(username.prefix)} [rule kubernetes.username]`);
  }
  return { ...(claim ? { claim } : {}), ...(expression ? { expression } : {}), ...(typeof username.prefix === 'string' ? { prefix: username.prefix } : {}) };
}

/**
 * The trusts a parsed configuration holds. Throws {@link KubernetesAuthenticationError} for what kube-apiserver would
 * refuse to load (no https issuer, no audience, more than one audience without `audienceMatchPolicy: MatchAny`, the same
 * issuer twice, a rule with both or neither of claim and expression, no username mapping); returns notes for what it
 * cannot judge: an authenticator that pins no subject (it admits every role of the issuer's account that can mint one
 * of its audiences, so it is joined to no role), or one whose `sub` rule is an expression it cannot read.
 * A parsed document of another kind or API group throws too: {@link looksLikeKubernetesAuthentication} said it was one.
 */
export function kubernetesAuthenticationTrusts(doc: unknown, file: string): KubernetesAuthenticationTrusts {
  if (!isObject(doc) || doc.kind !== KIND) {
    throw new KubernetesAuthenticationError(file, `not a Kubernetes authentication configuration (expected kind: ${KIND}), got kind ${show(isObject(doc) ? doc.kind : doc)}`);
  }
  const apiVersion = doc.apiVersion;
  const [group, version] = typeof apiVersion === 'string' ? apiVersion.split('/') : [];
  if (group !== KUBERNETES_AUTHENTICATION_GROUP || !KUBERNETES_AUTHENTICATION_VERSIONS.includes(version ?? '')) {
    throw new KubernetesAuthenticationError(file, `apiVersion ${show(apiVersion)} is not one this check reads (${KUBERNETES_AUTHENTICATION_VERSIONS.map((v) => `${KUBERNETES_AUTHENTICATION_GROUP}/${v}`).join(', ')}) [rule kubernetes.api-version]`);
  }
  const jwt = doc.jwt ?? [];
  if (!Array.isArray(jwt)) throw new KubernetesAuthenticationError(file, `jwt must be a list of authenticators, got ${show(jwt)} [rule kubernetes.jwt]`);
  const trusts: RelyingPartyTrust[] = [];
  const notes: string[] = [];
  const issuers = new Map<string, string>();
  jwt.forEach((authenticator: unknown, i: number) => {
    const at = `jwt[${i}]`;
    if (!isObject(authenticator)) throw new KubernetesAuthenticationError(file, `${at} must be an object, got ${show(authenticator)} [rule kubernetes.jwt]`);
    const issuer = isObject(authenticator.issuer) ? authenticator.issuer : undefined;
    if (!issuer) throw new KubernetesAuthenticationError(file, `${at}.issuer is required, got ${show(authenticator.issuer)} [rule kubernetes.issuer-url]`);
    const url = issuerUrl(issuer.url, `${at}.issuer.url`, file);
    if (issuers.has(url)) throw new KubernetesAuthenticationError(file, `${at}.issuer.url ${JSON.stringify(url)} is also the issuer of ${issuers.get(url)}: kube-apiserver refuses duplicate issuers [rule kubernetes.issuer-url]`);
    issuers.set(url, at);
    const audiences = issuer.audiences;
    if (!Array.isArray(audiences) || audiences.length === 0 || audiences.some((a) => typeof a !== 'string' || a === '')) {
      throw new KubernetesAuthenticationError(file, `${at}.issuer.audiences must be a non-empty list of non-empty strings, got ${show(audiences)} [rule kubernetes.audiences]`);
    }
    if (new Set(audiences).size !== audiences.length) throw new KubernetesAuthenticationError(file, `${at}.issuer.audiences ${show(audiences)} holds an audience twice [rule kubernetes.audiences]`);
    const policy = issuer.audienceMatchPolicy;
    if (audiences.length > 1 ? policy !== 'MatchAny' : policy !== undefined && policy !== '' && policy !== 'MatchAny') {
      throw new KubernetesAuthenticationError(file, `${at}.issuer.audienceMatchPolicy must be "MatchAny"${audiences.length > 1 ? ' when there are several audiences' : ' (or unset)'}, got ${show(policy)} [rule kubernetes.audiences]`);
    }
    const username = usernameOf(authenticator.claimMappings, `${at}.claimMappings`, file);
    const rules = authenticator.claimValidationRules ?? [];
    if (!Array.isArray(rules)) throw new KubernetesAuthenticationError(file, `${at}.claimValidationRules must be a list, got ${show(rules)} [rule kubernetes.claim-validation-rule]`);
    const readings = rules.map((r: unknown, k: number) => readRule(r, `${at}.claimValidationRules[${k}]`, file));
    const where = `${file}: ${at} (issuer ${url})`;
    const unreadable = readings.filter((r): r is { unreadable: string } => 'unreadable' in r);
    const pinning = readings.filter((r): r is { pins: string[] } => 'pins' in r);
    for (const r of readings) {
      if ('other' in r) notes.push(`${where}: its claim validation rule ${r.other} is not about sub and is not evaluated: the federation graph takes the token to pass it`);
    }
    if (Array.isArray(authenticator.userValidationRules) && authenticator.userValidationRules.length > 0) {
      notes.push(`${where}: its userValidationRules are not evaluated: the federation graph takes the user to pass them`);
    }
    if (unreadable.length > 0) {
      notes.push(`${where}: its claim validation rule ${unreadable[0].unreadable} does not pin sub to exact role ARNs (claim: sub with requiredValue, or claims.sub == '...' / in [...]): the federation graph cannot tell which roles it admits and joins it to none`);
      return;
    }
    if (pinning.length === 0) {
      notes.push(`${where} pins no subject (no claim validation rule on sub): it admits ANY AWS role of the issuer's account that can mint ${audiences.map((a) => JSON.stringify(a)).join(' or ')}, so the federation graph joins it to no role; `
        + 'add a claimValidationRules entry (claim: sub, requiredValue: <role ARN>), as KubernetesAuthentication writes');
      return;
    }
    // rules are ANDed: a role passes only if every pinning rule names it
    const subjects = pinning.slice(1).reduce((acc, r) => acc.filter((s) => r.pins.includes(s)), [...new Set(pinning[0].pins)]);
    if (subjects.length === 0) {
      notes.push(`${where}: its claim validation rules on sub admit no role together (each names other ARNs): no token can pass them`);
      return;
    }
    const user = username.claim === 'sub' ? (arn: string) => ` (user ${username.prefix ?? ''}${arn})` : () => '';
    for (const subject of subjects) {
      for (const audience of audiences as string[]) {
        trusts.push({
          kind: 'kubernetes',
          address: `${KIND}.${at}`,
          resourceType: KUBERNETES_AUTHENTICATION_TYPE,
          file,
          label: `Kubernetes JWT authenticator ${at}${user(subject)}`,
          issuer: url,
          subject,
          subjectMatch: 'exact',
          audience,
          // kube-apiserver verifies every asymmetric JOSE algorithm with --authentication-config (RS/ES/PS 256-512);
          // of those, STS signs RS256 and ES384
          algorithms: TARGET_ALGORITHMS[TargetKind.KUBERNETES],
        });
      }
    }
  });
  return { file, trusts, notes };
}
