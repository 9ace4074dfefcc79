/**
 * Inbound OIDC trust analysis (DESIGN §1.3): a role that trusts an OIDC provider through
 * `sts:AssumeRoleWithWebIdentity` must pin `<host>:aud` and `<host>:sub`, and the subject must not
 * be a pattern that spans owners or repositories.
 */
import { NormalizedResource, ResourceSet } from '../model';
import { POSITIVE_STRING_OPERATORS, conditionsWhere, grantOf } from './actions';
import { Condition, PolicyDocument, Statement } from './document';
import { PolicySource, trustPolicy } from './sources';
import { asArray, flatten, getCi, isObject, isUnresolved, referencedResources, staticString } from './values';

export const ASSUME_ROLE_WITH_WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';

const PROVIDER_TYPES = ['AWS::IAM::OIDCProvider', 'Custom::AWSCDKOpenIdConnectProvider', 'aws_iam_openid_connect_provider'];
const HOLE = '\u0000';

/** One federated principal of a trust statement. */
export interface FederatedProvider {
  /** The principal as written. */
  readonly value: unknown;
  /**
   * The provider's host as IAM uses it in condition keys (`token.actions.githubusercontent.com`,
   * `oidc.eks.eu-west-1.amazonaws.com/id/ABC`, `cognito-identity.amazonaws.com`), lower case;
   * undefined when the template does not show it.
   */
  readonly host?: string;
}

function hostFromUrl(url: string): string | undefined {
  const host = url.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  return host && !host.includes(HOLE) ? host.toLowerCase() : undefined;
}

function hostFromText(text: string): string | undefined {
  const marker = 'oidc-provider/';
  const i = text.indexOf(marker);
  if (i !== -1) {
    const host = text.slice(i + marker.length).replace(/\/+$/, '');
    return host && !host.includes(HOLE) ? host.toLowerCase() : undefined;
  }
  // Built-in web identity providers are named by host: cognito-identity.amazonaws.com, accounts.google.com, ...
  if (!text.includes(HOLE) && !text.includes(':') && /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(text)) return text.toLowerCase();
  return undefined;
}

/** The host of a federated principal value (ARN string, intrinsic, interpolation, provider reference). */
export function providerHost(value: unknown, set: ResourceSet): string | undefined {
  if (typeof value !== 'string') return readProviderHost(value, set);
  // Every role of a configuration names the same few provider ARNs: each is read once per set.
  let cached = hostCache.get(set);
  if (!cached || cached.length !== set.resources.length) {
    cached = { length: set.resources.length, hosts: new Map() };
    hostCache.set(set, cached);
  }
  if (cached.hosts.has(value)) return cached.hosts.get(value);
  const host = readProviderHost(value, set);
  cached.hosts.set(value, host);
  return host;
}

const hostCache = new WeakMap<ResourceSet, { length: number; hosts: Map<string, string | undefined> }>();

function readProviderHost(value: unknown, set: ResourceSet): string | undefined {
  const provider = referencedResources(value, set, PROVIDER_TYPES)[0]?.resource;
  if (provider) {
    const url = staticString(provider.properties.Url ?? provider.properties.url);
    if (url) return hostFromUrl(url);
    const arn = staticString(provider.properties.arn);
    if (arn) return hostFromText(arn);
  }
  const text = flatten(value, HOLE);
  return text === undefined ? undefined : hostFromText(text);
}

/** Federated principals of a statement (`Principal.Federated`, string or list). */
export function federatedProviders(statement: Statement, set: ResourceSet): FederatedProvider[] {
  if (!isObject(statement.principal)) return [];
  const federated = getCi(statement.principal, 'Federated');
  return asArray(federated).map((value) => {
    const host = providerHost(value, set);
    return { value, ...(host ? { host } : {}) };
  });
}

/** Allow statements of a trust policy that let a federated principal assume the role with a web identity token. */
export function webIdentityStatements(document: PolicyDocument, set: ResourceSet): { statement: Statement; providers: FederatedProvider[] }[] {
  const out: { statement: Statement; providers: FederatedProvider[] }[] = [];
  for (const statement of document.statements) {
    if (statement.effect !== 'Allow') continue;
    const grant = grantOf(statement, ASSUME_ROLE_WITH_WEB_IDENTITY);
    if (grant.kind === 'none' || grant.kind === 'unknown') continue;
    const providers = federatedProviders(statement, set);
    if (providers.length === 0) continue;
    // SAML providers are assumed through AssumeRoleWithSAML, not here.
    const oidc = providers.filter((p) => !(flatten(p.value, HOLE) ?? '').includes('saml-provider/'));
    if (oidc.length > 0) out.push({ statement, providers: oidc });
  }
  return out;
}

/** One OIDC provider a role's trust policy lets in through one statement. */
export interface OidcTrustEntry {
  readonly trust: PolicySource;
  readonly statement: Statement;
  readonly provider: FederatedProvider;
}

/**
 * Every (statement, OIDC provider) pair of a role's trust policy that allows sts:AssumeRoleWithWebIdentity:
 * the walk KL-TR-01, KL-TR-02 and the trust inventory share. Empty for resources that are not roles.
 */
export function oidcTrustEntries(resource: NormalizedResource, set: ResourceSet): OidcTrustEntry[] {
  // Only roles have a trust policy (see `trustPolicy`): no cache entry for every other resource.
  if (resource.kind !== 'resource' || (resource.type !== 'AWS::IAM::Role' && resource.type !== 'aws_iam_role')) return [];
  let cached = trustEntryCache.get(set);
  if (!cached || cached.length !== set.resources.length) {
    cached = { length: set.resources.length, entries: new WeakMap() };
    trustEntryCache.set(set, cached);
  }
  let entries = cached.entries.get(resource);
  if (!entries) {
    entries = readTrustEntries(resource, set);
    cached.entries.set(resource, entries);
  }
  return entries;
}

/** KL-TR-01, KL-TR-02 and the inventory walk the same roles: once per role and set. Shared: do not mutate. */
const trustEntryCache = new WeakMap<ResourceSet, { length: number; entries: WeakMap<NormalizedResource, OidcTrustEntry[]> }>();

function readTrustEntries(resource: NormalizedResource, set: ResourceSet): OidcTrustEntry[] {
  const trust = trustPolicy(resource, set, ASSUME_ROLE_WITH_WEB_IDENTITY);
  if (!trust) return [];
  return webIdentityStatements(trust.document, set).flatMap(({ statement, providers }) => providers.map((provider) => ({ trust, statement, provider })));
}

/** Conditions on `<host>:<claim>`; with an unknown host, on any `*:<claim>` key. */
export function claimConditions(statement: Statement, host: string | undefined, claim: string): Condition[] {
  const suffix = `:${claim}`;
  const key = host ? `${host}${suffix}` : undefined;
  return conditionsWhere(statement, (k) => (key ? k === key : k.endsWith(suffix)))
    .filter((c) => POSITIVE_STRING_OPERATORS.includes(c.base));
}

const WILD = /[*?]/;

/**
 * Why a subject value does not pin one workload, or undefined when it does. Only `StringLike`
 * treats `*`/`?` as wildcards; `StringEquals` compares them literally.
 */
export function subjectProblem(value: unknown, like: boolean): string | undefined {
  if (typeof value !== 'string' || isUnresolved(value)) return undefined;
  if (!like || !WILD.test(value)) return undefined;
  if (/^[*?]+$/.test(value)) return `${JSON.stringify(value)} matches every subject the issuer signs`;
  const lower = value.toLowerCase();
  const segmented = (prefix: string, what: [string, string]): string | undefined => {
    const rest = value.slice(prefix.length);
    const slash = rest.indexOf('/');
    const firstWild = rest.search(WILD);
    if (slash === -1 || firstWild < slash) {
      const owner = rest.slice(0, firstWild);
      return `${JSON.stringify(value)} has a wildcard in the ${what[0]}, so it also matches other ${what[0]}s${owner ? ` (e.g. "${prefix}${owner}-evil/...")` : ''}`;
    }
    const after = rest.slice(slash + 1);
    const colon = after.indexOf(':');
    const wild = after.search(WILD);
    if (colon === -1 || (wild !== -1 && wild < colon)) {
      return `${JSON.stringify(value)} has a wildcard in the ${what[1]}, so it matches every ${what[1]} of ${JSON.stringify(rest.slice(0, slash))}`;
    }
    return undefined;
  };
  if (lower.startsWith('repo:')) return segmented(value.slice(0, 5), ['owner', 'repository']);
  if (lower.startsWith('project_path:')) return segmented(value.slice(0, 13), ['group', 'project']);
  if (lower.startsWith('system:serviceaccount:')) {
    const rest = value.slice('system:serviceaccount:'.length);
    const colon = rest.indexOf(':');
    const wild = rest.search(WILD);
    if (colon === -1 || wild < colon) return `${JSON.stringify(value)} has a wildcard in the namespace, so it matches service accounts of every namespace`;
    return undefined;
  }
  if (value.search(WILD) === 0) return `${JSON.stringify(value)} starts with a wildcard, so it matches subjects of any workload`;
  return undefined;
}

/** Results per statement and provider host: the inventory and KL-TR-01/02 check the same pairs. Shared: do not mutate. */
function memoized<T>(cache: WeakMap<Statement, Map<string | undefined, T>>, statement: Statement, host: string | undefined, compute: () => T): T {
  let byHost = cache.get(statement);
  if (!byHost) {
    byHost = new Map();
    cache.set(statement, byHost);
  }
  if (byHost.has(host)) return byHost.get(host)!;
  const result = compute();
  byHost.set(host, result);
  return result;
}

const audienceChecks = new WeakMap<Statement, Map<string | undefined, { ok: boolean; values: unknown[] }>>();
const subjectChecks = new WeakMap<Statement, Map<string | undefined, { ok: boolean; values: unknown[]; problems: string[] }>>();

/** Audience check of one provider in one statement (memoized per statement and host; do not mutate the result). */
export function audienceCheck(statement: Statement, host: string | undefined): { ok: boolean; values: unknown[] } {
  return memoized(audienceChecks, statement, host, () => readAudienceCheck(statement, host));
}

function readAudienceCheck(statement: Statement, host: string | undefined): { ok: boolean; values: unknown[] } {
  const conds = claimConditions(statement, host, 'aud');
  const pins = (c: Condition): boolean => c.values.length > 0 && c.values.every((v) => !(c.base === 'stringlike' && typeof v === 'string' && /^[*?]+$/.test(v)));
  const good = conds.find(pins);
  return { ok: good !== undefined, values: good ? good.values : conds.flatMap((c) => c.values) };
}

/**
 * Providers whose audience already names the one workload pool that may assume the role: for Cognito
 * identity pools `aud` is the identity pool id and `sub` is a per-user identity id, so pinning `aud` is
 * the pin (`amr` then tells authenticated from guest identities).
 */
export const AUDIENCE_PINS_WORKLOAD: readonly string[] = ['cognito-identity.amazonaws.com'];

/** Subject check of one provider in one statement (memoized per statement and host; do not mutate the result). */
export function subjectCheck(statement: Statement, host: string | undefined): { ok: boolean; values: unknown[]; problems: string[] } {
  return memoized(subjectChecks, statement, host, () => readSubjectCheck(statement, host));
}

function readSubjectCheck(statement: Statement, host: string | undefined): { ok: boolean; values: unknown[]; problems: string[] } {
  const conds = claimConditions(statement, host, 'sub');
  if (conds.length === 0 && host !== undefined && AUDIENCE_PINS_WORKLOAD.includes(host) && audienceCheck(statement, host).ok) {
    return { ok: true, values: [], problems: [] };
  }
  if (conds.length === 0) return { ok: false, values: [], problems: [] };
  const problems: string[] = [];
  for (const c of conds) {
    const p = c.values.map((v) => subjectProblem(v, c.base === 'stringlike')).filter((x): x is string => x !== undefined);
    if (c.values.length > 0 && p.length === 0) return { ok: true, values: c.values, problems: [] };
    problems.push(...p);
  }
  return { ok: false, values: conds.flatMap((c) => c.values), problems };
}
