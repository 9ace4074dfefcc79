/**
 * Two answers to "may this subject be trusted?": core's `subjectProblem` refuses anything unclear when our
 * constructs WRITE a trust; KL-TR-02's detector flags only what provably spans owners in ANY template. They are
 * deliberately different in strictness, so they must never disagree the other way round: a subject pattern our
 * OidcTrustRole accepts must never be a KL-TR-02 finding, or our own construct would fail our own guardrail.
 */
import * as fc from 'fast-check';
import { subjectProblem as constructRefuses, SubjectOperator } from '../../../lib/core/subject';
import { subjectProblem as guardrailFlags } from '../../../lib/guardrails/policy/oidc';

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
