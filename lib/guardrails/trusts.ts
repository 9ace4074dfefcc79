/**
 * Federated trusts visible in synthesized output, for the inventory report:
 * - Entra federated identity credentials (issuer, subject, audience);
 * - Snowflake workload identities set through `snowflake_execute` SQL or a user's `default_workload_identity`
 *   block (ARN, ISSUER);
 * - IAM statements that let a role mint tokens with the strict audience binding (one trust per
 *   attached principal and audience; the target kind is guessed from the audience);
 * - inbound OIDC role trusts (`sts:AssumeRoleWithWebIdentity`), target kind `aws-role`.
 */
import { TARGET_ALGORITHMS, TargetKind } from '../core/target';
import type { AnalysisContext } from './analysis';
import { readableName } from './display';
import { declaredIssuers, issuersOfAccount, roleIdentity } from './federation/workloads';
import type { AccountIssuer } from './federation/model';
import { FederatedTrust, NormalizedResource } from './model';
import { NestingError } from './nesting';
import { ENTRA_FIC_TYPES, entraApplicationKey, resolveEntraApplication } from './policy/identity';
import { audienceCheck, oidcTrustEntries, subjectCheck } from './policy/oidc';
import { snowflakeAuthState } from './policy/snowflake';
import { IDENTITY_POLICY_TYPES, principalName, TRUST_POLICY_TYPES } from './policy/sources';
import { tokenGrants } from './policy/token-grants';
import { asArray, block } from './policy/json';
import { engineNoun, shortValue } from './policy/messages';
import { staticString } from './policy/static-value';

/** The kind of relying party an audience belongs to. */
export function targetKindOfAudience(audience: string): FederatedTrust['targetKind'] {
  const a = audience.trim().toLowerCase();
  if (a === 'snowflakecomputing.com' || a.endsWith('.snowflakecomputing.com')) return 'snowflake';
  if (a.startsWith('api://azureadtokenexchange')) return 'entra';
  if (/^https:\/\/api\.openai\.com(\/|$)/.test(a)) return 'openai';
  if (/^https:\/\/api\.anthropic\.com(\/|$)/.test(a)) return 'anthropic';
  return 'oidc';
}

/**
 * The types {@link findTrusts} reads trusts from: Entra federated credentials, identity policies (token grants) and
 * role trust policies (inbound OIDC). Snowflake workload identities come from the set's SQL and users as a whole.
 */
const TRUST_SOURCE_TYPES: ReadonlySet<string> = new Set([...ENTRA_FIC_TYPES, ...IDENTITY_POLICY_TYPES, ...TRUST_POLICY_TYPES]);

const text = (v: unknown): string => (typeof v === 'string' ? v : shortValue(v));

/** Federated trusts of a set (the context's), in resource order. */
export function findTrusts(context: AnalysisContext): FederatedTrust[] {
  const set = context.set;
  const out: FederatedTrust[] = [];
  const opt = <K extends string>(key: K, value: string | undefined): { [k in K]?: string } => (value !== undefined ? { [key]: value } as { [k in K]: string } : {});

  // the set's address index (not a scan of the set per principal)
  const resourceAt = (address: string): NormalizedResource | undefined => {
    const r = context.resource(address);
    return r !== undefined && r.kind === 'resource' && r.address === address ? r : undefined;
  };
  let issuers: AccountIssuer[] | undefined;
  /** The issuer this input declares for the role's account (its account switch), when exactly one. */
  const issuerOf = (arn: string): string | undefined => {
    // the federation graph notes a switch without a literal issuer; the inventory does not repeat it
    issuers ??= declaredIssuers(context, []);
    const { urls } = issuersOfAccount(arn.split(':')[4], issuers, true);
    return urls.length === 1 ? urls[0] : undefined;
  };

  for (const r of set.resources) {
    // most of a set holds no trust: its types are skipped without a look at the resource
    if (r.kind !== 'resource' || !TRUST_SOURCE_TYPES.has(r.type)) continue;
    const before = out.length;
    try {
      trustsOf(r);
    } catch (e) {
      // JSON nested too deeply to read (see nesting.ts): the rules reading the same document report the resource
      // as not checked (an error finding); the inventory lists none of its trusts rather than half of them.
      if (!(e instanceof NestingError)) throw e;
      out.length = before;
    }
  }

  function trustsOf(r: NormalizedResource): void {
    if (ENTRA_FIC_TYPES.includes(r.type)) {
      const p = r.properties;
      const app = resolveEntraApplication(p.application_id, context);
      const appName = app ? staticString(app.properties.display_name) : undefined;
      const target = app ? `${readableName(app)}${appName ? ` (${appName})` : ''}` : entraApplicationKey(p.application_id, context) ?? 'Entra application';
      const subject = staticString(p.subject) ?? staticString(block(p.claims_matching_expression)?.value);
      const audience = staticString(asArray(p.audiences)[0]) ?? staticString(p.audience);
      out.push({
        workload: subject ?? text(p.subject ?? '(subject not known)'),
        target,
        ...opt('targetAddress', app?.address),
        targetKind: 'entra',
        ...opt('issuer', staticString(p.issuer)),
        ...opt('subject', subject),
        ...opt('audience', audience),
        // Entra verifies RS256 only (DESIGN §1.2)
        algorithm: TARGET_ALGORITHMS[TargetKind.ENTRA].join(', '),
        side: 'relying-party',
        file: r.file,
        resource: r.address,
      });
    }

    for (const { minting: m, principals } of tokenGrants(r, context)) {
      if (m.binding.kind !== 'strict') continue;
      const workloads = principals.length > 0
        ? principals.map((p) => ({ name: p.name, role: p.kind === 'role' && p.address !== undefined ? resourceAt(p.address) : undefined }))
        : [{ name: `(principals of ${r.address} not in this ${engineNoun(set.engine)})`, role: undefined }];
      // the minting side knows what the relying party will see: the role ARN (the token's `sub`), the account's
      // issuer when this input enables outbound federation, and the algorithm the grant pins
      const algorithm = m.algorithms.length > 0 ? m.algorithms.join(', ') : undefined;
      for (const { name, role } of workloads) {
        const arn = role ? roleIdentity(role, context).arn : undefined;
        for (const aud of m.binding.audiences) {
          const audience = text(aud);
          out.push({
            workload: name,
            ...opt('workloadName', role ? readableName(role) : undefined),
            target: audience,
            targetKind: typeof aud === 'string' ? targetKindOfAudience(aud) : 'oidc',
            ...opt('issuer', arn !== undefined ? issuerOf(arn) : undefined),
            ...opt('subject', arn),
            audience,
            ...opt('algorithm', algorithm),
            side: 'minting',
            file: r.file,
            resource: r.address,
          });
        }
      }
    }

    for (const { statement, provider } of oidcTrustEntries(r, context)) {
      const subjects = subjectCheck(statement, provider, context).values.map(text);
      const audiences = audienceCheck(statement, provider, context).values.map(text);
      out.push({
        workload: subjects.length > 0 ? subjects.join(', ') : `any subject of ${provider.host ?? 'the provider'}`,
        target: principalName(r) ?? readableName(r),
        targetAddress: r.address,
        targetKind: 'aws-role',
        ...opt('issuer', provider.host ? `https://${provider.host}` : undefined),
        ...opt('subject', subjects.length > 0 ? subjects.join(', ') : undefined),
        ...opt('audience', audiences.length > 0 ? audiences.join(', ') : undefined),
        side: 'inbound',
        file: r.file,
        resource: r.address,
      });
    }
  }

  for (const user of snowflakeAuthState(context).federated) {
    const p = user.properties;
    const subject = p.ARN ?? p.SUBJECT;
    const jwtMode = p.ISSUER !== undefined;
    const awsJwt = (p.TYPE ?? '').toUpperCase() === 'AWS' && jwtMode;
    const userName = user.user ? staticString(user.user.properties.name) : undefined;
    out.push({
      workload: subject ?? '(workload not known)',
      target: user.user ? `${readableName(user.user)}${userName !== undefined ? ` (${userName})` : ''}` : user.key,
      ...opt('targetAddress', user.user?.address),
      targetKind: 'snowflake',
      ...opt('issuer', p.ISSUER),
      ...opt('subject', subject),
      ...opt('audience', awsJwt ? 'snowflakecomputing.com' : p.AUDIENCE_LIST),
      // Snowflake verifies an AWS outbound token signed ES384 only (DESIGN §1.2)
      ...opt('algorithm', awsJwt ? TARGET_ALGORITHMS[TargetKind.SNOWFLAKE].join(', ') : undefined),
      side: 'relying-party',
      file: user.setBy.file,
      resource: user.setBy.address,
    });
  }
  return out;
}
