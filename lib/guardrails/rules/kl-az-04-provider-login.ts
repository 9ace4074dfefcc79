import { Rule } from '../model';
import { origin } from '../policy/origin';

const SECRET_ARGUMENTS: [string, string][] = [
  ['client_secret', 'a client secret'],
  ['client_secret_file_path', 'a client secret file'],
  ['client_certificate', 'a client certificate'],
  ['client_certificate_path', 'a client certificate file'],
  ['client_certificate_password', 'a client certificate password'],
];

/**
 * KL-AZ-04 (warning): the azuread provider logs in with a client secret or certificate.
 * `use_oidc`, `use_msi`, `use_cli` and `use_aks_workload_identity` are fine.
 */
export const KL_AZ_04: Rule = {
  id: 'KL-AZ-04',
  severity: 'warning',
  category: 'credential',
  title: 'provider logs in with a client secret or certificate',
  fix: 'Configure the provider with use_oidc = true (a federated identity credential trusting your CI or AWS role) or use_msi = true, and drop the secret.',
  appliesTo: ['azuread'],
  reads: { azuread: SECRET_ARGUMENTS.map(([argument]) => argument) },
  check(resource, context) {
    if (resource.kind !== 'provider') return [];
    const found: string[] = [];
    for (const [arg, what] of SECRET_ARGUMENTS) {
      const o = origin(resource.properties[arg], resource, context);
      if (o.kind === 'absent') continue;
      found.push(`${arg} (${what}${o.kind === 'parameter' ? ` from ${o.name}` : o.kind === 'literal' ? ', set in the configuration' : ''})`);
    }
    if (found.length === 0) return [];
    return [{
      message: `${resource.address} logs in with ${found.join(', ')}: a deployment credential is long-lived, usually highly privileged, and a fallback path around the federation it deploys. Fix: ${KL_AZ_04.fix}`,
    }];
  },
};
