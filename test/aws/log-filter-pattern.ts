/**
 * CloudWatch Logs JSON filter patterns for the alarm tests, limited to the subset the alarms emit:
 * `{ <expr> }` where an expression is `($.field = "value")`, `($.field != "value")`, or parenthesized
 * expressions joined by `&&` or `||` (never both at one level without parentheses). Parses strictly and throws
 * on anything else, then evaluates the pattern against a CloudTrail record.
 */
type Node =
  | { kind: 'compare'; field: string; negated: boolean; value: string }
  | { kind: 'and' | 'or'; items: Node[] };

export function parseFilterPattern(pattern: string): Node {
  let i = 0;
  const skip = () => { while (pattern[i] === ' ') i++; };
  const expect = (text: string) => {
    skip();
    if (!pattern.startsWith(text, i)) throw new Error(`expected ${JSON.stringify(text)} at ${i} in ${pattern}`);
    i += text.length;
  };
  const group = (): Node => {
    expect('(');
    skip();
    let node: Node;
    if (pattern.startsWith('$.', i)) {
      i += 2;
      const field = /^[A-Za-z][A-Za-z0-9_.]*/.exec(pattern.slice(i));
      if (!field) throw new Error(`expected a field at ${i}`);
      i += field[0].length;
      skip();
      const negated = pattern.startsWith('!=', i);
      expect(negated ? '!=' : '=');
      skip();
      const value = /^"([^"\\]*)"/.exec(pattern.slice(i));
      if (!value) throw new Error(`expected a quoted value at ${i}`);
      i += value[0].length;
      node = { kind: 'compare', field: field[0], negated, value: value[1] };
    } else {
      node = sequence();
    }
    expect(')');
    return node;
  };
  const sequence = (): Node => {
    const items = [group()];
    let op: 'and' | 'or' | undefined;
    for (;;) {
      skip();
      const next = pattern.startsWith('&&', i) ? 'and' : pattern.startsWith('||', i) ? 'or' : undefined;
      if (next === undefined) break;
      if (op !== undefined && op !== next) throw new Error(`&& and || mixed without parentheses at ${i}`);
      op = next;
      i += 2;
      items.push(group());
    }
    return items.length === 1 ? items[0] : { kind: op!, items };
  };
  expect('{');
  const root = sequence();
  expect('}');
  skip();
  if (i !== pattern.length) throw new Error(`trailing text at ${i} in ${pattern}`);
  return root;
}

function evaluate(node: Node, record: any): boolean {
  if (node.kind === 'compare') {
    const actual = node.field.split('.').reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), record);
    // a field that is absent does not match "=" and does match "!=" only when present with another value
    if (actual === undefined) return false;
    return node.negated ? actual !== node.value : actual === node.value;
  }
  return node.kind === 'and' ? node.items.every((n) => evaluate(n, record)) : node.items.some((n) => evaluate(n, record));
}

/** Whether the CloudTrail record matches the pattern. */
export function filterMatches(pattern: string, record: any): boolean {
  return evaluate(parseFilterPattern(pattern), record);
}
