/**
 * The CEL splitting the pool-provider reading (KL-GCP-03, the federation graph's GCP trusts) relies on: separators,
 * parentheses and brackets inside a quoted string (with escaped quotes) do not count.
 */
import { splitTopLevel, stripParens } from '../../../lib/guardrails/policy/gcp';

describe('splitTopLevel', () => {
  test('splits at the separator outside parentheses, brackets and braces', () => {
    expect(splitTopLevel('a == "x" || (b || c) || d in ["p", "q"]', '||')).toEqual(['a == "x" ', ' (b || c) ', ' d in ["p", "q"]']);
    expect(splitTopLevel('"p", "q", \'r\'', ',')).toEqual(['"p"', ' "q"', ' \'r\'']);
  });

  test('a separator, bracket or parenthesis inside a quoted string is text, escaped quotes included', () => {
    expect(splitTopLevel('x == "a || (b" || y == \'c\\\' || d\'', '||')).toEqual(['x == "a || (b" ', ' y == \'c\\\' || d\'']);
    expect(splitTopLevel('assertion.arn == "arn:aws:sts::111122223333:assumed-role/etl/\\"x"', '||'))
      .toEqual(['assertion.arn == "arn:aws:sts::111122223333:assumed-role/etl/\\"x"']);
  });

  test('no separator: the whole text; the separator at the ends gives empty parts', () => {
    expect(splitTopLevel('a && b', '||')).toEqual(['a && b']);
    expect(splitTopLevel('&&a&&', '&&')).toEqual(['', 'a', '']);
  });
});

describe('stripParens', () => {
  test('removes only parentheses that wrap the whole expression, however many', () => {
    expect(stripParens(' ((a || b)) ')).toBe('a || b');
    expect(stripParens('(a) || (b)')).toBe('(a) || (b)');
    expect(stripParens('(a == ")(")')).toBe('a == ")("');
    expect(stripParens('(a == "(" ) || (b)')).toBe('(a == "(" ) || (b)');
  });
});
