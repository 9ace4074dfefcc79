/**
 * The token grants of a resource set: for each resource whose identity policies let principals mint web identity
 * tokens (`sts:GetWebIdentityToken`), the minting statements of those policies and the principals (roles, users,
 * groups) each applies to. Read once per resource and set of a check and remembered on its analysis context: the trust
 * inventory (`findTrusts`), the federation graph (`workloadsOf`) and the minting rules (KL-TR-03, KL-TR-04) all read
 * it, instead of each reading every resource's identity policies and minting statements again.
 */
import type { AnalysisContext } from '../analysis';
import { Memo } from '../analysis';
import { NormalizedResource } from '../model';
import { NestingError } from '../nesting';
import { GET_WEB_IDENTITY_TOKEN, MintingStatement, mintingStatements } from './minting';
import { AttachedPrincipal, attachedPrincipals, identityPolicies } from './sources';

/** One minting statement of one identity policy of a resource, with the principals the policy applies to. */
export interface TokenGrant {
  /** The resource carrying the policy (a role's inline policy, a managed or standalone policy). */
  readonly resource: NormalizedResource;
  /** Which of its policies (`inline_policy "tokens"`, `PolicyDocument`, ...), for messages. */
  readonly label: string;
  readonly minting: MintingStatement;
  /** Who holds the grant: the principals the policy applies to (possibly none among the inputs). */
  readonly principals: readonly AttachedPrincipal[];
}

/** A resource's grants, or why its policies could not be read (nested too deeply: the rules report it). */
type ResourceGrants = readonly TokenGrant[] | NestingError;

const NO_GRANTS: readonly TokenGrant[] = Object.freeze([]);

/** The token grants of each resource of a set read so far (per set: the principals depend on the set). */
const TOKEN_GRANTS = new Memo<NormalizedResource, ResourceGrants>('token grants of a resource');

function grantsOf(resource: NormalizedResource, context: AnalysisContext): ResourceGrants {
  return context.remember(TOKEN_GRANTS, resource, () => {
    if (resource.kind !== 'resource') return NO_GRANTS;
    try {
      const grants: TokenGrant[] = [];
      let principals: readonly AttachedPrincipal[] | undefined;
      for (const source of identityPolicies(resource, context, GET_WEB_IDENTITY_TOKEN)) {
        for (const minting of mintingStatements(source.document, context)) {
          principals ??= attachedPrincipals(resource, context);
          grants.push({ resource, label: source.label, minting, principals });
        }
      }
      return grants.length > 0 ? grants : NO_GRANTS;
    } catch (e) {
      if (!(e instanceof NestingError)) throw e;
      return e;
    }
  });
}

/**
 * The token grants of a resource of the context's set, in policy and statement order. Throws the
 * {@link NestingError} reading its policies threw (JSON nested too deeply), every time it is asked.
 */
export function tokenGrants(resource: NormalizedResource, context: AnalysisContext): readonly TokenGrant[] {
  const grants = grantsOf(resource, context);
  if (grants instanceof NestingError) throw grants;
  return grants;
}

/** Every readable token grant of the context's set, in resource, policy and statement order. */
export function tokenGrantsOfSet(context: AnalysisContext): TokenGrant[] {
  const out: TokenGrant[] = [];
  for (const r of context.set.resources) {
    const grants = grantsOf(r, context);
    if (!(grants instanceof NestingError)) out.push(...grants);
  }
  return out;
}
