import type { AnalysisContext } from '../analysis';
import { NormalizedResource, Rule, RuleHit } from '../model';
import { CUSTOM_RESOURCE_TYPES, RESPONSE_EXPOSURE, callsTo, describeCall, isCustomResourceType } from '../normalize/custom-resource';
import { referencedAddress } from '../policy/resource-index';
import { staticString } from '../policy/static-value';

const USER_TYPES = ['AWS::IAM::User', 'aws_iam_user'];

const WHY = 'an access key id and secret never expire and work from anywhere, so the key is a fallback path around any federated access';

/** `IAM createAccessKey` made by a custom resource at deploy time (`AwsCustomResource`). */
function createdByCustomResource(resource: NormalizedResource, context: AnalysisContext): RuleHit[] {
  return callsTo(resource, 'iam', ['createaccesskey'], context).map(({ calls }) => {
    const user = calls.map((c) => c.parameters.UserName);
    const identity = referencedAddress(user, context, USER_TYPES);
    const literal = user.map(staticString).find((u) => u);
    const who = identity ?? (literal ? JSON.stringify(literal) : undefined);
    return {
      message: `${describeCall(resource, calls)}: it creates an IAM access key${who ? ` for user ${who}` : ''} at deploy time, which no AWS::IAM::AccessKey in the template shows; `
        + `${RESPONSE_EXPOSURE}. ${WHY[0].toUpperCase()}${WHY.slice(1)}. Fix: ${KL_AWS_01.fix}`,
      ...(identity ? { identity } : {}),
    };
  });
}

/** KL-AWS-01: an IAM access key (long-lived access key id + secret), as a resource or created by a custom resource. */
export const KL_AWS_01: Rule = {
  id: 'KL-AWS-01',
  severity: 'error',
  category: 'credential',
  title: 'IAM access key',
  fix: 'Delete the access key. Workloads on AWS run as an IAM role; workloads elsewhere assume a role through an OIDC trust (e.g. GitHub Actions) with pinned audience and subject.',
  appliesTo: ['AWS::IAM::AccessKey', 'aws_iam_access_key', ...CUSTOM_RESOURCE_TYPES],
  reads: {},
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    if (isCustomResourceType(resource.type)) return createdByCustomResource(resource, context);
    const p = resource.properties;
    const user = resource.engine === 'cloudformation' ? p.UserName : p.user;
    const identity = referencedAddress(user, context, USER_TYPES);
    const inactive = typeof (p.Status ?? p.status) === 'string' && String(p.Status ?? p.status).toLowerCase() === 'inactive';
    return [{
      message: `IAM access key ${resource.address}${identity ? ` for user ${identity}` : ''}${inactive ? ' (inactive, but one call re-activates it)' : ''}: `
        + `${WHY}. `
        + `Fix: ${KL_AWS_01.fix}`,
      ...(identity ? { identity } : {}),
    }];
  },
};
