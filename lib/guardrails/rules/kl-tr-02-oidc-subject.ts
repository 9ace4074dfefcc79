import { Rule, RuleHit } from '../model';
import { statementLabel } from '../policy/document';
import { oidcTrustEntries, subjectCheck } from '../policy/oidc';
import { TRUST_POLICY_TYPES } from '../policy/sources';
import { describe } from '../policy/values';

/** KL-TR-02: a role trusting an OIDC provider without a subject condition, or with a subject wildcard that spans owners/repositories. */
export const KL_TR_02: Rule = {
  id: 'KL-TR-02',
  severity: 'error',
  title: 'OIDC trust without a subject condition, or a subject wildcard that spans owners/repos',
  fix: 'Pin the subject to one workload: StringEquals {"<provider host>:sub": "repo:<owner>/<repo>:ref:refs/heads/main"} (or "repo:<owner>/<repo>:environment:<env>"; StringLike only with a literal owner and repository, e.g. "repo:<owner>/<repo>:*"). Repositories created or renamed after 2026-07-15 use "repo:<owner>@<id>/<repo>@<id>:...".',
  appliesTo: TRUST_POLICY_TYPES,
  check(resource, context) {
    return oidcTrustEntries(resource, context.set).flatMap(({ trust, statement, provider }): RuleHit[] => {
      if (statement.conditionsUnresolved) return [];
      const check = subjectCheck(statement, provider.host);
      if (check.ok) return [];
      const key = `${provider.host ?? '<provider>'}:sub`;
      const where = `role ${resource.address} ${trust.label} ${statementLabel(statement)} (OIDC provider ${provider.host ?? describe(provider.value)})`;
      const message = check.problems.length === 0
        ? `${where} has no ${key} condition: every workload the provider issues tokens for (for GitHub: any repository of any owner) can assume the role.`
        : `${where} does not pin ${key} to one workload: ${check.problems.join('; ')}.`;
      return [{ message: `${message} Fix: ${KL_TR_02.fix}` }];
    });
  },
};
