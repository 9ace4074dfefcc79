/**
 * The token grants of a resource set: for each resource whose identity policies let principals mint web identity
 * tokens (`sts:GetWebIdentityToken`), the minting statements of those policies and the principals (roles, users,
 * groups) each applies to. Read once per resource and set of a check and remembered on its analysis context: the trust
 * inventory (`findTrusts`), the federation graph (`workloadsOf`) and the minting rules (KL-TR-03, KL-TR-04) all read
 * it, instead of each reading every resource's identity policies and minting statements again.
 */
import { GET_WEB_IDENTITY_TOKEN } from '../../core/token-statement';
import type { AnalysisContext } from '../analysis';
import { Memo } from '../analysis';
import { NormalizedResource } from '../model';
import { NestingError } from '../nesting';
import { MintingStatement, mintingStatements } from './minting';
import { AttachedPrincipal, attachedPrincipals, IDENTITY_POLICY_TYPES, identityPolicies } from './sources';

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

/** A part of a resource's identity policies that could not be read (a document or branch known only at deploy time). */
export interface UnreadPolicy {
  readonly label: string;
  /** Why, as the document reader says it (`the Statement list is not a literal`, ...). */
  readonly reason: string;
}

/** What reading a resource's identity policies gave. */
interface ReadGrants {
  readonly grants: readonly TokenGrant[];
  readonly unread: readonly UnreadPolicy[];
}

/** A resource's grants, or why its policies could not be read (nested too deeply: the rules report it). */
type ResourceGrants = ReadGrants | NestingError;

const NOTHING: ReadGrants = Object.freeze({ grants: Object.freeze([]), unread: Object.freeze([]) });

/** The token grants of each resource of a set read so far (per set: the principals depend on the set). */
const TOKEN_GRANTS = new Memo<NormalizedResource, ResourceGrants>('token grants of a resource');

/** The types whose resources carry identity policies (see `identityPolicies`), as a set: asked for every resource. */
const POLICY_CARRIERS: ReadonlySet<string> = new Set(IDENTITY_POLICY_TYPES);

function grantsOf(resource: NormalizedResource, context: AnalysisContext): ResourceGrants {
  // only resources that carry identity policies can grant: no memo entry for every other resource of the set
  if (resource.kind !== 'resource' || !POLICY_CARRIERS.has(resource.type)) return NOTHING;
  return context.remember(TOKEN_GRANTS, resource, () => {
    try {
      const grants: TokenGrant[] = [];
      const unread: UnreadPolicy[] = [];
      let principals: readonly AttachedPrincipal[] | undefined;
      for (const source of identityPolicies(resource, context, GET_WEB_IDENTITY_TOKEN)) {
        if (source.document.unresolved !== undefined) unread.push({ label: source.label, reason: source.document.unresolved });
        for (const minting of mintingStatements(source.document, context)) {
          principals ??= attachedPrincipals(resource, context);
          grants.push({ resource, label: source.label, minting, principals });
        }
      }
      return grants.length > 0 || unread.length > 0 ? { grants, unread } : NOTHING;
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
  const read = grantsOf(resource, context);
  if (read instanceof NestingError) throw read;
  return read.grants;
}

/**
 * The parts of a resource's identity policies that could not be read (so whether they grant sts:GetWebIdentityToken is
 * unknown), in policy order. Throws like {@link tokenGrants}.
 */
export function unreadPolicies(resource: NormalizedResource, context: AnalysisContext): readonly UnreadPolicy[] {
  const read = grantsOf(resource, context);
  if (read instanceof NestingError) throw read;
  return read.unread;
}

/** Every readable token grant of the context's set, in resource, policy and statement order. */
export function tokenGrantsOfSet(context: AnalysisContext): TokenGrant[] {
  const out: TokenGrant[] = [];
  for (const r of context.set.resources) {
    const read = grantsOf(r, context);
    if (!(read instanceof NestingError)) out.push(...read.grants);
  }
  return out;
}
