/**
 * Inbound OIDC trust analysis (DESIGN §1.3): a role that trusts an OIDC provider through
 * `sts:AssumeRoleWithWebIdentity` must pin `<host>:aud` and `<host>:sub`, and the subject must not
 * be a pattern that spans owners or repositories.
 */
import { ciWildcardProblem } from '../../core/ci-subjects';
import { gitHubSubjectOwnerProblem, isGitHubIssuer } from '../../core/subject';
import type { AnalysisContext } from '../analysis';
import { Memo } from '../analysis';
import { NormalizedResource } from '../model';
import { POSITIVE_STRING_OPERATORS, actionMatches, conditionsWhere, grantOf } from './actions';
import { Condition, PolicyDocument, Statement } from './document';
import { PolicySource, TRUST_POLICY_TYPES, trustPolicies } from './sources';
import { asArray, getCi, isObject } from './json';
import { referencedResources } from './resource-index';
import { flatten, isUnresolved, staticString } from './static-value';

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
  /**
   * When the host is not known: the literal parts of the host as written, each unknown part a `*`
   * (`oidc.eks.*.amazonaws.com/id/*` for an ARN built with the region and cluster id), if any part is literal.
   */
  readonly hostPattern?: string;
  /** When the host is not known: the known hosts of the statement's other federated principals (their keys are not this provider's). */
  readonly otherHosts?: readonly string[];
}

/**
 * Web identity providers built into IAM, named by host in `Principal.Federated` rather than by an
 * `oidc-provider/` ARN: no provider resource (and so no client-id list) in the account stands between them and STS.
 */
export const BUILT_IN_PROVIDERS: readonly string[] = ['cognito-identity.amazonaws.com', 'accounts.google.com', 'graph.facebook.com', 'www.amazon.com'];

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
export function providerHost(value: unknown, context: AnalysisContext): string | undefined {
  if (typeof value !== 'string') return readProviderHost(value, context);
  // Every role of a configuration names the same few provider ARNs: each is read once per set.
  const hosts = context.table(PROVIDER_HOSTS);
  if (hosts.has(value)) return hosts.get(value);
  const host = readProviderHost(value, context);
  hosts.set(value, host);
  return host;
}

/** The host of each federated principal string read in a set. */
const PROVIDER_HOSTS = new Memo<string, string | undefined>('host of a federated principal');

function readProviderHost(value: unknown, context: AnalysisContext): string | undefined {
  const provider = referencedResources(value, context, PROVIDER_TYPES)[0]?.resource;
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
export function federatedProviders(statement: Statement, context: AnalysisContext): FederatedProvider[] {
  if (!isObject(statement.principal)) return [];
  const federated = asArray(getCi(statement.principal, 'Federated'));
  const hosts = federated.map((value) => providerHost(value, context));
  return federated.map((value, i) => {
    const host = hosts[i];
    if (host) return { value, host };
    const pattern = hostPatternOf(value);
    const otherHosts = hosts.filter((h, j): h is string => h !== undefined && j !== i);
    return { value, ...(pattern ? { hostPattern: pattern } : {}), ...(otherHosts.length > 0 ? { otherHosts } : {}) };
  });
}

/** The literal parts of an `oidc-provider/` ARN's host with each unknown part a `*`, when some part is literal. */
function hostPatternOf(value: unknown): string | undefined {
  const text = flatten(value, HOLE);
  const marker = 'oidc-provider/';
  const i = text === undefined ? -1 : text.indexOf(marker);
  if (text === undefined || i === -1) return undefined;
  const pattern = text.slice(i + marker.length).replace(/\/+$/, '').replace(/[*?]/g, '').replace(/\u0000+/g, '*').toLowerCase();
  return pattern.replace(/\*/g, '') === '' ? undefined : pattern;
}

/** Allow statements of a trust policy that let a federated principal assume the role with a web identity token. */
export function webIdentityStatements(document: PolicyDocument, context: AnalysisContext): { statement: Statement; providers: FederatedProvider[] }[] {
  const out: { statement: Statement; providers: FederatedProvider[] }[] = [];
  for (const statement of document.statements) {
    if (statement.effect !== 'Allow') continue;
    const grant = grantOf(statement, ASSUME_ROLE_WITH_WEB_IDENTITY);
    if (grant.kind === 'none' || grant.kind === 'unknown') continue;
    const providers = federatedProviders(statement, context);
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
export function oidcTrustEntries(resource: NormalizedResource, context: AnalysisContext): OidcTrustEntry[] {
  // Only roles have a trust policy (see `trustPolicies`): no memo entry for every other resource.
  if (resource.kind !== 'resource' || !TRUST_POLICY_TYPES.includes(resource.type)) return [];
  return context.remember(TRUST_ENTRIES, resource, () => readTrustEntries(resource, context));
}

/** KL-TR-01, KL-TR-02 and the inventory walk the same roles: once per role. Shared: do not mutate. */
const TRUST_ENTRIES = new Memo<NormalizedResource, OidcTrustEntry[]>('OIDC trust entries of a role');

function readTrustEntries(resource: NormalizedResource, context: AnalysisContext): OidcTrustEntry[] {
  return trustPolicies(resource, context, ASSUME_ROLE_WITH_WEB_IDENTITY).flatMap((trust) => webIdentityStatements(trust.document, context)
    .flatMap(({ statement, providers }) => providers.map((provider) => ({ trust, statement, provider }))));
}

/** Which provider a claim check is for: its host, or what is known of it (see {@link FederatedProvider}). */
export type ClaimProvider = string | undefined | Pick<FederatedProvider, 'host' | 'hostPattern' | 'otherHosts'>;

function providerOf(provider: ClaimProvider): Pick<FederatedProvider, 'host' | 'hostPattern' | 'otherHosts'> {
  return typeof provider === 'object' ? provider : { ...(provider !== undefined ? { host: provider } : {}) };
}

/**
 * Whether a condition key names `<host>:<claim>` of the provider. With an unknown host, a `*:<claim>` key counts
 * unless its host is another principal's of the statement, or does not fit the literal parts of the host as written.
 */
function isClaimKey(key: string, provider: Pick<FederatedProvider, 'host' | 'hostPattern' | 'otherHosts'>, claim: string): boolean {
  const suffix = `:${claim}`;
  if (provider.host) return key === `${provider.host}${suffix}`;
  if (!key.endsWith(suffix)) return false;
  const keyHost = key.slice(0, -suffix.length);
  if (provider.otherHosts?.includes(keyHost)) return false;
  return provider.hostPattern === undefined || actionMatches(provider.hostPattern, keyHost);
}

/** Conditions on the provider's `<host>:<claim>` key, sorted by what they prove. */
export interface ClaimConditions {
  /** Positive string comparisons (`StringEquals`, `StringLike`, ...; `ForAnyValue:` too, false when the claim is absent). */
  readonly positive: Condition[];
  /**
   * `ForAllValues:` comparisons: on a single-valued claim (`aud`, `sub`) they are true when the claim is absent, so
   * they require nothing.
   */
  readonly vacuous: Condition[];
  /** Comparisons whose operator is not statically known (`test = var.subject_condition`). */
  readonly unreadOperator: Condition[];
}

/** Conditions on `<host>:<claim>` (see {@link isClaimKey} for an unknown host), by kind. */
export function claimConditionsOf(statement: Statement, provider: ClaimProvider, claim: string): ClaimConditions {
  const p = providerOf(provider);
  const all = conditionsWhere(statement, (k) => isClaimKey(k, p, claim));
  const positive = all.filter((c) => POSITIVE_STRING_OPERATORS.includes(c.base));
  return {
    positive: positive.filter((c) => c.qualifier !== 'forallvalues'),
    vacuous: positive.filter((c) => c.qualifier === 'forallvalues'),
    unreadOperator: all.filter((c) => isUnresolved(c.operator)),
  };
}

/** Positive conditions that require `<host>:<claim>` (see {@link claimConditionsOf}). */
export function claimConditions(statement: Statement, provider: ClaimProvider, claim: string): Condition[] {
  return claimConditionsOf(statement, provider, claim).positive;
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
  // CircleCI, Bitbucket Pipelines, HCP Terraform and Buildkite subjects (lib/core/ci-subjects.ts).
  const ci = ciWildcardProblem(value);
  if (ci) return `${JSON.stringify(value)} ${ci}`;
  return undefined;
}

/**
 * Results per statement and provider, for the check: the inventory and KL-TR-01/02 check the same pairs. Without a
 * context the check is computed afresh. Shared: do not mutate.
 */
function memoized<T>(memo: Memo<Statement, Map<string, T>>, context: AnalysisContext | undefined, statement: Statement, provider: ClaimProvider, compute: () => T): T {
  if (context === undefined) return compute();
  const byProvider = context.check.remember(memo, statement, () => new Map<string, T>());
  const p = providerOf(provider);
  const key = `${p.host ?? ''}\u0001${p.hostPattern ?? ''}\u0001${(p.otherHosts ?? []).join(' ')}`;
  if (byProvider.has(key)) return byProvider.get(key)!;
  const result = compute();
  byProvider.set(key, result);
  return result;
}

/** What a claim check found. */
export interface ClaimCheck {
  /** True when a condition pins the claim to one workload. */
  readonly ok: boolean;
  /** The values the pinning condition names, or every value the claim's conditions name. */
  readonly values: unknown[];
  /** `ForAllValues:` conditions on the claim, which require nothing (see {@link ClaimConditions.vacuous}). */
  readonly vacuous: Condition[];
  /** Conditions on the claim whose operator is not statically known. */
  readonly unreadOperator: Condition[];
}

const AUDIENCE_CHECKS = new Memo<Statement, Map<string, ClaimCheck>>('audience checks of a statement, per provider');
const SUBJECT_CHECKS = new Memo<Statement, Map<string, ClaimCheck & { problems: string[] }>>('subject checks of a statement, per provider');

/** Audience check of one provider in one statement (with a context, once per check; do not mutate the result). */
export function audienceCheck(statement: Statement, provider: ClaimProvider, context?: AnalysisContext): ClaimCheck {
  return memoized(AUDIENCE_CHECKS, context, statement, provider, () => readAudienceCheck(statement, provider));
}

function readAudienceCheck(statement: Statement, provider: ClaimProvider): ClaimCheck {
  const { positive, vacuous, unreadOperator } = claimConditionsOf(statement, provider, 'aud');
  const pins = (c: Condition): boolean => c.values.length > 0 && c.values.every((v) => !(c.base === 'stringlike' && typeof v === 'string' && /^[*?]+$/.test(v)));
  const good = positive.find(pins);
  return { ok: good !== undefined, values: good ? good.values : [...positive, ...vacuous].flatMap((c) => c.values), vacuous, unreadOperator };
}

/**
 * Providers whose audience, once pinned, already names the one workload that may assume the role (the value
 * test tells which audiences do):
 * - Cognito identity pools: `aud` is the identity pool id and `sub` a per-user identity id, so pinning `aud` is
 *   the pin (`amr` then tells authenticated from guest identities);
 * - Google (`accounts.google.com`): IAM checks the `aud` key against the token's `azp`, which for a Google service
 *   account's token is the account's numeric unique id: an `aud` of such ids names those service accounts (an OAuth
 *   client id, `...apps.googleusercontent.com`, names an application that any Google user can sign in to, so it does not).
 */
export const AUDIENCE_PINS_WORKLOAD: Readonly<Record<string, (audience: unknown) => boolean>> = Object.freeze({
  'cognito-identity.amazonaws.com': () => true,
  'accounts.google.com': (audience: unknown) => typeof audience === 'string' && /^[0-9]{1,30}$/.test(audience),
});

/** Subject check of one provider in one statement (with a context, once per check; do not mutate the result). */
export function subjectCheck(statement: Statement, provider: ClaimProvider, context?: AnalysisContext): ClaimCheck & { problems: string[] } {
  return memoized(SUBJECT_CHECKS, context, statement, provider, () => readSubjectCheck(statement, provider, context));
}

function readSubjectCheck(statement: Statement, provider: ClaimProvider, context: AnalysisContext | undefined): ClaimCheck & { problems: string[] } {
  const { positive: conds, vacuous, unreadOperator } = claimConditionsOf(statement, provider, 'sub');
  const host = providerOf(provider).host;
  const audiencePins = host !== undefined ? AUDIENCE_PINS_WORKLOAD[host] : undefined;
  if (conds.length === 0 && audiencePins) {
    const audience = audienceCheck(statement, provider, context);
    if (audience.ok && audience.values.every(audiencePins)) return { ok: true, values: [], problems: [], vacuous, unreadOperator };
  }
  if (conds.length === 0) return { ok: false, values: vacuous.flatMap((c) => c.values), problems: [], vacuous, unreadOperator };
  const github = host !== undefined && isGitHubIssuer(host);
  const problems: string[] = [];
  for (const c of conds) {
    const p = c.values.map((v) => subjectProblem(v, c.base === 'stringlike') ?? (github ? gitHubOwnerProblem(v) : undefined)).filter((x): x is string => x !== undefined);
    if (c.values.length > 0 && p.length === 0) return { ok: true, values: c.values, problems: [], vacuous, unreadOperator };
    problems.push(...p);
  }
  return { ok: false, values: conds.flatMap((c) => c.values), problems, vacuous, unreadOperator };
}

/** {@link gitHubSubjectOwnerProblem} for a value of a trust policy, worded like {@link subjectProblem}. */
function gitHubOwnerProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || isUnresolved(value)) return undefined;
  const problem = gitHubSubjectOwnerProblem(value);
  return problem ? `${JSON.stringify(value)}: ${problem.reason}` : undefined;
}
