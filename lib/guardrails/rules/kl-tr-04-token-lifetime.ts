import { Rule, RuleHit } from '../model';
import { statementLabel } from '../policy/document';
import { grantPhrase } from '../policy/minting';
import { IDENTITY_POLICY_PROPERTIES, IDENTITY_POLICY_TYPES } from '../policy/sources';
import { tokenGrants } from '../policy/token-grants';

/**
 * KL-TR-04 (warning): token lifetime unbounded (no numeric sts:DurationSeconds condition) or bound
 * above `options.maxTokenLifetimeSeconds`. `NumericLessThanEqualsIfExists` counts as a bound; as
 * callers that omit DurationSeconds get STS's 300 s default, its effective bound is at least 300.
 */
export const KL_TR_04: Rule = {
  id: 'KL-TR-04',
  severity: 'warning',
  category: 'trust',
  title: 'token lifetime unbounded or above the configured maximum',
  fix: 'Add NumericLessThanEquals {"sts:DurationSeconds": <seconds>} (or NumericLessThanEqualsIfExists with a bound of at least 300, so callers relying on the 300 s default still work) at or below the allowed maximum.',
  appliesTo: IDENTITY_POLICY_TYPES,
  reads: IDENTITY_POLICY_PROPERTIES,
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    const max = context.options.maxTokenLifetimeSeconds;
    const hits: RuleHit[] = [];
    for (const { label, minting: m } of tokenGrants(resource, context)) {
      const at = `${resource.address} ${label} ${statementLabel(m.statement)} ${grantPhrase(m.grant)}`;
      if (m.lifetime.kind === 'unbounded') {
        hits.push({ message: `${at} with no sts:DurationSeconds bound: callers can mint tokens valid for up to 3600 s (STS's maximum), and a leaked token stays usable that long. Fix: ${KL_TR_04.fix}` });
      } else if (m.lifetime.kind === 'bounded' && m.lifetime.maxSeconds > max) {
        const slip = m.lifetime.defaultSlipsThrough ? ' (with IfExists, a caller omitting DurationSeconds gets the 300 s default)' : '';
        hits.push({ message: `${at} allows tokens of up to ${m.lifetime.maxSeconds} s via ${m.lifetime.operator}${slip}, above the configured maximum of ${max} s: a leaked token stays usable longer than policy allows. Fix: ${KL_TR_04.fix}` });
      }
    }
    return hits;
  },
};
