/**
 * The relying-party side of the federation graph, read from Terraform configurations: Entra federated identity
 * credentials and Snowflake users' workload identities (SQL in `snowflake_execute` or the provider's
 * `default_workload_identity`) with the authentication policy that governs each user.
 */
import { isAwsOutboundIssuer } from '../../core/issuer';
import { TARGET_ALGORITHMS, TargetKind } from '../../core/target';
import type { AnalysisContext } from '../analysis';
import { NormalizedResource } from '../model';
import { splitTopLevel, stripParens } from '../policy/gcp';
import { ENTRA_FIC_TYPES, resolveEntraApplication } from '../policy/identity';
import { AttachedPolicy, snowflakeAuthState } from '../policy/snowflake';
import { asArray, block } from '../policy/json';
import { staticString } from '../policy/static-value';
import { RelyingPartyTrust } from './model';
import { referencedRoleArn } from './workloads';

/** The audience Snowflake expects of an AWS outbound token (DESIGN §1.2). */
export const SNOWFLAKE_AUDIENCE = 'snowflakecomputing.com';

const FLEXIBLE_FIC = 'azuread_application_flexible_federated_identity_credential';

function located(r: NormalizedResource): Pick<RelyingPartyTrust, 'address' | 'resourceType' | 'file' | 'engine' | 'constructPath'> {
  return { address: r.address, resourceType: r.type, file: r.file, engine: r.engine, ...(r.constructPath ? { constructPath: r.constructPath } : {}) };
}

/**
 * Whether a relying party's trust is for another identity provider's workloads (GitHub Actions, GitLab, a cluster's
 * service accounts): its issuer is not an AWS account's outbound issuer and its subject is not a role ARN. Such a
 * trust is not an edge of the AWS federation graph, which joins trusts to roles; the per-resource rules still check
 * it. A subject that is a role ARN is joined whatever the issuer, so a wrong issuer is KL-FED-02, not a skip.
 */
function trustsAnotherProvider(issuer: string, subject: string): boolean {
  return !isAwsOutboundIssuer(issuer) && !subject.startsWith('arn:');
}

function entraTrust(r: NormalizedResource, context: AnalysisContext, notes: string[]): RelyingPartyTrust | undefined {
  const p = r.properties;
  if (r.type === FLEXIBLE_FIC) {
    notes.push(`${r.file}: ${r.address}: a flexible federated identity credential matches subjects with an expression; the federation graph does not join it to roles`);
    return undefined;
  }
  const app = resolveEntraApplication(p.application_id, context);
  const appName = app ? staticString(app.properties.display_name) : undefined;
  const issuer = staticString(p.issuer);
  // `subject = aws_iam_role.etl.arn`, the usual way to write it: the role's ARN when the graph knows it
  const subject = staticString(p.subject) ?? referencedRoleArn(p.subject, context);
  const audience = staticString(asArray(p.audiences)[0]);
  if (subject === undefined || issuer === undefined || audience === undefined) {
    notes.push(`${r.file}: ${r.address}: its ${[subject === undefined ? 'subject' : '', issuer === undefined ? 'issuer' : '', audience === undefined ? 'audience' : ''].filter(Boolean).join(', ')} is not known before deployment: the federation graph cannot join it`);
    return undefined;
  }
  if (trustsAnotherProvider(issuer, subject)) return undefined;
  return {
    kind: 'entra',
    ...located(r),
    label: app ? `Entra application ${appName ?? app.address}` : 'Entra application',
    issuer,
    subject,
    subjectMatch: 'exact',
    audience,
    algorithms: TARGET_ALGORITHMS[TargetKind.ENTRA],
  };
}

const upper = (values: unknown): string[] | undefined => {
  const list = asArray(values).map(staticString);
  if (list.length === 0 || list.some((v) => v === undefined)) return undefined;
  return (list as string[]).map((v) => v.trim().toUpperCase());
};

/** Why the user's authentication policy refuses an AWS workload-identity login from `account`, if it does. */
export function snowflakePolicyRefusal(policies: readonly AttachedPolicy[], account: string | undefined): string | undefined {
  for (const attached of policies) {
    const policy = attached.policy;
    if (!policy) continue;
    const name = staticString(policy.properties.name) ?? policy.address;
    const methods = upper(policy.properties.authentication_methods);
    if (methods && !methods.includes('WORKLOAD_IDENTITY') && !methods.includes('ALL')) {
      return `its authentication policy ${name} (${policy.address}) allows ${methods.join(', ')}, not WORKLOAD_IDENTITY`;
    }
    const wi = block(policy.properties.workload_identity_policy);
    const providers = wi ? upper(wi.allowed_providers) : undefined;
    if (providers && !providers.includes('AWS') && !providers.includes('ALL')) {
      return `its authentication policy ${name} (${policy.address}) allows workload identity providers ${providers.join(', ')}, not AWS`;
    }
    const accounts = wi ? upper(wi.allowed_aws_accounts) : undefined;
    if (accounts && account !== undefined && !accounts.includes(account) && !accounts.includes('ALL')) {
      return `its authentication policy ${name} (${policy.address}) allows AWS accounts ${accounts.join(', ')}, not ${account}`;
    }
  }
  return undefined;
}

function snowflakeTrusts(context: AnalysisContext, notes: string[]): RelyingPartyTrust[] {
  const state = snowflakeAuthState(context);
  const out: RelyingPartyTrust[] = [];
  for (const user of state.federated) {
    const p = user.properties;
    if ((p.TYPE ?? '').toUpperCase() !== 'AWS') continue;
    // `ARN = '${aws_iam_role.etl.arn}'` in the SQL: the role's ARN when the graph knows it
    const subject = p.ARN !== undefined && p.ARN.includes('${') ? referencedRoleArn(p.ARN, context) ?? p.ARN : p.ARN;
    if (p.ISSUER === undefined) continue; // signed GetCallerIdentity mode: no outbound token is involved
    if (subject === undefined || /\$\{/.test(subject) || /\$\{/.test(p.ISSUER)) {
      notes.push(`${user.setBy.file}: ${user.setBy.address}: the ARN or ISSUER of ${user.key}'s workload identity is not known before deployment: the federation graph cannot join it`);
      continue;
    }
    const account = /^arn:[^:]*:iam::(\d{12}):/.exec(subject)?.[1];
    const policies = state.userPolicies.get(user.key) ?? state.accountPolicies;
    const refusal = snowflakePolicyRefusal(policies, account);
    out.push({
      kind: 'snowflake',
      ...located(user.setBy),
      label: `Snowflake user ${user.user ? staticString(user.user.properties.name) ?? user.key : user.key}`,
      issuer: p.ISSUER,
      subject,
      subjectMatch: 'exact',
      audience: SNOWFLAKE_AUDIENCE,
      algorithms: TARGET_ALGORITHMS[TargetKind.SNOWFLAKE],
      ...(refusal ? { refusal } : {}),
    });
  }
  return out;
}

const GCP_POOL_PROVIDER = 'google_iam_workload_identity_pool_provider';

/**
 * The role ARNs a CEL condition pins `claim` to (`<claim> == '...'`, `<claim> in [...]`, `||` of those), or undefined
 * when any part of it is something else. `claim` is `assertion.sub` for a Google Cloud attribute condition and
 * `claims.sub` for a Kubernetes claim validation rule. A literal holding a backslash is not read (CEL would decode its
 * escape sequences; no role ARN holds one).
 */
export function pinnedSubjects(condition: string, claim: string = 'assertion.sub'): string[] | undefined {
  const out: string[] = [];
  const name = claim.replace(/\./g, '\\s*\\.\\s*');
  const eqPattern = new RegExp(`^${name}\\s*==\\s*(['"])([^'"\\\\]+)\\1$`);
  const inPattern = new RegExp(`^${name}\\s+in\\s+\\[(.*)\\]$`);
  // the CEL scanner KL-GCP-03 reads conditions with: `||`, `,` and parentheses outside quoted strings only
  for (const part of splitTopLevel(condition, '||')) {
    const t = stripParens(part);
    const eq = eqPattern.exec(t);
    const inList = inPattern.exec(t);
    if (eq) out.push(eq[2]);
    else if (inList) {
      const items = splitTopLevel(inList[1], ',').map((x) => x.trim()).filter((x) => x !== '');
      for (const item of items) {
        const m = /^(['"])([^'"\\]+)\1$/.exec(item);
        if (!m) return undefined;
        out.push(m[2]);
      }
    } else return undefined;
  }
  return out.length > 0 ? out : undefined;
}

/** A Google Cloud workload identity pool's OIDC provider: one trust per role ARN its attribute condition pins. */
function gcpTrusts(r: NormalizedResource, notes: string[]): RelyingPartyTrust[] {
  const oidc = block(r.properties.oidc);
  if (oidc === undefined) return []; // the AWS provider type (signed GetCallerIdentity) involves no outbound token
  const issuer = staticString(oidc.issuer_uri);
  const audiences = asArray(oidc.allowed_audiences).map(staticString);
  const condition = staticString(r.properties.attribute_condition);
  const subjects = condition === undefined ? undefined : pinnedSubjects(condition);
  // a provider for another identity provider's tokens (GitHub Actions, GitLab) whose condition pins no role ARN
  if (issuer !== undefined && !isAwsOutboundIssuer(issuer) && (subjects ?? []).every((subject) => trustsAnotherProvider(issuer, subject))) return [];
  if (issuer === undefined || audiences.length === 0 || audiences.some((a) => a === undefined) || subjects === undefined) {
    notes.push(`${r.file}: ${r.address}: its issuer, audiences or the role ARNs its attribute_condition admits are not statically known: the federation graph cannot join it`);
    return [];
  }
  if (audiences.length > 1) notes.push(`${r.file}: ${r.address} allows ${audiences.length} audiences: the federation graph joins its roles on the first, ${audiences[0]}`);
  return subjects.filter((subject) => !trustsAnotherProvider(issuer, subject)).map((subject) => ({
    kind: 'gcp' as const,
    ...located(r),
    label: `Google Cloud pool provider ${staticString(r.properties.workload_identity_pool_provider_id) ?? r.address}`,
    issuer,
    subject,
    subjectMatch: 'exact' as const,
    audience: audiences[0]!,
    // Google verifies RS256 and ES256 subject tokens; STS signs RS256 or ES384: RS256 is what both speak
    algorithms: TARGET_ALGORITHMS[TargetKind.GCP],
  }));
}

/** Relying-party trusts configured in one set, in resource order (Entra and Google Cloud first, then Snowflake). */
export function relyingPartyTrusts(context: AnalysisContext, notes: string[]): RelyingPartyTrust[] {
  const { set } = context;
  if (set.engine !== 'terraform') return [];
  const out: RelyingPartyTrust[] = [];
  for (const r of set.resources) {
    if (r.kind === 'resource' && (ENTRA_FIC_TYPES.includes(r.type))) {
      const trust = entraTrust(r, context, notes);
      if (trust) out.push(trust);
    } else if (r.kind === 'resource' && r.type === GCP_POOL_PROVIDER) {
      out.push(...gcpTrusts(r, notes));
    }
  }
  out.push(...snowflakeTrusts(context, notes));
  return out;
}
