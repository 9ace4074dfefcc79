import { analysisContext } from '../../../lib/guardrails/analysis';
/**
 * Two answers to "may this subject be trusted?": core's `subjectProblem` refuses anything unclear when our
 * constructs WRITE a trust; KL-TR-02's detector flags only what provably spans owners in ANY template. They are
 * deliberately different in strictness, so they must never disagree the other way round: a subject pattern our
 * OidcTrustRole accepts must never be a KL-TR-02 finding, or our own construct would fail our own guardrail.
 */
import * as fc from 'fast-check';
import { gitHubSubjectOwnerProblem, subjectProblem as constructRefuses, SubjectOperator } from '../../../lib/core/subject';
import { readPolicyDocument } from '../../../lib/guardrails/policy/document';
import { subjectCheck, subjectProblem as guardrailFlags } from '../../../lib/guardrails/policy/oidc';
import { doc, setOf } from '../rules/helpers';

const segment = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,12}$/);
const owner = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,10}$/); // GitHub owner names: letters, digits, -
const wild = fc.constantFrom('*', '?', '');
const part = fc.tuple(segment, wild, segment).map(([a, w, b]) => `${a}${w}${b}`);
const subject = fc.oneof(
  fc.tuple(part, part, part, wild).map(([o, r, c, w]) => `repo:${o}/${r}:${c}${w}`),
  fc.tuple(owner, segment, fc.constantFrom('ref:refs/heads/', 'environment:', 'pull_request', 'ref:refs/tags/'), wild, segment)
    .map(([o, r, ctx, w, tail]) => `repo:${o}/${r}:${ctx}${w}${tail}`),
  fc.tuple(part, part, part).map(([g, p, c]) => `project_path:${g}/${p}:ref_type:branch:ref:${c}`),
  fc.tuple(part, part).map(([ns, name]) => `system:serviceaccount:${ns}:${name}`),
  fc.tuple(owner, segment, wild, segment).map(([o, r, w, tail]) => `repo:${o}/${r}:${w}${tail}`),
  fc.tuple(wild, part, fc.constantFrom(':', '/', ''), part).map(([w, a, sep, b]) => `${w}${a}${sep}${b}`),
);

describe('construct-side and guardrail-side subject checks agree', () => {
  test('every subject pattern an OidcTrustRole accepts passes KL-TR-02', () => {
    let accepted = 0;
    fc.assert(fc.property(subject, (s) => {
      if (constructRefuses(s, SubjectOperator.STRING_LIKE) !== undefined) return; // refused at synth: never emitted
      accepted++;
      expect(guardrailFlags(s, true)).toBeUndefined();
    }), { numRuns: 2000 });
    expect(accepted).toBeGreaterThan(500); // the generator reaches accepted subjects, wildcards included
  });

  test('the property is not vacuous: both sides refuse the owner-spanning patterns', () => {
    for (const s of ['*', 'repo:*', 'repo:acme*', 'repo:acme/*', 'repo:ac?me/app:ref:refs/heads/main']) {
      expect(constructRefuses(s, SubjectOperator.STRING_LIKE)).toBeDefined();
      expect(guardrailFlags(s, true)).toBeDefined();
    }
    expect(constructRefuses('repo:acme/app:*', SubjectOperator.STRING_LIKE)).toBeUndefined();
    expect(guardrailFlags('repo:acme/app:*', true)).toBeUndefined();
  });
});

describe('GitHub trusts: what OidcTrustRole accepts for token.actions.githubusercontent.com, KL-TR-02 never flags', () => {
  const GH = 'token.actions.githubusercontent.com';
  const claim = fc.constantFrom('repo', 'repository_owner', 'repository_owner_id', 'repository', 'repository_id', 'workflow', 'environment', 'ref', 'job_workflow_ref', 'context', 'actor');
  const value = fc.tuple(part, fc.constantFrom('', '/', ':'), part).map(([a, sep, b]) => `${a}${sep}${b}`);
  const template = fc.array(fc.tuple(claim, value).map(([k, v]) => `${k}:${v}`), { minLength: 1, maxLength: 4 }).map((pairs) => pairs.join(':'));
  const ghSubject = fc.oneof(subject, template);
  const statementFor = (sub: string, like: boolean) => readPolicyDocument(doc({
    Effect: 'Allow',
    Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${GH}` },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' }, [like ? 'StringLike' : 'StringEquals']: { [`${GH}:sub`]: sub } },
  }), analysisContext(setOf())).statements[0];

  test('subjects the construct accepts with either operator pass the guardrail for the GitHub host', () => {
    let accepted = 0;
    let refusedForOwner = 0;
    fc.assert(fc.property(ghSubject, fc.boolean(), (s, like) => {
      const operator = like ? SubjectOperator.STRING_LIKE : SubjectOperator.STRING_EQUALS;
      if (constructRefuses(s, operator) !== undefined) return;
      if (gitHubSubjectOwnerProblem(s) !== undefined) {
        refusedForOwner++;
        expect(subjectCheck(statementFor(s, like), GH).ok).toBe(false); // both sides refuse it
        return;
      }
      accepted++;
      expect(subjectCheck(statementFor(s, like), GH)).toMatchObject({ ok: true });
      // 4,000 runs: about 64 owner-controlled templates on average (2,000 gave 18-35, and failed the bound below once)
    }), { numRuns: 4000 });
    expect(accepted).toBeGreaterThan(150);
    expect(refusedForOwner).toBeGreaterThan(20); // and it reaches owner-controlled templates
  });
});
