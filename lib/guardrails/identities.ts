/**
 * Identities that already have a federated credential. The evaluator uses this to tell a
 * federated identity that ALSO holds a fallback credential (never exemptable, DESIGN §3).
 *
 * Keys match the `identity` the rules put on their hits:
 * - Entra applications with a federated identity credential (standard or flexible), keyed by the
 *   application's address (`azuread_application.etl`), or by `application_id` as written when the
 *   application is not in the set.
 * - Snowflake users whose WORKLOAD_IDENTITY is set by a `snowflake_execute` (ALTER USER ... SET
 *   WORKLOAD_IDENTITY, or CREATE USER ... WORKLOAD_IDENTITY = (...)) or by the user's own
 *   `default_workload_identity` block, keyed by the user's address, or by the name as written when
 *   the user is not in the set.
 * - Google Cloud service accounts on which a workload identity pool member holds roles/iam.workloadIdentityUser,
 *   keyed by the account's address, or by its email as written when it is not in the set.
 */
import type { AnalysisContext } from './analysis';
import { gcpFederatedServiceAccounts } from './policy/gcp';
import { ENTRA_FIC_TYPES, entraApplicationKey } from './policy/identity';
import { snowflakeAuthState, workloadIdentitySource } from './policy/snowflake';
import { staticString } from './policy/static-value';

/** Identity address -> evidence (which resource federates it, with what). */
export function federatedIdentities(context: AnalysisContext): Map<string, string> {
  const out = new Map<string, string>();
  const add = (key: string, evidence: string): void => {
    const prior = out.get(key);
    out.set(key, prior ? `${prior}; ${evidence}` : evidence);
  };
  for (const r of context.set.resources) {
    if (r.kind !== 'resource' || !ENTRA_FIC_TYPES.includes(r.type)) continue;
    const key = entraApplicationKey(r.properties.application_id, context);
    if (key === undefined) continue;
    const issuer = staticString(r.properties.issuer);
    const subject = staticString(r.properties.subject);
    const detail = [issuer ? `issuer ${issuer}` : undefined, subject ? `subject ${subject}` : undefined].filter(Boolean).join(', ');
    add(key, `federated identity credential ${r.address}${detail ? ` (${detail})` : ''}`);
  }
  for (const user of snowflakeAuthState(context).federated) {
    const p = user.properties;
    const detail = Object.entries(p).map(([k, v]) => `${k} = ${v}`).join(', ');
    add(user.key, `WORKLOAD_IDENTITY${detail ? ` (${detail})` : ''} set by ${workloadIdentitySource(user)}`);
  }
  for (const [key, evidence] of gcpFederatedServiceAccounts(context)) add(key, evidence);
  return out;
}
