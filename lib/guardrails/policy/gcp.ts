/**
 * Google Cloud knowledge shared by KL-GCP-01..03 and the federated-identity index: which service account a key or a
 * grant belongs to, which service accounts are reachable through workload identity federation, and whether a
 * workload identity pool provider's attribute condition pins the AWS role.
 *
 * Sources: provider google 6.50 (`google_service_account_key.service_account_id`, `google_storage_hmac_key
 * .service_account_email`, `google_iam_workload_identity_pool_provider` `attribute_condition` / `attribute_mapping` /
 * `aws` / `oidc`), cloud.google.com/iam/docs/workload-identity-federation (principal:// and principalSet:// members,
 * roles/iam.workloadIdentityUser).
 */
import { isAwsOutboundIssuer } from '../../core/issuer';
import type { AnalysisContext } from '../analysis';
import { Memo } from '../analysis';
import { appendTo } from '../lists';
import { NormalizedResource, ResourceSet } from '../model';
import { hasInterpolation, interpolations, tfReferences } from './interpolation';
import { asArray, block, blocks, isObject } from './json';
import { referencedResources } from './resource-index';
import { staticString } from './static-value';

export const GCP_SERVICE_ACCOUNT_TYPES: readonly string[] = ['google_service_account'];
export const GCP_SERVICE_ACCOUNT_IAM_TYPES: readonly string[] = ['google_service_account_iam_member', 'google_service_account_iam_binding', 'google_service_account_iam_policy'];
export const GCP_POOL_PROVIDER_TYPES: readonly string[] = ['google_iam_workload_identity_pool_provider'];
export const GCP_WORKLOAD_IDENTITY_USER = 'roles/iam.workloadIdentityUser';

const SERVICE_ACCOUNT_PATH = /^projects\/[^/]+\/serviceAccounts\/(.+)$/;
const EMAIL = /^([a-z][-a-z0-9]{4,28}[a-z0-9])@([a-z][-a-z0-9]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/;

/**
 * The key a service account is known by in rule hits and the federated-identity index: the address of the
 * `google_service_account` a value refers to (by `name`, `email`, `id` or `unique_id`) or whose `account_id` (and
 * `project`, when written) a literal email names; else the referenced address (`data.google_service_account.x`); else
 * the email as written (a `projects/P/serviceAccounts/` prefix dropped, lower-cased).
 */
export function gcpServiceAccountKey(value: unknown, context: AnalysisContext): string | undefined {
  const ref = referencedResources(value, context, GCP_SERVICE_ACCOUNT_TYPES)[0]?.resource;
  if (ref) return ref.address;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (hasInterpolation(value)) {
    const first = interpolations(value).flatMap((e) => tfReferences(e))[0];
    return first ? first.address : value;
  }
  const email = (SERVICE_ACCOUNT_PATH.exec(value.trim())?.[1] ?? value.trim()).toLowerCase();
  const parts = EMAIL.exec(email);
  if (parts) {
    const match = serviceAccountsById(context).get(parts[1])?.find((r) => staticString(r.properties.project) === undefined
      || staticString(r.properties.project) === parts[2]);
    if (match) return match.address;
  }
  return email;
}

const SERVICE_ACCOUNTS_BY_ID = new Memo<ResourceSet, Map<string, NormalizedResource[]>>('service accounts of a set by literal account_id');

/** The set's `google_service_account`s by their literal `account_id`, in set order (built once per set, not per email). */
function serviceAccountsById(context: AnalysisContext): Map<string, NormalizedResource[]> {
  return context.remember(SERVICE_ACCOUNTS_BY_ID, context.set, () => {
    const byId = new Map<string, NormalizedResource[]>();
    for (const r of context.set.resources) {
      if (r.kind !== 'resource' || !GCP_SERVICE_ACCOUNT_TYPES.includes(r.type)) continue;
      const id = staticString(r.properties.account_id);
      if (id !== undefined) appendTo(byId, id, r);
    }
    return byId;
  });
}

/** True for a member that names identities of a workload identity pool (not a workforce pool of people). */
export function isWorkloadPoolMember(member: unknown, context: AnalysisContext): boolean {
  if (typeof member !== 'string') return false;
  if (!/^principal(Set)?:\/\/iam\.googleapis\.com\//.test(member)) return false;
  if (member.includes('/workloadIdentityPools/')) return true;
  // `principal://iam.googleapis.com/${google_iam_workload_identity_pool.x.name}/subject/...`, the pool in this set or not.
  return referencedResources(member, context, ['google_iam_workload_identity_pool']).length > 0
    || interpolations(member).some((e) => tfReferences(e).some((r) => r.address.replace(/^data\./, '').startsWith('google_iam_workload_identity_pool.')));
}

/** Service accounts a workload identity pool can impersonate: `roles/iam.workloadIdentityUser` for a pool member. */
export function gcpFederatedServiceAccounts(context: AnalysisContext): Map<string, string> {
  const out = new Map<string, string>();
  const add = (key: string | undefined, evidence: string): void => {
    if (key === undefined) return;
    const prior = out.get(key);
    out.set(key, prior ? `${prior}; ${evidence}` : evidence);
  };
  for (const r of context.set.resources) {
    if (r.kind !== 'resource' || !GCP_SERVICE_ACCOUNT_IAM_TYPES.includes(r.type)) continue;
    const key = gcpServiceAccountKey(r.properties.service_account_id, context);
    for (const { role, members } of grantsOf(r, context)) {
      if (role !== GCP_WORKLOAD_IDENTITY_USER) continue;
      const federated = members.filter((m) => isWorkloadPoolMember(m, context));
      if (federated.length > 0) add(key, `${GCP_WORKLOAD_IDENTITY_USER} for ${federated.map((m) => JSON.stringify(m)).join(', ')} granted by ${r.address}`);
    }
  }
  return out;
}

/** The (role, members) grants of a service account IAM resource; `_policy` reads a referenced `data.google_iam_policy`. */
function grantsOf(r: NormalizedResource, context: AnalysisContext): { role?: string; members: unknown[] }[] {
  const p = r.properties;
  if (r.type === 'google_service_account_iam_member') return [{ role: staticString(p.role), members: [p.member] }];
  if (r.type === 'google_service_account_iam_binding') return [{ role: staticString(p.role), members: asArray(p.members) }];
  const policy = referencedResources(p.policy_data, context, ['google_iam_policy'])[0]?.resource;
  if (!policy) return [];
  return blocks(policy.properties.binding).map((b) => ({ role: staticString(b.role), members: asArray(b.members) }));
}

/** What KL-GCP-03 found on a pool provider's condition; undefined when it pins the role (or is not an AWS trust). */
export interface PoolConditionProblem {
  readonly kind: 'missing' | 'unpinned' | 'unknown';
  readonly reason: string;
}

/** Google's default mapping for `aws` providers (used when the provider writes none). */
const AWS_DEFAULT_MAPPING: Readonly<Record<string, string>> = {
  'google.subject': 'assertion.arn',
  'attribute.aws_role': "assertion.arn.contains('assumed-role') ? assertion.arn.extract('{account_arn}assumed-role/') + 'assumed-role/' + assertion.arn.extract('assumed-role/{role_name}/') : assertion.arn",
};
const ROLE_LITERAL = /^arn:[a-z-]+:(iam::\d{12}:role\/.+|sts::\d{12}:assumed-role\/[^/]+(\/.+)?)$/;

/** Which trust a pool provider is: Google's AWS type, an OIDC provider trusting an AWS account issuer, or another. */
export function poolProviderTrust(r: NormalizedResource): 'aws' | 'aws-oidc' | 'other' {
  if (block(r.properties.aws)) return 'aws';
  const issuer = staticString(block(r.properties.oidc)?.issuer_uri);
  return issuer !== undefined && isAwsOutboundIssuer(issuer) ? 'aws-oidc' : 'other';
}

/**
 * Whether a workload identity pool provider's `attribute_condition` pins the AWS role (KL-GCP-03):
 * missing (or empty) for any provider; for AWS trusts (Google's `aws` type, or an OIDC provider whose issuer is an
 * AWS account's outbound issuer) every `||` branch must compare the role claim (`assertion.sub` / `assertion.arn`,
 * or an attribute mapped from it, e.g. `attribute.aws_role`) with `==` or `in [...]` to full role ARNs. Prefix and
 * substring tests (`startsWith`, `contains`, `matches`), `!=`, and `true` admit any role they match.
 */
export function poolConditionProblem(r: NormalizedResource): PoolConditionProblem | undefined {
  const written = r.properties.attribute_condition;
  if (written === undefined || written === null || (typeof written === 'string' && written.trim() === '')) {
    return { kind: 'missing', reason: 'has no attribute_condition' };
  }
  const trust = poolProviderTrust(r);
  if (trust === 'other') return undefined;
  const condition = staticString(written);
  if (condition === undefined) {
    return { kind: 'unknown', reason: `has an attribute_condition known only at plan time (${typeof written === 'string' ? written : JSON.stringify(written)}), so whether it pins the AWS role could not be checked` };
  }
  const claims = roleClaims(r, trust);
  const branches = splitTopLevel(condition, '||');
  for (const branch of branches) {
    const conjuncts = splitTopLevel(stripParens(branch), '&&').map(stripParens);
    if (!conjuncts.some((c) => pinsRole(c, claims))) {
      const what = branches.length > 1 ? `its branch ${JSON.stringify(branch.trim())}` : 'it';
      return { kind: 'unpinned', reason: `has attribute_condition ${JSON.stringify(condition)}, and ${what} does not compare ${[...claims].join(' or ')} with exact role ARNs (== or in [...]), so it admits any AWS role it does not name` };
    }
  }
  return undefined;
}

/** CEL names that hold the role: the assertion claim and every attribute mapped from exactly it. */
function roleClaims(r: NormalizedResource, trust: 'aws' | 'aws-oidc'): Set<string> {
  const source = trust === 'aws' ? 'assertion.arn' : 'assertion.sub';
  const written = isObject(r.properties.attribute_mapping) ? r.properties.attribute_mapping : undefined;
  const mapping: Record<string, unknown> = written ?? (trust === 'aws' ? AWS_DEFAULT_MAPPING : {});
  const claims = new Set<string>([source]);
  for (const [key, expression] of Object.entries(mapping)) {
    if (typeof expression !== 'string') continue;
    const e = expression.replace(/\s+/g, ' ').trim();
    if (e === source || (trust === 'aws' && e.includes('assumed-role') && e.includes('assertion.arn'))) claims.add(key);
  }
  return claims;
}

/** `CLAIM == 'arn'`, `'arn' == CLAIM` or `CLAIM in ['arn', ...]` with every literal a full role ARN. */
function pinsRole(conjunct: string, claims: Set<string>): boolean {
  const c = conjunct.trim();
  const literal = String.raw`(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")`;
  for (const claim of claims) {
    const name = claim.replace(/\./g, '\\.');
    const eq = new RegExp(`^(?:${name}\\s*==\\s*${literal}|${literal}\\s*==\\s*${name})$`).exec(c);
    if (eq) return ROLE_LITERAL.test(eq[1] ?? eq[2] ?? eq[3] ?? eq[4] ?? '');
    const inList = new RegExp(`^${name}\\s+in\\s+\\[(.*)\\]$`).exec(c);
    if (inList) {
      const items = splitTopLevel(inList[1], ',').map((s) => s.trim()).filter((s) => s !== '');
      return items.length > 0 && items.every((item) => {
        const m = new RegExp(`^${literal}$`).exec(item);
        return m !== null && ROLE_LITERAL.test(m[1] ?? m[2] ?? '');
      });
    }
  }
  return false;
}

/**
 * Calls `visit` with each character of CEL text that is outside a quoted string (quotes and their escapes are
 * skipped). `visit` returns how many characters after this one to skip, `false` to stop, or nothing.
 */
function forEachUnquoted(text: string, visit: (ch: string, i: number) => number | false | void): void {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '\'' || ch === '"') {
      quote = ch;
      continue;
    }
    const skip = visit(ch, i);
    if (skip === false) return;
    if (typeof skip === 'number') i += skip;
  }
}

/** Splits CEL at `separator` outside quotes, parentheses and brackets. */
export function splitTopLevel(text: string, separator: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  forEachUnquoted(text, (ch, i) => {
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (depth === 0 && text.startsWith(separator, i)) {
      out.push(text.slice(start, i));
      start = i + separator.length;
      return separator.length - 1;
    }
    return undefined;
  });
  out.push(text.slice(start));
  return out;
}

/** Removes parentheses that wrap the whole expression. */
export function stripParens(text: string): string {
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')') && balanced(t.slice(1, -1))) t = t.slice(1, -1).trim();
  return t;
}

function balanced(text: string): boolean {
  let depth = 0;
  forEachUnquoted(text, (ch) => {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
    return undefined;
  });
  return depth === 0;
}
