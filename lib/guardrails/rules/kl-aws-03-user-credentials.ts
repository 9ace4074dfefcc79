import type { AnalysisContext } from '../analysis';
import { NormalizedResource, Rule, RuleHit } from '../model';
import { CUSTOM_RESOURCE_TYPES, RESPONSE_EXPOSURE, callsTo, describeCall, isCustomResourceType } from '../normalize/custom-resource';
import { referencedAddress } from '../policy/resource-index';
import { staticString } from '../policy/static-value';

const WHAT: Record<string, string> = {
  aws_iam_service_specific_credential: 'a service-specific credential',
  aws_iam_user_ssh_key: 'an SSH public key',
  aws_iam_signing_certificate: 'a signing certificate',
};

/** IAM API actions (as `actionKey`s) that create the same credentials; the secret travels in the response or the request. */
const CALLS: Record<string, { readonly what: string; readonly exposure?: string }> = {
  createservicespecificcredential: { what: 'a service-specific credential', exposure: RESPONSE_EXPOSURE },
  resetservicespecificcredential: { what: 'a new password for a service-specific credential', exposure: RESPONSE_EXPOSURE },
  uploadsshpublickey: { what: 'an SSH public key' },
  uploadsigningcertificate: { what: 'a signing certificate' },
};

const WHY = 'it is a long-lived user credential that does not expire with a session, so it is a fallback path around role-based, federated access';

/** The same credentials created by a custom resource's IAM call at deploy time. */
function createdByCustomResource(resource: NormalizedResource, context: AnalysisContext): RuleHit[] {
  return callsTo(resource, 'iam', Object.keys(CALLS), context).map(({ call, calls }) => {
    const { what, exposure } = CALLS[call.actionKey];
    const user = calls.map((c) => c.parameters.UserName);
    const identity = referencedAddress(user, context, ['AWS::IAM::User']);
    const literal = user.map(staticString).find((u) => u);
    const who = identity ?? (literal ? JSON.stringify(literal) : undefined);
    const service = calls.map((c) => staticString(c.parameters.ServiceName)).find((s) => s);
    return {
      message: `${describeCall(resource, calls)}: it creates ${what}${service ? ` for ${service}` : ''} on ${who ? `IAM user ${who}` : 'an IAM user'} at deploy time, `
        + `which no resource in the template shows${exposure ? `; ${exposure}` : ''}: ${WHY}. Fix: ${KL_AWS_03.fix}`,
      ...(identity ? { identity } : {}),
    };
  });
}

/** KL-AWS-03: other IAM user credentials (service-specific credentials such as Bedrock API keys, SSH keys, signing certificates). */
export const KL_AWS_03: Rule = {
  id: 'KL-AWS-03',
  severity: 'error',
  category: 'credential',
  title: 'other IAM user credentials (service-specific credentials, SSH keys, signing certificates)',
  fix: 'Remove the user credential and call the service with the temporary credentials of an IAM role (Bedrock, CodeCommit and others accept SigV4 from a role).',
  appliesTo: [...Object.keys(WHAT), ...CUSTOM_RESOURCE_TYPES],
  reads: {},
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    if (isCustomResourceType(resource.type)) return createdByCustomResource(resource, context);
    const p = resource.properties;
    const identity = referencedAddress(p.user_name ?? p.username, context, ['aws_iam_user']);
    const service = staticString(p.service_name);
    return [{
      message: `${resource.address} creates ${WHAT[resource.type]}${service ? ` for ${service}` : ''}${identity ? ` on ${identity}` : ' on an IAM user'}: `
        + `${WHY}. `
        + `Fix: ${KL_AWS_03.fix}`,
      ...(identity ? { identity } : {}),
    }];
  },
};
