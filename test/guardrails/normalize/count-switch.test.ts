/**
 * `count` switches as modules write them (terraform-aws-modules' `var.create && var.create_access_key ? 1 : 0`,
 * `local.create_policy ? 1 : 0`), read statically: a number when every name they read is known, else undefined. The
 * same switches choose what a dynamic block's `for_each` iterates over (`var.enable_github_oidc ? [1] : []`).
 */
import * as fc from 'fast-check';
import { readCountSwitch, readSwitchValue, SwitchScope } from '../../../lib/guardrails/normalize/count-switch';

function scope(variables: Record<string, unknown>, locals: Record<string, unknown> = {}): SwitchScope {
  return {
    variable: (name) => (Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : undefined),
    local: (name) => (Object.prototype.hasOwnProperty.call(locals, name) ? locals[name] : undefined),
  };
}

describe('readCountSwitch', () => {
  const bound = scope(
    { create: true, create_access_key: false, users: ['a', 'b'], policies: {}, name: 'svc', none: null, arn: '${aws_iam_role.r.arn}', n: 3 },
    { create_policy: '${var.create && length(var.users) > 0}', off: false, loop: '${local.loop}', chained: '${local.create_policy}' },
  );

  test.each([
    ['${var.create ? 1 : 0}', 1],
    ['${var.create && var.create_access_key ? 1 : 0}', 0],
    ['${var.create || var.create_access_key ? 1 : 0}', 1],
    ['${!var.create_access_key ? 2 : 0}', 2],
    ['${local.create_policy ? 1 : 0}', 1],
    ['${local.chained ? 1 : 0}', 1],
    ['${local.off ? 1 : 0}', 0],
    ['${length(var.policies) > 0 ? 1 : 0}', 0],
    ['${length(var.users)}', 2],
    ['${var.name != null ? 1 : 0}', 1],
    ['${var.none == null ? 1 : 0}', 1],
    ['${var.name == "svc" ? 1 : 0}', 1],
    ['${(var.create && !var.create_access_key) ? 1 : 0}', 1],
    ['${var.n}', 3],
    ['${var.n >= 3 ? 1 : 0}', 1],
    ['${var.create == true == true ? 1 : 0}', 1], // left to right
    ['${var.create && var.n > 2 == true ? 1 : 0}', 1], // comparisons bind tighter than &&
    ['${var.create ? (var.create_access_key ? 2 : 1) : 0}', 1],
    // false && X, true || X: whatever X is
    ['${var.create_access_key && var.unbound ? 1 : 0}', 0],
    ['${var.create || var.unbound ? 1 : 0}', 1],
    // the branch not taken may be anything
    ['${var.create ? 1 : var.unbound}', 1],
    [2, 2],
    ['0', 0],
  ])('%s is %s', (count, expected) => {
    expect(readCountSwitch(count, bound)).toBe(expected);
  });

  test.each([
    '${var.unbound ? 1 : 0}',
    '${var.create && var.unbound ? 1 : 0}',
    '${var.arn != null ? 1 : 0}', // known only at apply
    '${local.loop ? 1 : 0}', // a local that refers to itself
    '${local.missing ? 1 : 0}',
    '${var.users ? 1 : 0}', // not a bool
    '${var.create ? 1 : 0} and text',
    '${var.create ? 1 + 1 : 0}', // arithmetic is not read
    '${var.settings.enabled ? 1 : 0}', // attributes are not read
    '${contains(var.users, "a") ? 1 : 0}', // other functions are not read
    '${var.name == "a${var.x}" ? 1 : 0}',
    '${var.create ? -1 : 0}',
    '${var.create ?',
    'one',
    -1,
    1.5,
    true,
  ])('%s is not known', (count) => {
    expect(readCountSwitch(count, bound)).toBeUndefined();
  });

  // A formula of bound and unbound booleans: the reader's answer is the formula's value when it is determined (the
  // same for every value of the unbound ones), and undefined otherwise; it is never a value the formula cannot have.
  type Formula = { text: string; value: (unbound: Record<string, boolean>) => boolean };
  const names = ['a', 'b', 'c', 'u', 'w'];
  const boundValues: Record<string, boolean> = { a: true, b: false, c: true };
  const formula: fc.Arbitrary<Formula> = fc.letrec<{ f: Formula }>((tie) => ({
    f: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...names).map((n): Formula => ({ text: `var.${n}`, value: (u) => (n in boundValues ? boundValues[n] : u[n]) })),
      fc.constantFrom(true, false).map((b): Formula => ({ text: String(b), value: () => b })),
      tie('f').map((x): Formula => ({ text: `!${x.text}`, value: (u) => !x.value(u) })),
      fc.tuple(tie('f'), tie('f')).map(([x, y]): Formula => ({ text: `(${x.text} && ${y.text})`, value: (u) => x.value(u) && y.value(u) })),
      fc.tuple(tie('f'), tie('f')).map(([x, y]): Formula => ({ text: `(${x.text} || ${y.text})`, value: (u) => x.value(u) || y.value(u) })),
      fc.tuple(tie('f'), tie('f')).map(([x, y]): Formula => ({ text: `(${x.text} == ${y.text})`, value: (u) => x.value(u) === y.value(u) })),
    ),
  })).f;

  test('property: a switch over bound and unbound booleans is read as its value exactly when that value is determined', () => {
    const assignments = [false, true].flatMap((u) => [false, true].map((w) => ({ u, w })));
    const variables = scope(boundValues);
    fc.assert(fc.property(formula, (f) => {
      const outcomes = new Set(assignments.map((u) => f.value(u)));
      const read = readCountSwitch(`\${${f.text} ? 1 : 0}`, variables);
      if (read !== undefined) {
        // never wrong: the formula has that value whatever the unbound variables are
        expect(outcomes).toEqual(new Set([read === 1]));
      } else {
        // undefined only when an unbound variable is read and no short cut decides it
        expect(f.text).toMatch(/var\.[uw]/);
      }
    }), { numRuns: 2000 });
  });

  test('property: with every variable bound, the value is the formula\'s', () => {
    const all = scope({ a: true, b: false, c: true, u: false, w: true });
    fc.assert(fc.property(formula, (f) => {
      expect(readCountSwitch(`\${${f.text} ? 1 : 0}`, all)).toBe(f.value({ u: false, w: true }) ? 1 : 0);
    }), { numRuns: 2000 });
  });
});

describe('readSwitchValue (a dynamic block\'s for_each)', () => {
  const bound = scope(
    { enable: true, off: false, subjects: ['repo:acme/infra:ref:refs/heads/main'], none: [], conditions: [{ test: 'StringEquals' }], arn: '${aws_iam_role.r.arn}' },
    { providers: ['oidc.eks.eu-west-1.amazonaws.com/id/AAAA'], refs: { main: 'repo:acme/infra:ref:refs/heads/main' }, urls: '${[for u in var.urls : u]}' },
  );

  test.each([
    ['${var.enable ? [1] : []}', [1]],
    ['${var.off ? [1] : []}', []],
    ['${length(var.subjects) > 0 ? [1] : []}', [1]],
    ['${length(var.none) > 0 ? [1] : []}', []],
    ['${var.enable ? local.providers : []}', ['oidc.eks.eu-west-1.amazonaws.com/id/AAAA']],
    ['${var.enable ? local.refs : {}}', { main: 'repo:acme/infra:ref:refs/heads/main' }],
    ['${var.off ? local.refs : {}}', {}],
    ['${var.enable ? ["a", "b",] : []}', ['a', 'b']], // a trailing comma, as HCL allows
    ['${var.off ? local.urls : []}', []], // the branch not taken may be anything
    ['${var.conditions}', [{ test: 'StringEquals' }]],
    [['already', 'read'], ['already', 'read']],
  ])('%s is %j', (forEach, expected) => {
    expect(readSwitchValue(forEach, bound)).toEqual(expected);
  });

  test.each([
    '${var.enable ? local.urls : []}', // a for expression
    '${var.unbound ? [1] : []}',
    '${var.enable ? [var.arn] : []}', // an element known only at apply
    '${var.enable ? { main = "x" } : {}}', // object literals other than {} are not read
    '${var.enable ? [1 : []}',
    '${toset(var.subjects)}',
    'text ${var.enable}',
  ])('%s is not known', (forEach) => {
    expect(readSwitchValue(forEach, bound)).toBeUndefined();
  });

  test('property: a list literal of bound booleans behind a bound switch is read element for element', () => {
    fc.assert(fc.property(fc.boolean(), fc.array(fc.boolean(), { maxLength: 6 }), (on, elements) => {
      const text = `\${var.enable == ${on} ? [${elements.join(', ')}] : []}`;
      expect(readSwitchValue(text, bound)).toEqual(on ? elements : []);
    }));
  });
});
