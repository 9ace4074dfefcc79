import { Rule } from '../model';
import { entraApplicationKey } from '../policy/identity';
import { blocks } from '../policy/json';

/** KL-AZ-01: an Entra application password (client secret). */
export const KL_AZ_01: Rule = {
  id: 'KL-AZ-01',
  severity: 'error',
  category: 'credential',
  title: 'Entra application password',
  fix: 'Delete the client secret and add an azuread_application_federated_identity_credential trusting the AWS account\'s issuer with the workload role ARN as subject and audience api://AzureADTokenExchange; the workload exchanges its STS token for an Entra token.',
  appliesTo: ['azuread_application_password', 'azuread_application'],
  reads: { azuread_application: ['password'] },
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    if (resource.type === 'azuread_application') {
      const passwords = blocks(resource.properties.password);
      if (passwords.length === 0) return [];
      return [{
        message: `${resource.address} has a password block (client secret): a client secret is a long-lived credential that works from anywhere until it expires, so it is a fallback path around workload identity federation. Fix: ${KL_AZ_01.fix}`,
        identity: resource.address,
      }];
    }
    const app = entraApplicationKey(resource.properties.application_id ?? resource.properties.application_object_id, context);
    return [{
      message: `${resource.address} creates a client secret${app ? ` for ${app}` : ''}: a client secret is a long-lived credential that works from anywhere until it expires, so it is a fallback path around workload identity federation. Fix: ${KL_AZ_01.fix}`,
      ...(app ? { identity: app } : {}),
    }];
  },
};
