import { Rule } from '../model';
import { isObject, referencedAddress } from '../policy/values';

/** KL-AWS-02: an IAM user console password (login profile). */
export const KL_AWS_02: Rule = {
  id: 'KL-AWS-02',
  severity: 'error',
  title: 'IAM console password',
  fix: 'Remove the login profile. People sign in through IAM Identity Center (SSO); workloads use an IAM role or an OIDC role trust.',
  appliesTo: ['AWS::IAM::User', 'aws_iam_user_login_profile'],
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    if (resource.type === 'AWS::IAM::User') {
      const profile = resource.properties.LoginProfile;
      if (profile === undefined || profile === null || (isObject(profile) && Object.keys(profile).length === 0)) return [];
      return [{
        message: `IAM user ${resource.address} has a LoginProfile (console password): `
          + 'a password is a long-lived credential that works until someone rotates it, so it is a fallback path around federated sign-in. '
          + `Fix: ${KL_AWS_02.fix}`,
        identity: resource.address,
      }];
    }
    const identity = referencedAddress(resource.properties.user, context.set, ['aws_iam_user']);
    return [{
      message: `aws_iam_user_login_profile ${resource.address}${identity ? ` gives ${identity}` : ' gives an IAM user'} a console password: `
        + 'a password is a long-lived credential that works until someone rotates it, so it is a fallback path around federated sign-in. '
        + `Fix: ${KL_AWS_02.fix}`,
      ...(identity ? { identity } : {}),
    }];
  },
};
