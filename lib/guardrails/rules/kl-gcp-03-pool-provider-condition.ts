import { Rule } from '../model';
import { GCP_POOL_PROVIDER_TYPES, poolConditionProblem, poolProviderTrust } from '../policy/gcp';

/**
 * KL-GCP-03: a workload identity pool provider without an attribute condition, or (for an AWS trust) with one that
 * admits any AWS role.
 */
export const KL_GCP_03: Rule = {
  id: 'KL-GCP-03',
  severity: 'error',
  category: 'trust',
  title: 'workload identity pool provider without an attribute condition, or one that admits any AWS role',
  fix: 'Set attribute_condition to admit exactly the workload roles: assertion.sub == \'arn:aws:iam::<account>:role/<path><name>\' (or assertion.sub in [...]) on an OIDC provider trusting the account\'s issuer; attribute.aws_role == \'arn:aws:sts::<account>:assumed-role/<name>\' on Google\'s older aws type. GcpWorkloadIdentityPool writes the first.',
  appliesTo: GCP_POOL_PROVIDER_TYPES,
  reads: { google_iam_workload_identity_pool_provider: ['attribute_condition', 'attribute_mapping', 'aws', 'oidc', 'disabled'] },
  check(resource) {
    if (resource.kind !== 'resource' || resource.properties.disabled === true) return [];
    const problem = poolConditionProblem(resource);
    if (!problem) return [];
    const trust = poolProviderTrust(resource);
    const who = trust === 'other'
      ? 'every identity its issuer signs a token for'
      : trust === 'aws'
        ? 'every IAM role and user of the AWS account (a signed GetCallerIdentity request from any of them)'
        : 'every role of the AWS account that can mint a token for an allowed audience';
    if (problem.kind === 'unknown') {
      return [{ severity: 'warning', message: `workload identity pool provider ${resource.address} ${problem.reason}. Fix: write the condition literally. ${KL_GCP_03.fix}` }];
    }
    return [{ message: `workload identity pool provider ${resource.address} ${problem.reason}: ${who} can exchange it for Google credentials. Fix: ${KL_GCP_03.fix}` }];
  },
};
