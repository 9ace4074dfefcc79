import { Rule } from '../model';
import { referencedAddress, staticString } from '../policy/values';

const WHAT: Record<string, string> = {
  aws_iam_service_specific_credential: 'a service-specific credential',
  aws_iam_user_ssh_key: 'an SSH public key',
  aws_iam_signing_certificate: 'a signing certificate',
};

/** KL-AWS-03: other IAM user credentials (service-specific credentials such as Bedrock API keys, SSH keys, signing certificates). */
export const KL_AWS_03: Rule = {
  id: 'KL-AWS-03',
  severity: 'error',
  title: 'other IAM user credentials (service-specific credentials, SSH keys, signing certificates)',
  fix: 'Remove the user credential and call the service with the temporary credentials of an IAM role (Bedrock, CodeCommit and others accept SigV4 from a role).',
  appliesTo: Object.keys(WHAT),
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    const p = resource.properties;
    const identity = referencedAddress(p.user_name ?? p.username, context.set, ['aws_iam_user']);
    const service = staticString(p.service_name);
    return [{
      message: `${resource.address} creates ${WHAT[resource.type]}${service ? ` for ${service}` : ''}${identity ? ` on ${identity}` : ' on an IAM user'}: `
        + 'it is a long-lived user credential that does not expire with a session, so it is a fallback path around role-based, federated access. '
        + `Fix: ${KL_AWS_03.fix}`,
      ...(identity ? { identity } : {}),
    }];
  },
};
