import { Rule } from '../model';
import { resolveServicePrincipalIdentity } from '../policy/identity';

/** KL-AZ-02: an Entra service principal password. */
export const KL_AZ_02: Rule = {
  id: 'KL-AZ-02',
  severity: 'error',
  category: 'credential',
  title: 'Entra service principal password',
  fix: 'Delete the service principal password and add a federated identity credential on the application (issuer = the AWS account\'s issuer, subject = the workload role ARN, audience api://AzureADTokenExchange).',
  appliesTo: ['azuread_service_principal_password'],
  reads: {},
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    const identity = resolveServicePrincipalIdentity(resource.properties.service_principal_id, context);
    return [{
      message: `${resource.address} creates a service principal password${identity ? ` for ${identity}` : ''}: it is a long-lived secret that signs in as the application from anywhere, so it is a fallback path around workload identity federation. Fix: ${KL_AZ_02.fix}`,
      ...(identity ? { identity } : {}),
    }];
  },
};
