import { Rule } from '../model';
import { entraApplicationKey, resolveServicePrincipalIdentity } from '../policy/identity';

/** KL-AZ-03: an Entra certificate credential (application or service principal). */
export const KL_AZ_03: Rule = {
  id: 'KL-AZ-03',
  severity: 'error',
  category: 'credential',
  title: 'Entra certificate credential',
  fix: 'Remove the certificate credential (and its private key) and add a federated identity credential on the application trusting the AWS account\'s issuer and the workload role ARN.',
  appliesTo: ['azuread_application_certificate', 'azuread_service_principal_certificate'],
  reads: {},
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    const identity = resource.type === 'azuread_application_certificate'
      ? entraApplicationKey(resource.properties.application_id ?? resource.properties.application_object_id, context)
      : resolveServicePrincipalIdentity(resource.properties.service_principal_id, context);
    return [{
      message: `${resource.address} adds a certificate credential${identity ? ` to ${identity}` : ''}: whoever holds the private key signs in as the application until the certificate expires, so it is a fallback path around workload identity federation. Fix: ${KL_AZ_03.fix}`,
      ...(identity ? { identity } : {}),
    }];
  },
};
