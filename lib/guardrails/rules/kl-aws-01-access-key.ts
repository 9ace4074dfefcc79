import { Rule } from '../model';
import { referencedAddress } from '../policy/values';

const USER_TYPES = ['AWS::IAM::User', 'aws_iam_user'];

/** KL-AWS-01: an IAM access key (long-lived access key id + secret). */
export const KL_AWS_01: Rule = {
  id: 'KL-AWS-01',
  severity: 'error',
  title: 'IAM access key',
  fix: 'Delete the access key. Workloads on AWS run as an IAM role; workloads elsewhere assume a role through an OIDC trust (e.g. GitHub Actions) with pinned audience and subject.',
  appliesTo: ['AWS::IAM::AccessKey', 'aws_iam_access_key'],
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    const p = resource.properties;
    const user = resource.engine === 'cloudformation' ? p.UserName : p.user;
    const identity = referencedAddress(user, context.set, USER_TYPES);
    const inactive = typeof (p.Status ?? p.status) === 'string' && String(p.Status ?? p.status).toLowerCase() === 'inactive';
    return [{
      message: `IAM access key ${resource.address}${identity ? ` for user ${identity}` : ''}${inactive ? ' (inactive, but one call re-activates it)' : ''}: `
        + 'an access key id and secret never expire and work from anywhere, so the key is a fallback path around any federated access. '
        + `Fix: ${KL_AWS_01.fix}`,
      ...(identity ? { identity } : {}),
    }];
  },
};
