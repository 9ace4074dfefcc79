import { FederationPlan, WebIdentityTokenGrantOptions } from '../../lib'; // in your project: from 'cdk-keyless'
import { plan as ecsPlan } from '../ecs-openai-anthropic/plan';
import { plan as lambdaPlan } from '../lambda-snowflake-entra/plan';

/**
 * The organization this example guards: where the policies are deployed, which OU they are attached to, who
 * may still break the glass, and where alerts are raised. Fixed example ids so that `npm run synth` works
 * offline; use yours (`aws organizations list-roots`, `list-organizational-units-for-parent`).
 */
export const organization = {
  /** The management account: Organizations policies are created there (or in a delegated administrator). */
  managementAccount: '999988887777',
  /** The OU of the workload accounts (the accounts of the other examples). */
  workloadsOu: 'ou-x1y2-workload1',
  /** The security tooling account that receives the alerts and owns the organization trail's log group. */
  securityAccount: '444455556666',
  /** The log group the organization trail delivers to (in the security account, us-east-1). */
  organizationTrailLogGroup: 'aws-cloudtrail-logs-organization',
  /** Regions the workloads run in; STS use anywhere else is an alert (and denied by the RCP). */
  workloadRegions: ['eu-west-1'],
  /**
   * Break-glass principals that may still create long-lived credentials in an emergency: one role, in the
   * break-glass path, in every account. The name starts literally, so nobody can create a matching role.
   */
  breakGlassPrincipalArns: ['arn:aws:iam::*:role/break-glass/emergency-access'],
  /** The platform role that may switch outbound federation off for an account. */
  federationAdministratorArns: ['arn:aws:iam::*:role/platform/outbound-federation-admin'],
} as const;

/** The federation plans of the workload accounts in the OU: the other paved-road examples. */
export const plans: readonly FederationPlan[] = [lambdaPlan, ecsPlan];

/**
 * The organization allowlist is the list of the workloads' own grants: every audience, algorithm and lifetime
 * a paved-road workload requests, and nothing else. A token for any other audience fails in the whole OU.
 */
export const allowedTokens: WebIdentityTokenGrantOptions[] = plans.flatMap((p) => p.workloads.flatMap((w) => w.targets.map((t) => ({
  audiences: [t.tokenRequest.audience],
  signingAlgorithm: t.tokenRequest.signingAlgorithm,
  maxLifetimeSeconds: t.tokenRequest.durationSeconds,
}))));
