/**
 * Resolving the identity a credential belongs to: Snowflake users (from attributes or SQL),
 * Entra applications (from `application_id`, or through a service principal's `client_id`).
 */
import type { AnalysisContext } from '../analysis';
import { Memo } from '../analysis';
import { NormalizedResource, ResourceSet } from '../model';
import { hasInterpolation, interpolations, tfReferences } from './interpolation';
import { blocks } from './json';
import { referencedResources } from './resource-index';
import { findWorkloadIdentities } from './sql';
import { staticString } from './static-value';

export const SNOWFLAKE_USER_TYPES: readonly string[] = ['snowflake_user', 'snowflake_service_user', 'snowflake_legacy_service_user'];
export const ENTRA_APPLICATION_TYPES: readonly string[] = ['azuread_application', 'azuread_application_registration'];
export const ENTRA_FIC_TYPES: readonly string[] = ['azuread_application_federated_identity_credential', 'azuread_application_flexible_federated_identity_credential'];

/** Normalizes a Snowflake identifier as written: unquoted upper-cased, quoted kept exact. */
function identifierKey(written: string): string {
  const t = written.trim();
  if (t.startsWith('"') && t.endsWith('"') && t.length >= 2) return t.slice(1, -1).replace(/""/g, '"');
  return t.toUpperCase();
}

/**
 * The Snowflake user resource a value names: `${snowflake_service_user.etl.fully_qualified_name}`,
 * `${snowflake_service_user.etl.name}`, or a literal name matching a user's `name` (unquoted names
 * compare case-insensitively).
 */
export function resolveSnowflakeUser(written: unknown, context: AnalysisContext): NormalizedResource | undefined {
  const viaRef = referencedResources(written, context, SNOWFLAKE_USER_TYPES)[0];
  if (viaRef) return viaRef.resource;
  const literal = staticString(written);
  if (literal === undefined || literal.trim() === '') return undefined;
  const key = identifierKey(literal);
  const users = snowflakeUsersByName(context);
  return (literal.trim().startsWith('"') ? users.exact : users.upper).get(key);
}

/** The Snowflake user resources of a set by literal `name`: exactly as written, and upper-cased (first in set order). */
interface SnowflakeUsersByName {
  readonly exact: ReadonlyMap<string, NormalizedResource>;
  readonly upper: ReadonlyMap<string, NormalizedResource>;
}

const USERS_BY_NAME = new Memo<ResourceSet, SnowflakeUsersByName>('Snowflake users of a set by name');

function snowflakeUsersByName(context: AnalysisContext): SnowflakeUsersByName {
  return context.remember(USERS_BY_NAME, context.set, () => {
    const exact = new Map<string, NormalizedResource>();
    const upper = new Map<string, NormalizedResource>();
    for (const r of context.set.resources) {
      if (!SNOWFLAKE_USER_TYPES.includes(r.type) || r.kind !== 'resource') continue;
      const name = staticString(r.properties.name);
      if (name === undefined) continue;
      if (!exact.has(name)) exact.set(name, r);
      if (!upper.has(name.toUpperCase())) upper.set(name.toUpperCase(), r);
    }
    return { exact, upper };
  });
}

/** Label for a Snowflake user in messages: its address, or the name as written. */
export function snowflakeUserLabel(written: string | undefined, context: AnalysisContext): string {
  if (written === undefined) return 'the current user';
  const r = resolveSnowflakeUser(written, context);
  if (r) return r.address;
  const exprs = interpolations(written);
  if (exprs.length > 0) {
    const ref = tfReferences(exprs[0], context)[0];
    if (ref) return ref.address;
  }
  return written;
}

/** The Entra application resource an `application_id` value refers to. */
export function resolveEntraApplication(value: unknown, context: AnalysisContext): NormalizedResource | undefined {
  return referencedResources(value, context, ENTRA_APPLICATION_TYPES)[0]?.resource;
}

/**
 * The key an Entra application is known by in identities and rule hits: its address when it is in
 * the set, else the `application_id` as written (two resources writing the same literal id or the
 * same `${azuread_application.x.id}` refer to the same application).
 */
export function entraApplicationKey(value: unknown, context: AnalysisContext): string | undefined {
  // The same `application_id` is read for every credential of the application, by several rules: once per set.
  if (typeof value === 'string') return context.remember(ENTRA_APPLICATION_KEYS, value, () => readEntraApplicationKey(value, context));
  return readEntraApplicationKey(value, context);
}

const ENTRA_APPLICATION_KEYS = new Memo<string, string | undefined>('the Entra application an application_id names');

function readEntraApplicationKey(value: unknown, context: AnalysisContext): string | undefined {
  const app = resolveEntraApplication(value, context);
  if (app) return app.address;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const exprs = interpolations(value);
  if (exprs.length > 0) {
    const ref = tfReferences(exprs[0], context).find((r) => ENTRA_APPLICATION_TYPES.includes(r.address.replace(/^data\./, '').split('.')[0]));
    return ref ? ref.address : value;
  }
  return value;
}

/**
 * The key a Snowflake user is known by in identities and rule hits: its address when it is in the
 * set, the referenced address for `${snowflake_service_user.x...}`, else the name as written.
 */
export function snowflakeUserKey(written: unknown, context: AnalysisContext): string | undefined {
  const user = resolveSnowflakeUser(written, context);
  if (user) return user.address;
  if (typeof written !== 'string' || written.trim() === '') return undefined;
  return snowflakeUserLabel(written, context);
}

/**
 * The identity behind a service principal id: the application the service principal was created
 * for (via its `client_id`), else the service principal itself.
 */
export function resolveServicePrincipalIdentity(value: unknown, context: AnalysisContext): string | undefined {
  const sp = referencedResources(value, context, ['azuread_service_principal'])[0]?.resource;
  if (!sp) return undefined;
  // A literal client id is not the application's object id: it cannot be matched to credentials keyed by application_id.
  const clientId = sp.properties.client_id ?? sp.properties.application_id;
  const app = typeof clientId === 'string' && hasInterpolation(clientId) ? entraApplicationKey(clientId, context) : undefined;
  return app ?? sp.address;
}

/** A Snowflake user's workload identity and the resource that sets it. */
export interface SnowflakeWorkloadIdentity {
  /** The `snowflake_execute` whose SQL sets it, or the user itself (`default_workload_identity`). */
  readonly setBy: NormalizedResource;
  /** WORKLOAD_IDENTITY properties with SQL names (TYPE, ARN, ISSUER, SUBJECT, OIDC_AUDIENCE_LIST). */
  readonly properties: Record<string, string>;
  readonly written?: string;
}

/**
 * The workload identity a user resource sets with `default_workload_identity` (newer Snowflake providers, on every
 * user type), as the SQL properties `WORKLOAD_IDENTITY = (TYPE = ... ARN = ... ...)` would name it; undefined when
 * the user has none. The block holds one provider block: `aws { arn }`, `azure { issuer, subject }`,
 * `gcp { subject }` or `oidc { issuer, subject, oidc_audience_list }`; TYPE is its name upper-cased (`UNKNOWN`
 * when the block is empty or only known at apply time: the user is federated all the same). The AWS block has no
 * issuer: Snowflake then verifies a signed GetCallerIdentity request, as with SQL `TYPE = AWS ARN = '...'` without
 * ISSUER.
 */
export function defaultWorkloadIdentity(user: NormalizedResource): Record<string, string> | undefined {
  const identity = blocks(user.properties.default_workload_identity)[0];
  if (identity === undefined) return undefined;
  const providerName = Object.keys(identity).find((k) => blocks(identity[k]).length > 0);
  const properties: Record<string, string> = { TYPE: providerName === undefined ? 'UNKNOWN' : providerName.toUpperCase() };
  const provider = providerName === undefined ? undefined : blocks(identity[providerName])[0];
  for (const [key, value] of Object.entries(provider ?? {})) {
    const text = Array.isArray(value) ? value.filter((v) => typeof v === 'string').join(', ') : typeof value === 'string' ? value : undefined;
    if (text !== undefined && text !== '') properties[key.toUpperCase()] = text;
  }
  return properties;
}

/**
 * Snowflake users (addresses, or names as written when not in the set) that have a workload identity: set through
 * `snowflake_execute` SQL (`ALTER USER ... SET WORKLOAD_IDENTITY`, `CREATE USER ... WORKLOAD_IDENTITY = (...)`) or
 * with the user's own `default_workload_identity` block. Both routes count the same.
 */
export function snowflakeFederatedUsers(context: AnalysisContext): Map<string, SnowflakeWorkloadIdentity> {
  const out = new Map<string, SnowflakeWorkloadIdentity>();
  for (const r of context.set.resources) {
    if (r.kind !== 'resource') continue;
    if (SNOWFLAKE_USER_TYPES.includes(r.type)) {
      const properties = defaultWorkloadIdentity(r);
      if (properties !== undefined && !out.has(r.address)) out.set(r.address, { setBy: r, properties });
      continue;
    }
    if (r.type !== 'snowflake_execute') continue;
    const sql = staticStringOrTemplate(r.properties.execute);
    if (sql === undefined) continue;
    for (const wi of findWorkloadIdentities(sql, context)) {
      const user = wi.user !== undefined ? resolveSnowflakeUser(wi.user, context) : undefined;
      const key = user ? user.address : snowflakeUserLabel(wi.user, context);
      if (!out.has(key)) out.set(key, { setBy: r, properties: wi.properties, ...(wi.user !== undefined ? { written: wi.user } : {}) });
    }
  }
  return out;
}

/** SQL text of a `snowflake_execute` argument: strings are kept with their `${...}` parts (they are opaque names to the SQL reader). */
export function staticStringOrTemplate(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
