/**
 * `literalText` and `interpolations` scan Terraform strings for `${...}`: a brace inside a quoted string of an
 * interpolation (`${format("%s}", x)}`, `${jsonencode({a = "}"})}`) must not end it, or the rest of the expression is
 * taken for literal text (a credential rule would read `", var.x)}` as the value written).
 */
import fc from 'fast-check';
import { interpolations, literalText } from '../../../lib/guardrails/policy/interpolation';

describe('literalText', () => {
  test.each([
    ['${format("%s}", var.x)}-suffix', '\u0000-suffix'],
    ['pre ${jsonencode({a = "}"})} post', 'pre \u0000 post'],
    ['${"\\"}"} and ${var.y}', '\u0000 and \u0000'],
    ['$${not.this} ${lower("{")}', '${not.this} \u0000'],
    ['plain {braces} "quoted"', 'plain {braces} "quoted"'],
  ])('%j has the literal text %j', (value, literal) => {
    expect(literalText(value)).toBe(literal);
  });

  test('the placeholder function sees each whole interpolation', () => {
    expect(literalText('a${format("}", x)}b', (e) => `<${String(e)}>`)).toBe('a<${format("}", x)}>b');
  });
});

/** A quoted HCL string inside an expression: any braces, escaped quotes and backslashes, `${` too. */
const quoted = fc.array(fc.constantFrom('a', '{', '}', ' ', '\\"', '\\\\', '$', '${', ':'), { maxLength: 6 }).map((parts) => `"${parts.join('')}"`);
/** Expression atoms; object and tuple constructors keep braces balanced outside quotes. */
const atom = fc.oneof(
  fc.constantFrom('var.x', 'local.m["k"]', 'aws_iam_role.r.arn', '1', 'true'),
  quoted,
  quoted.map((q) => `{ k = ${q} }`),
  quoted.map((q) => `format(${q}, var.x)`),
  fc.tuple(quoted, quoted).map(([a, b]) => `[${a}, { n = { m = ${b} } }]`),
);
const expression = fc.array(atom, { minLength: 1, maxLength: 4 }).map((atoms) => atoms.join(', '));
/** Literal text outside interpolations: anything but `$` (which could start one); braces and quotes are literal here. */
const text = fc.array(fc.constantFrom('a', ' ', '{', '}', '"', ':', '\\', '-'), { maxLength: 6 }).map((c) => c.join(''));

type Segment = { kind: 'text'; text: string } | { kind: 'escape' } | { kind: 'interpolation'; expression: string };
const segment: fc.Arbitrary<Segment> = fc.oneof(
  text.map((t): Segment => ({ kind: 'text', text: t })),
  fc.constant<Segment>({ kind: 'escape' }),
  expression.map((e): Segment => ({ kind: 'interpolation', expression: e })),
);

describe('literalText and interpolations over generated strings', () => {
  test('every interpolation is found whole, whatever its quoted strings hold; the text around it is kept exactly', () => {
    fc.assert(fc.property(fc.array(segment, { maxLength: 6 }), (segments) => {
      const value = segments.map((s) => (s.kind === 'text' ? s.text : s.kind === 'escape' ? '$${' : `\${${s.expression}}`)).join('');
      const literal = segments.map((s) => (s.kind === 'text' ? s.text : s.kind === 'escape' ? '${' : '\u0000')).join('');
      const expressions = segments.filter((s): s is Extract<Segment, { kind: 'interpolation' }> => s.kind === 'interpolation').map((s) => s.expression);
      expect(literalText(value)).toBe(literal);
      expect(interpolations(value)).toEqual(expressions);
      const seen: unknown[] = [];
      literalText(value, (e) => {
        seen.push(e);
        return '';
      });
      expect(seen).toEqual(expressions.map((e) => `\${${e}}`));
    }), { numRuns: 500 });
  });
});
