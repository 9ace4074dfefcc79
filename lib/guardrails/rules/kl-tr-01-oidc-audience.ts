import { Rule, RuleHit } from '../model';
import { statementLabel } from '../policy/document';
import { audienceCheck, oidcTrustEntries } from '../policy/oidc';
import { TRUST_POLICY_TYPES } from '../policy/sources';
import { describe } from '../policy/values';

/** KL-TR-01: a role trusting an OIDC provider without an audience condition. */
export const KL_TR_01: Rule = {
  id: 'KL-TR-01',
  severity: 'error',
  title: 'OIDC trust without an audience condition',
  fix: 'Add StringEquals {"<provider host>:aud": "<audience>"} to the trust statement (GitHub Actions: "token.actions.githubusercontent.com:aud": "sts.amazonaws.com"), together with a pinned <provider host>:sub.',
  appliesTo: TRUST_POLICY_TYPES,
  check(resource, context) {
    return oidcTrustEntries(resource, context.set).flatMap(({ trust, statement, provider }): RuleHit[] => {
      if (statement.conditionsUnresolved) return [];
      const check = audienceCheck(statement, provider.host);
      if (check.ok) return [];
      const key = `${provider.host ?? '<provider>'}:aud`;
      const found = check.values.length > 0 ? ` (only the wildcard ${describe(check.values)})` : '';
      return [{
        message: `role ${resource.address} ${trust.label} ${statementLabel(statement)} lets the OIDC provider ${provider.host ?? describe(provider.value)} assume it with sts:AssumeRoleWithWebIdentity without a ${key} condition${found}: `
          + 'tokens the provider issues for any other audience (other clouds, other apps) are accepted, so the trust is wider than the workload it was made for. '
          + `Fix: ${KL_TR_01.fix}`,
      }];
    });
  },
};
