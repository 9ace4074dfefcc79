/**
 * What a federated workload role is, independent of the engine that creates it: who assumes it, how long its
 * sessions last, its token-minting statements (one per target, with an IAM `Sid`) and the environment that
 * carries its token requests to the code. Used by the CDK `FederatedWorkloadRole` and the CDK for Terraform
 * `TerraformFederatedWorkloadRole`. Engine-neutral.
 */
import { fail, ValidationSite } from './errors';
import { PlannedWorkload, WorkloadCompute } from './plan';
import { TokenRequest } from './token';
import { plannedTokenStatementParts, TokenStatementParts } from './token-statement';

/** Name of the role's inline policy that holds its token-minting statements. */
export const TOKEN_POLICY_NAME = 'WebIdentityTokens';
/** A role session lasts 1 to 12 hours. */
export const MIN_SESSION_SECONDS = 3600;
export const MAX_SESSION_SECONDS = 12 * 3600;

/** The service principal that runs each kind of compute (none for `WorkloadCompute.OTHER`). */
const SERVICE_PRINCIPALS: { readonly [compute: string]: string } = {
  [WorkloadCompute.LAMBDA]: 'lambda.amazonaws.com',
  [WorkloadCompute.ECS_TASK]: 'ecs-tasks.amazonaws.com',
  [WorkloadCompute.EC2]: 'ec2.amazonaws.com',
};

/** The service principal that assumes a role for `compute`, or undefined for `WorkloadCompute.OTHER`. */
export function servicePrincipalFor(compute: WorkloadCompute): string | undefined {
  return SERVICE_PRINCIPALS[compute];
}

/** Validates a role's maximum session duration in seconds (1 to 12 hours). */
export function validateSessionSeconds(seconds: number, site: ValidationSite): number {
  if (seconds < MIN_SESSION_SECONDS || seconds > MAX_SESSION_SECONDS) {
    fail(site, `${seconds} seconds`, 'role.max-session-duration', 'a role session lasts 1 to 12 hours');
  }
  return seconds;
}

/** `MintTokenFor<TargetName>`: the target name in PascalCase, letters and digits only (IAM `Sid`). */
function targetSid(targetName: string): string {
  return 'MintTokenFor' + targetName.split(/[-_]+/).filter((p) => p !== '').map((p) => p[0].toUpperCase() + p.slice(1)).join('');
}

/** One of a workload's minting statements: its `Sid` and parts. */
export interface WorkloadTokenStatement extends TokenStatementParts {
  readonly sid: string;
}

/**
 * The workload's minting statements, one per target in order: the target's audience, algorithm and lifetime
 * pinned (the plan validated them), `Sid` `MintTokenFor<Target>` (numbered when two target names share a
 * PascalCase form: IAM wants unique Sids).
 */
export function workloadTokenStatements(workload: PlannedWorkload): WorkloadTokenStatement[] {
  const sids = new Set<string>();
  return workload.targets.map((t, i) => {
    const base = targetSid(t.name);
    let sid = base;
    for (let n = i + 1; sids.has(sid.toLowerCase()); n++) {
      sid = `${base}${n}`;
    }
    sids.add(sid.toLowerCase());
    const { actions, conditions } = plannedTokenStatementParts(t.tokenRequest);
    return { sid, actions, conditions };
  });
}

/** The exact token request of `targetName`, or a validation error at `path` naming the workload's targets. */
export function tokenRequestOf(requests: { [targetName: string]: TokenRequest }, targetNames: string[], targetName: string, path: string): TokenRequest {
  const request = Object.prototype.hasOwnProperty.call(requests, targetName) ? requests[targetName] : undefined;
  if (request === undefined) {
    fail({ path, property: 'targetName' }, targetName, 'workload.target-exists', `the workload has targets ${JSON.stringify(targetNames)}`);
  }
  return request;
}

/**
 * Environment variables that carry each target's token request to the workload code:
 * `<PREFIX>_<TARGET>_AUDIENCE`, `<PREFIX>_<TARGET>_SIGNING_ALGORITHM` and `<PREFIX>_<TARGET>_DURATION_SECONDS`,
 * where TARGET is the target name in upper case with `-` as `_`.
 */
export function tokenEnvironmentOf(requests: { [targetName: string]: TokenRequest }, targetNames: string[], prefix: string | undefined, path: string): { [name: string]: string } {
  const p = prefix ?? 'KEYLESS';
  const site: ValidationSite = { path, property: 'prefix' };
  if (typeof p !== 'string' || !/^[A-Z][A-Z0-9_]{0,63}$/.test(p)) {
    fail(site, p, 'workload.env-prefix', 'an environment variable prefix is upper-case letters, digits and "_", starting with a letter');
  }
  const env: { [name: string]: string } = {};
  const seen = new Map<string, string>();
  for (const name of targetNames) {
    const key = name.toUpperCase().replace(/-/g, '_');
    const other = seen.get(key);
    if (other !== undefined) {
      fail({ path, property: 'targets' }, name, 'workload.env-collision', `targets "${other}" and "${name}" map to the same variable names ${p}_${key}_*; rename one`);
    }
    seen.set(key, name);
    const r = requests[name];
    env[`${p}_${key}_AUDIENCE`] = r.audience;
    env[`${p}_${key}_SIGNING_ALGORITHM`] = r.signingAlgorithm;
    env[`${p}_${key}_DURATION_SECONDS`] = String(r.durationSeconds);
  }
  return env;
}
