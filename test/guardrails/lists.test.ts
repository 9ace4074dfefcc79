import { appendTo } from '../../lib/guardrails/lists';

describe('appendTo', () => {
  test('creates the list on first use and grows that same list in place, in order', () => {
    const map = new Map<string, number[]>();
    appendTo(map, 'a', 1);
    const first = map.get('a');
    appendTo(map, 'a', 2, 3);
    appendTo(map, 'b');
    expect(map.get('a')).toBe(first);
    expect([...map]).toEqual([['a', [1, 2, 3]], ['b', []]]);
  });
});
