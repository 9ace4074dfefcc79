import { Rule, RuleHit } from '../model';
import { statementLabel } from '../policy/document';
import { audienceCheck, webIdentityStatements } from '../policy/oidc';
import { TRUST_POLICY_TYPES, trustPolicy } from '../policy/sources';
import { describe } from '../policy/values';

/** KL-TR-01: a role trusting an OIDC provider without an audience condition. */
export const KL_TR_01: Rule = {
  id: 'KL-TR-01',
  severity: 'error',
  title: 'OIDC trust without an audience condition',
  fix: 'Add StringEquals {"<provider host>:aud": "<audience>"} to the trust statement (GitHub Actions: "token.actions.githubusercontent.com:aud": "sts.amazonaws.com"), together with a pinned <provider host>:sub.',
  appliesTo: TRUST_POLICY_TYPES,
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    const trust = trustPolicy(resource, context.set);
    if (!trust) return [];
    const hits: RuleHit[] = [];
    for (const { statement, providers } of webIdentityStatements(trust.document, context.set)) {
      if (statement.conditionsUnresolved) continue;
      for (const provider of providers) {
        const check = audienceCheck(statement, provider.host);
        if (check.ok) continue;
        const key = `${provider.host ?? '<provider>'}:aud`;
        const found = check.values.length > 0 ? ` (only the wildcard ${describe(check.values)})` : '';
        hits.push({
          message: `role ${resource.address} ${trust.label} ${statementLabel(statement)} lets the OIDC provider ${provider.host ?? describe(provider.value)} assume it with sts:AssumeRoleWithWebIdentity without a ${key} condition${found}: `
            + 'tokens the provider issues for any other audience (other clouds, other apps) are accepted, so the trust is wider than the workload it was made for. '
            + `Fix: ${KL_TR_01.fix}`,
        });
      }
    }
    return hits;
  },
};
