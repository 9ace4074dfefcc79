import { Rule, RuleHit } from '../model';
import { statementLabel } from '../policy/document';
import { oidcTrustEntries, subjectCheck, subjectProblem } from '../policy/oidc';
import { TRUST_POLICY_PROPERTIES, TRUST_POLICY_TYPES } from '../policy/sources';
import { shortValue } from '../policy/messages';
import { isUnresolved } from '../policy/static-value';

/** KL-TR-02: a role trusting an OIDC provider without a subject condition, or with a subject wildcard that spans owners/repositories. */
export const KL_TR_02: Rule = {
  id: 'KL-TR-02',
  severity: 'error',
  category: 'trust',
  title: 'OIDC trust without a subject condition, or a subject wildcard that spans owners/repos',
  fix: 'Pin the subject to one workload: StringEquals {"<provider host>:sub": "repo:<owner>/<repo>:ref:refs/heads/main"} (or "repo:<owner>/<repo>:environment:<env>"; StringLike only with a literal owner and repository, e.g. "repo:<owner>/<repo>:*"). Repositories created or renamed after 2026-07-15 use "repo:<owner>@<id>/<repo>@<id>:...".',
  appliesTo: TRUST_POLICY_TYPES,
  reads: TRUST_POLICY_PROPERTIES,
  check(resource, context) {
    return oidcTrustEntries(resource, context).flatMap(({ trust, statement, provider }): RuleHit[] => {
      if (statement.conditionsUnresolved) return [];
      const check = subjectCheck(statement, provider, context);
      const key = `${provider.host ?? '<provider>'}:sub`;
      if (check.ok) {
        // A value known only at plan or deploy time passes the check without being read: say so.
        const unread = check.values.filter(isUnresolved);
        if (unread.length > 0) {
          context.note(`${resource.file}: ${resource.address} (${resource.type}): ${trust.label} ${statementLabel(statement)} compares ${key} with `
            + `${shortValue(unread.length === 1 ? unread[0] : unread)}, known only at plan or deploy time; KL-TR-02 could not check that it pins one workload`);
        }
        return [];
      }
      const where = `role ${resource.address} ${trust.label} ${statementLabel(statement)} (OIDC provider ${provider.host ?? shortValue(provider.value)})`;
      if (check.unreadOperator.length > 0) {
        const c = check.unreadOperator[0];
        const values = c.values.length === 1 ? shortValue(c.values[0]) : shortValue(c.values);
        const asLike = c.values.map((v) => subjectProblem(v, true)).filter((p): p is string => p !== undefined);
        return [{
          severity: 'warning',
          message: `${where} compares ${key} with the values ${values} under the operator ${JSON.stringify(c.operator)}, which is only known at plan or deploy time: `
            + 'whether the subject is pinned to one workload could not be checked'
            + (asLike.length > 0 ? ` (as StringLike it would not be: ${asLike.join('; ')})` : ' (StringEquals or StringLike would pin it; a StringNotEquals would not)')
            + `. Fix: write the operator literally. ${KL_TR_02.fix}`,
        }];
      }
      let message: string;
      if (check.problems.length > 0) {
        message = `${where} does not pin ${key} to one workload: ${check.problems.join('; ')}.`;
      } else if (check.vacuous.length > 0) {
        const op = check.vacuous[0].operator;
        message = `${where} has no condition that requires ${key}: ${op} on the single-valued sub claim is also true for a token with no sub at all, so it counts as no condition, `
          + 'and a token the provider signs without that claim is accepted from any workload. Use StringEquals (or StringLike) instead.';
      } else {
        message = `${where} has no ${key} condition: every workload the provider issues tokens for (for GitHub: any repository of any owner) can assume the role.`;
      }
      return [{ message: `${message} Fix: ${KL_TR_02.fix}` }];
    });
  },
};
