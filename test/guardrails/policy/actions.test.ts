import * as fc from 'fast-check';
import { actionMatches } from '../../../lib/guardrails/policy/actions';
/** actionMatches as it was before its fast paths: the pattern compiled to a case-insensitive expression. */
const slow = (pattern: string, action: string): boolean => new RegExp(`^${pattern.trim().split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('')}$`, 'i').test(action);
test('the fast paths (`*`, a literal action) answer exactly as the compiled pattern does, case folding and line breaks included', () => {
  const chars = fc.constantFrom('s', 'T', 's', ':', '*', '?', ' ', '\t', '\n', 'K', '\u212a', 'k', 'g', 'G', 'e', '.', 'ı', 'I');
  const str = fc.array(chars, { maxLength: 8 }).map((a) => a.join(''));
  fc.assert(fc.property(str, str, (p, a) => actionMatches(p, a) === slow(p, a)), { numRuns: 20000 });
  for (const [p, a] of [['*', 'sts:GetWebIdentityToken'], ['sts:getwebidentitytoken', 'sts:GetWebIdentityToken'], [' STS:GetWebIdentityToken ', 'sts:GetWebIdentityToken'], ['*', 'a\nb'], ['k', '\u212a']]) {
    expect([p, a, actionMatches(p, a)]).toEqual([p, a, slow(p, a)]);
  }
});
