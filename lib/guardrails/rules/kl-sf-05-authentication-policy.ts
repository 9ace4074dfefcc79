import type { AnalysisContext } from '../analysis';
import { Memo } from '../analysis';
import { Rule, RuleHit } from '../model';
import { SNOWFLAKE_USER_TYPES } from '../policy/identity';
import { AUTH_POLICY_TYPE, FederatedUser, SnowflakeAuthState, extraMethods, governingPolicies, snowflakeAuthState, workloadIdentitySource } from '../policy/snowflake';

const FIX = 'Attach an authentication policy with AUTHENTICATION_METHODS = (\'WORKLOAD_IDENTITY\') and WORKLOAD_IDENTITY_POLICY = (ALLOWED_PROVIDERS = (\'AWS\') ALLOWED_AWS_ACCOUNTS = (\'<account>\')) to every federated user, so Snowflake itself refuses passwords, key pairs and tokens for it.';

/**
 * KL-SF-05: an authentication policy that leaves non-federated methods open for a federated user
 * (error, on the snowflake_authentication_policy), or a federated user with no authentication
 * policy at all (warning, on the user; on the snowflake_execute when the user is not in the set).
 */
export const KL_SF_05: Rule = {
  id: 'KL-SF-05',
  severity: 'error',
  category: 'trust',
  title: 'authentication policy leaves non-federated methods open for a federated user (or a federated user has no such policy)',
  fix: FIX,
  appliesTo: [AUTH_POLICY_TYPE, ...SNOWFLAKE_USER_TYPES, 'snowflake_execute'],
  reads: { [AUTH_POLICY_TYPE]: ['authentication_methods'] },
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    // No `identity` on these hits: a policy finding is not a credential, so the evaluator must not treat it as
    // a fallback credential next to federation (that escalation is for credentials only).
    const state = snowflakeAuthState(context);
    if (state.federated.length === 0) return [];
    const hits: RuleHit[] = [];
    if (resource.type === AUTH_POLICY_TYPE) {
      const governed = state.federated.filter((u) => governingPolicies(state, u.key).some((p) => p.policy?.address === resource.address));
      if (governed.length === 0) return [];
      const extras = extraMethods(resource);
      if (extras === undefined || extras.length === 0) return [];
      for (const u of governed) {
        hits.push({
          message: `authentication policy ${resource.address} governs the federated user ${u.key} (workload identity set by ${workloadIdentitySource(u)}) but allows ${extras.join(', ')} besides WORKLOAD_IDENTITY: `
            + 'those methods stay open next to federation, so a password, key pair or token for this user would still log in. '
            + `Fix: set authentication_methods = ["WORKLOAD_IDENTITY"]. ${FIX}`,
        });
      }
      return hits;
    }
    const mine = federatedAt(context, state, resource.address, resource.type === 'snowflake_execute');
    for (const u of mine) {
      if (governingPolicies(state, u.key).length > 0) continue;
      hits.push({
        message: `${u.key} is federated (WORKLOAD_IDENTITY set by ${workloadIdentitySource(u)}) but no authentication policy is attached to it or to the account: `
          + 'without one, Snowflake still accepts every other login method for this user, so any password, key pair or token added later is a silent fallback path. '
          + `Fix: ${FIX}`,
        severity: 'warning',
      });
    }
    return hits;
  },
};

/** Federated users by the address they are reported on (the user's, or the execute's for users not in the set). */
interface FederatedIndex {
  readonly byUser: Map<string, number[]>;
  readonly byExecute: Map<string, number[]>;
}

const FEDERATED_INDEX = new Memo<SnowflakeAuthState, FederatedIndex>('federated Snowflake users by the address they are reported on');

/**
 * `state.federated.filter((u) => u.user ? u.user.address === address : isExecute && u.setBy.address === address)`,
 * in the same order, through an index built once per state instead of a scan of every federated user per resource.
 */
function federatedAt(context: AnalysisContext, state: SnowflakeAuthState, address: string, isExecute: boolean): FederatedUser[] {
  const index = context.remember(FEDERATED_INDEX, state, () => indexFederated(state));
  const positions = [...(index.byUser.get(address) ?? []), ...(isExecute ? index.byExecute.get(address) ?? [] : [])].sort((a, b) => a - b);
  return positions.map((i) => state.federated[i]);
}

function indexFederated(state: SnowflakeAuthState): FederatedIndex {
  const index: FederatedIndex = { byUser: new Map(), byExecute: new Map() };
  state.federated.forEach((u, i) => {
    const [map, key] = u.user ? [index.byUser, u.user.address] : [index.byExecute, u.setBy.address];
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  });
  return index;
}
