import { Rule, RuleHit } from '../model';
import { snowflakeUserKey } from '../policy/identity';
import { findSqlCredentials } from '../policy/sql';

const WHAT: Record<string, string> = {
  PASSWORD: 'sets a PASSWORD',
  RSA_PUBLIC_KEY: 'sets RSA_PUBLIC_KEY (a key pair)',
  RSA_PUBLIC_KEY_2: 'sets RSA_PUBLIC_KEY_2 (a key pair)',
  AWS_SECRET_KEY: 'sets AWS_SECRET_KEY (a static AWS access key)',
  AZURE_SAS_TOKEN: 'sets AZURE_SAS_TOKEN (a static shared access signature)',
};

/**
 * KL-SF-06: a credential set through SQL in `snowflake_execute` (PASSWORD, RSA_PUBLIC_KEY[_2],
 * ADD/ROTATE PROGRAMMATIC ACCESS TOKEN), in any case, spacing or with comments. `execute`, `revert` and
 * `query` (which the provider runs on every read) are read. `UNSET ...` and `SET WORKLOAD_IDENTITY` are not
 * findings.
 */
export const KL_SF_06: Rule = {
  id: 'KL-SF-06',
  severity: 'error',
  category: 'credential',
  title: 'credential set through SQL (PASSWORD, RSA_PUBLIC_KEY[_2], ADD PROGRAMMATIC ACCESS TOKEN)',
  fix: 'Remove the clause; set only WORKLOAD_IDENTITY = (TYPE = AWS ARN = \'<role arn>\' ISSUER = \'<account issuer>\') on the user and attach an authentication policy allowing only WORKLOAD_IDENTITY.',
  appliesTo: ['snowflake_execute'],
  reads: { snowflake_execute: ['execute'] },
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    const hits: RuleHit[] = [];
    for (const field of ['execute', 'revert', 'query']) {
      const sql = resource.properties[field];
      if (typeof sql !== 'string') continue;
      const seen = new Set<string>();
      for (const c of findSqlCredentials(sql, context)) {
        const identity = c.user !== undefined ? snowflakeUserKey(c.user, context) : undefined;
        const who = identity;
        const what = c.clause === 'PROGRAMMATIC ACCESS TOKEN' ? `${c.verb === 'ROTATE' ? 'rotates' : 'adds'} a PROGRAMMATIC ACCESS TOKEN` : WHAT[c.clause];
        const key = `${what}|${who}`;
        if (seen.has(key)) continue;
        seen.add(key);
        hits.push({
          message: `${resource.address} ${field} ${what}${who ? ` for ${who}` : ''} through SQL: `
            + 'a credential created in SQL is invisible to resource-level checks, long-lived, and a fallback path around workload identity federation. '
            + `Fix: ${KL_SF_06.fix}`,
          ...(identity ? { identity } : {}),
        });
      }
    }
    return hits;
  },
};
