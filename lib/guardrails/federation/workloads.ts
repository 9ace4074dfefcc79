/**
 * The AWS side of the federation graph: each account's outbound issuer and the IAM roles among the inputs, with the
 * tokens their identity policies let them mint (inline, managed, standalone and attached policies, either engine).
 */
import type { AnalysisContext } from '../analysis';
import { Memo } from '../analysis';
import { NormalizedResource, Writable } from '../model';
import { MintingStatement } from '../policy/minting';
import { referencedResources } from '../policy/resource-index';
import { principalName } from '../policy/sources';
import { tokenGrantsOfSet } from '../policy/token-grants';
import { blocks } from '../policy/json';
import { awsAccountAt, providerAddressOf } from '../policy/aws-provider';
import { staticString } from '../policy/static-value';
import { AccountIssuer, MintableToken, Workload } from './model';

/** STS's longest token lifetime (DESIGN §1.1): what an unbounded grant allows. */
export const STS_MAX_LIFETIME_SECONDS = 3600;

/** The custom resource `OutboundWebIdentityFederation` writes; `ExpectedIssuerUrl` is the account's issuer. */
export const CFN_FEDERATION_SWITCH = 'Custom::KeylessOutboundWebIdentityFederation';
/** The AWS provider's account switch (provider >= 6.26.0). */
export const TF_FEDERATION_SWITCH = 'aws_iam_outbound_web_identity_federation';

const ROLE_TYPES: readonly string[] = ['AWS::IAM::Role', 'aws_iam_role'];

/**
 * One resource set of the check, through its analysis context (the graph shares the parsed policies and indexes the
 * rules worked out); the set's `account` is where it deploys, when the input says.
 */
export type FederationInput = AnalysisContext;

/**
 * The value a Terraform resource's `lifecycle` postcondition pins an attribute to (`self.issuer_identifier == "..."`,
 * `self.arn == "..."`: the apply fails unless the attribute is that string), as the cdk-keyless constructs write it.
 */
export function pinnedByPostcondition(resource: NormalizedResource, attribute: string): string | undefined {
  const lifecycle = blocks(resource.properties.lifecycle)[0];
  for (const condition of blocks(lifecycle?.postcondition)) {
    const text = typeof condition.condition === 'string' ? condition.condition : '';
    const m = new RegExp(`^\\$\\{\\s*self\\.${attribute}\\s*==\\s*"([^"\\\\$%]+)"\\s*\\}$`).exec(text);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Issuers declared inside the inputs: the CDK switch's expected issuer, the Terraform switch's issuer as its
 * postcondition pins it.
 */
export function declaredIssuers(input: FederationInput, notes: string[]): AccountIssuer[] {
  const out: AccountIssuer[] = [];
  for (const r of input.set.resources) {
    if (r.kind !== 'resource') continue;
    if (r.type === CFN_FEDERATION_SWITCH || r.type === TF_FEDERATION_SWITCH) {
      const url = r.type === CFN_FEDERATION_SWITCH ? staticString(r.properties.ExpectedIssuerUrl) : pinnedByPostcondition(r, 'issuer_identifier');
      const account = accountOf(r, input);
      if (url) out.push({ ...(account ? { account } : {}), url, source: `${r.file}: ${r.address}` });
      else notes.push(`${r.file}: ${r.address} enables outbound federation without a literal expected issuer: the account's issuer is not known to the federation graph (pass --issuer ACCOUNT=URL or --plan)`);
    }
  }
  return out;
}

/**
 * The issuers given for `account`, and their distinct URLs (one URL: the account's issuer is known; more: the inputs
 * disagree). With `includeUnknownAccount`, issuers declared by an input whose account is not known count too (a set's
 * own switch, when the set does not say its account).
 */
export function issuersOfAccount(
  account: string, issuers: readonly AccountIssuer[], includeUnknownAccount = false,
): { readonly issuers: AccountIssuer[]; readonly urls: string[] } {
  const known = issuers.filter((i) => i.account === account || (includeUnknownAccount && i.account === undefined));
  return { issuers: known, urls: [...new Set(known.map((i) => i.url))] };
}

function tokenOf(m: MintingStatement, audience: string | undefined, source: { resource: NormalizedResource; label: string }): MintableToken {
  // field by field, in this order: one per mintable token of every role (see Writable in model.ts on spreads)
  const token: Writable<MintableToken> = {} as MintableToken;
  if (audience !== undefined) token.audience = audience;
  token.algorithms = m.algorithms;
  token.maxLifetimeSeconds = m.lifetime.kind === 'bounded' ? Math.min(m.lifetime.maxSeconds, STS_MAX_LIFETIME_SECONDS) : STS_MAX_LIFETIME_SECONDS;
  token.resource = source.resource.address;
  token.resourceType = source.resource.type;
  token.file = source.resource.file;
  if (source.resource.constructPath) token.constructPath = source.resource.constructPath;
  token.statement = m.statement.sid ? `statement "${m.statement.sid}" of ${source.label}` : source.label;
  return token;
}

/**
 * The account a resource deploys to: the one the input says (the cloud assembly's stack environment), else, for
 * Terraform, the account of the `provider "aws"` configuration the resource uses: its `provider` argument (a resource
 * of a called module: after the calls' `providers` mappings, see `NormalizedResource.provider`), else the default
 * `provider "aws"` block. A configuration says its account with `allowed_account_ids = ["<one account>"]` (Terraform
 * refuses any other account) or with an `assume_role` whose `role_arn` is a literal ARN (the role it works as is in
 * that account). A configuration the set does not hold, or that says neither, gives no account.
 */
export function accountOf(resource: NormalizedResource, input: FederationInput): string | undefined {
  if (input.set.account !== undefined) return input.set.account;
  if (input.set.engine !== 'terraform') return undefined;
  const address = providerAddressOf(resource);
  if (address === null) return undefined;
  // Read once per provider configuration of a set, not once per role.
  return input.remember(PROVIDER_ACCOUNTS, address, () => awsAccountAt(address, (a) => input.resource(a)));
}

/** The account of each `provider "aws"` configuration of a set (by address), per set of a check. */
const PROVIDER_ACCOUNTS = new Memo<string, string | undefined>('account of an aws provider configuration');

/**
 * A role's name, path and ARN (the token's `sub`) as far as the input says: the ARN is computed from a literal name and
 * path and the input's account, or read from the postcondition that pins it (TerraformFederatedWorkloadRole).
 */
export function roleIdentity(resource: NormalizedResource, input: FederationInput): RoleIdentity {
  // the trust inventory and the federation graph both ask for every role
  return input.remember(ROLE_IDENTITIES, resource, () => readRoleIdentity(resource, input));
}

/**
 * The ARN of the role a trust's subject names by reference alone (`${aws_iam_role.etl.arn}`, CloudFormation
 * `{"Fn::GetAtt": ["EtlRole", "Arn"]}`), when that role's ARN is known (see {@link roleIdentity}): once deployed the
 * subject is that ARN. `undefined` for anything else (text around the reference, another attribute, another type).
 */
export function referencedRoleArn(value: unknown, input: FederationInput): string | undefined {
  if (typeof value === 'string' && !/^\$\{[^{}]*\}$/.test(value.trim())) return undefined;
  const refs = referencedResources(value, input, ROLE_TYPES);
  if (refs.length !== 1 || (refs[0].attribute ?? '').toLowerCase() !== 'arn') return undefined;
  return roleIdentity(refs[0].resource, input).arn;
}

/** A role's name, path and ARN (see {@link roleIdentity}). */
export interface RoleIdentity {
  readonly name?: string;
  readonly path?: string;
  readonly arn?: string;
}

/** Each role's identity, per set of a check (the ARN depends on the set's account). */
const ROLE_IDENTITIES = new Memo<NormalizedResource, RoleIdentity>('name, path and ARN of a role');

function readRoleIdentity(resource: NormalizedResource, input: FederationInput): RoleIdentity {
  const p = resource.properties;
  const name = principalName(resource);
  const writtenPath = p.Path ?? p.path;
  const path = writtenPath === undefined ? '/' : staticString(writtenPath);
  const account = accountOf(resource, input);
  const computed = name !== undefined && path !== undefined && account !== undefined ? `arn:aws:iam::${account}:role${path}${name}` : undefined;
  // A Terraform role whose postcondition pins its ARN (TerraformFederatedWorkloadRole) is that role, or no apply.
  const pinned = computed === undefined && resource.engine === 'terraform' ? pinnedByPostcondition(resource, 'arn') : undefined;
  const arn = computed ?? (pinned !== undefined && /^arn:[^:]+:iam::\d{12}:role\//.test(pinned) ? pinned : undefined);
  const identity: Writable<RoleIdentity> = {};
  if (name !== undefined) identity.name = name;
  if (path !== undefined) identity.path = path;
  if (arn !== undefined) identity.arn = arn;
  return identity;
}

/** The roles of one input and the tokens each can mint. Unreadable grants are noted, never taken as absent. */
export function workloadsOf(input: FederationInput, notes: string[], localIssuer?: AccountIssuer): Workload[] {
  const { set } = input;
  const partition = 'aws';
  const roles = new Map<string, { resource: NormalizedResource; tokens: MintableToken[] }>();
  for (const r of set.resources) {
    if (r.kind === 'resource' && ROLE_TYPES.includes(r.type)) roles.set(r.address, { resource: r, tokens: [] });
  }
  for (const { resource: r, label, minting: m, principals } of tokenGrantsOfSet(input)) {
    const holders = principals.filter((p) => p.kind === 'role' && p.address !== undefined && roles.has(p.address));
    if (holders.length === 0) continue;
    const tokens: MintableToken[] = [];
    if (m.binding.kind === 'strict') {
      for (const aud of m.binding.audiences) {
        const audience = staticString(aud);
        if (audience === undefined) notes.push(`${r.file}: ${r.address}: an audience of its token grant is not known before deployment: the federation graph cannot join it`);
        else tokens.push(tokenOf(m, audience, { resource: r, label }));
      }
    } else if (m.binding.kind === 'unbound') {
      tokens.push(tokenOf(m, undefined, { resource: r, label }));
    } else {
      notes.push(`${r.file}: ${r.address}: the conditions of its token grant are not known before deployment: the federation graph cannot tell which audiences it allows`);
    }
    if (m.lifetime.kind === 'unknown') notes.push(`${r.file}: ${r.address}: the lifetime bound of its token grant is not known before deployment: taken as STS's maximum (${STS_MAX_LIFETIME_SECONDS} s)`);
    for (const holder of holders) roles.get(holder.address!)!.tokens.push(...tokens);
  }
  return [...roles.values()].map(({ resource, tokens }) => {
    const { name, path, arn } = roleIdentity(resource, input);
    const account = accountOf(resource, input);
    return {
      ...(arn ? { arn } : {}),
      ...(account ? { account } : arn ? { account: arn.split(':')[4], accountSource: `${resource.address}'s postcondition` } : {}),
      partition,
      path: path ?? '/',
      ...(name !== undefined && path !== undefined ? { name } : {}),
      address: resource.address,
      resourceType: resource.type,
      file: resource.file,
      engine: resource.engine,
      ...(resource.constructPath ? { constructPath: resource.constructPath } : {}),
      tokens,
      ...(localIssuer ? { localIssuer } : {}),
    };
  });
}
