/**
 * Which Snowflake users are federated (a `snowflake_execute` sets their WORKLOAD_IDENTITY, or the user's own
 * `default_workload_identity` block does) and
 * which authentication policy governs each of them (user attachment, SQL `SET AUTHENTICATION
 * POLICY`, or the account-level attachment).
 */
import type { AnalysisContext } from '../analysis';
import { Memo } from '../analysis';
import { appendTo } from '../lists';
import { NormalizedResource, ResourceSet } from '../model';
import { snowflakeFederatedUsers, snowflakeUserKey } from './identity';
import { referencedResources } from './resource-index';
import { findPolicyAttachments } from './sql';
import { staticString } from './static-value';

export const AUTH_POLICY_TYPE = 'snowflake_authentication_policy';

/** A policy as attached: the resource when it is in the set, else the name as written. */
export interface AttachedPolicy {
  readonly policy?: NormalizedResource;
  readonly written: string;
  /** The attaching resource. */
  readonly via: NormalizedResource;
}

export interface FederatedUser {
  /** User address in the set, or the name as written in SQL when the user is not in the set. */
  readonly key: string;
  readonly user?: NormalizedResource;
  /** What sets the workload identity: a `snowflake_execute`, or the user itself (`default_workload_identity`). */
  readonly setBy: NormalizedResource;
  /** WORKLOAD_IDENTITY properties (TYPE, ARN, ISSUER, ...). */
  readonly properties: Record<string, string>;
}

export interface SnowflakeAuthState {
  readonly federated: FederatedUser[];
  /** User key -> policies attached to that user directly. */
  readonly userPolicies: Map<string, AttachedPolicy[]>;
  /** Policies attached at account level (apply to users without their own). */
  readonly accountPolicies: AttachedPolicy[];
}

/** The last part of a (possibly fully qualified, quoted) name, unquoted. */
function lastPart(name: string): string {
  const parts = name.match(/"(?:[^"]|"")*"|[^.]+/g) ?? [name];
  const last = parts[parts.length - 1].trim();
  return last.startsWith('"') ? last.slice(1, -1).replace(/""/g, '"') : last.toUpperCase();
}

function resolvePolicy(value: unknown, context: AnalysisContext, via: NormalizedResource): AttachedPolicy | undefined {
  const ref = referencedResources(value, context, [AUTH_POLICY_TYPE])[0];
  const written = typeof value === 'string' ? value : JSON.stringify(value);
  if (ref) return { policy: ref.resource, written, via };
  const literal = staticString(value);
  if (literal === undefined || literal.trim() === '') return value === undefined ? undefined : { written, via };
  const wanted = lastPart(literal);
  const policies = authPoliciesByName(context);
  const policy = policies.find((p) => p.name === wanted || p.upper === wanted.toUpperCase())?.resource;
  return { ...(policy ? { policy } : {}), written, via };
}

/** The set's authentication policies with a literal name, in set order (few: a scan of them, not of the set). */
const AUTH_POLICIES = new Memo<ResourceSet, readonly { name: string; upper: string; resource: NormalizedResource }[]>('authentication policies of a set by name');

function authPoliciesByName(context: AnalysisContext): readonly { name: string; upper: string; resource: NormalizedResource }[] {
  return context.remember(AUTH_POLICIES, context.set, () => context.set.resources.flatMap((r) => {
    const name = r.type === AUTH_POLICY_TYPE ? staticString(r.properties.name) : undefined;
    return name === undefined ? [] : [{ name, upper: name.toUpperCase(), resource: r }];
  }));
}

/** The Snowflake auth state of a set. */
const AUTH_STATE = new Memo<ResourceSet, SnowflakeAuthState>('Snowflake federated users and their authentication policies');

/** Federated users and the authentication policies that govern them (worked out once per set). Shared: do not mutate. */
export function snowflakeAuthState(context: AnalysisContext): SnowflakeAuthState {
  return context.remember(AUTH_STATE, context.set, () => readAuthState(context));
}

function readAuthState(context: AnalysisContext): SnowflakeAuthState {
  const set = context.set;
  const federated: FederatedUser[] = [];
  for (const [key, info] of snowflakeFederatedUsers(context)) {
    const user = context.resource(key);
    federated.push({ key, ...(user ? { user } : {}), setBy: info.setBy, properties: info.properties });
  }
  const userPolicies = new Map<string, AttachedPolicy[]>();
  const accountPolicies: AttachedPolicy[] = [];
  const attach = (key: string | undefined, policy: AttachedPolicy | undefined): void => {
    if (key === undefined || policy === undefined) return;
    appendTo(userPolicies, key, policy);
  };
  for (const r of set.resources) {
    if (r.kind !== 'resource') continue;
    if (r.type === 'snowflake_user_authentication_policy_attachment') {
      attach(snowflakeUserKey(r.properties.user_name, context), resolvePolicy(r.properties.authentication_policy_name, context, r));
    } else if (r.type === 'snowflake_account_authentication_policy_attachment') {
      const p = resolvePolicy(r.properties.authentication_policy, context, r);
      if (p) accountPolicies.push(p);
    } else if (r.type === 'snowflake_execute' && typeof r.properties.execute === 'string') {
      for (const a of findPolicyAttachments(r.properties.execute, context)) {
        if (a.user === undefined) continue;
        attach(snowflakeUserKey(a.user, context), resolvePolicy(a.policy, context, r));
      }
    }
  }
  return { federated, userPolicies, accountPolicies };
}

/**
 * Where a federated user's workload identity is set, for messages: the `snowflake_execute`'s address, or
 * `<user>.default_workload_identity`.
 */
export function workloadIdentitySource(user: FederatedUser): string {
  return user.setBy.type === 'snowflake_execute' ? user.setBy.address : `${user.setBy.address}.default_workload_identity`;
}

/** Policies that govern a federated user: its own attachments, else the account-level ones. */
export function governingPolicies(state: SnowflakeAuthState, key: string): AttachedPolicy[] {
  const own = state.userPolicies.get(key) ?? [];
  return own.length > 0 ? own : state.accountPolicies;
}

/**
 * Methods a policy allows besides WORKLOAD_IDENTITY: `['ALL']` when `authentication_methods` is
 * absent (Snowflake's default), undefined when the list is not statically known.
 */
export function extraMethods(policy: NormalizedResource): string[] | undefined {
  const methods = policy.properties.authentication_methods;
  if (methods === undefined || methods === null || (Array.isArray(methods) && methods.length === 0)) return ['ALL (authentication_methods not set)'];
  if (!Array.isArray(methods)) return undefined;
  const extras: string[] = [];
  for (const m of methods) {
    const v = staticString(m);
    if (v === undefined) return undefined;
    if (v.trim().toUpperCase() !== 'WORKLOAD_IDENTITY') extras.push(v.trim().toUpperCase());
  }
  return extras;
}
