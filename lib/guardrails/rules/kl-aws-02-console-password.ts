import type { AnalysisContext } from '../analysis';
import { NormalizedResource, Rule, RuleHit } from '../model';
import { CUSTOM_RESOURCE_TYPES, REQUEST_EXPOSURE, callsTo, describeCall, isCustomResourceType } from '../normalize/custom-resource';
import { isObject } from '../policy/json';
import { referencedAddress } from '../policy/resource-index';
import { staticString } from '../policy/static-value';

const WHY = 'a password is a long-lived credential that works until someone rotates it, so it is a fallback path around federated sign-in';

/** `IAM createLoginProfile` / `updateLoginProfile` made by a custom resource at deploy time. */
function setByCustomResource(resource: NormalizedResource, context: AnalysisContext): RuleHit[] {
  return callsTo(resource, 'iam', ['createloginprofile', 'updateloginprofile'], context).map(({ calls }) => {
    const user = calls.map((c) => c.parameters.UserName);
    const identity = referencedAddress(user, context, ['AWS::IAM::User']);
    const literal = user.map(staticString).find((u) => u);
    const who = identity ?? (literal ? JSON.stringify(literal) : undefined);
    const sent = calls.some((c) => c.parameters.Password !== undefined) ? ` The password is a call parameter: ${REQUEST_EXPOSURE} (value not shown).` : '';
    return {
      message: `${describeCall(resource, calls)}: it gives ${who ? `IAM user ${who}` : 'an IAM user'} a console password at deploy time, which no LoginProfile in the template shows: `
        + `${WHY}.${sent} Fix: ${KL_AWS_02.fix}`,
      ...(identity ? { identity } : {}),
    };
  });
}

/** KL-AWS-02: an IAM user console password (login profile), in the template or set by a custom resource. */
export const KL_AWS_02: Rule = {
  id: 'KL-AWS-02',
  severity: 'error',
  category: 'credential',
  title: 'IAM console password',
  fix: 'Remove the login profile. People sign in through IAM Identity Center (SSO); workloads use an IAM role or an OIDC role trust.',
  appliesTo: ['AWS::IAM::User', 'aws_iam_user_login_profile', ...CUSTOM_RESOURCE_TYPES],
  reads: { 'AWS::IAM::User': ['LoginProfile'] },
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    if (isCustomResourceType(resource.type)) return setByCustomResource(resource, context);
    if (resource.type === 'AWS::IAM::User') {
      const profile = resource.properties.LoginProfile;
      if (profile === undefined || profile === null || (isObject(profile) && Object.keys(profile).length === 0)) return [];
      return [{
        message: `IAM user ${resource.address} has a LoginProfile (console password): `
          + `${WHY}. `
          + `Fix: ${KL_AWS_02.fix}`,
        identity: resource.address,
      }];
    }
    const identity = referencedAddress(resource.properties.user, context, ['aws_iam_user']);
    return [{
      message: `aws_iam_user_login_profile ${resource.address}${identity ? ` gives ${identity}` : ' gives an IAM user'} a console password: `
        + `${WHY}. `
        + `Fix: ${KL_AWS_02.fix}`,
      ...(identity ? { identity } : {}),
    }];
  },
};
