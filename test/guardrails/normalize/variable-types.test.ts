import * as fc from 'fast-check';
import { convertToType, parseTypeConstraint, TypeConstraint, UNREADABLE_DEFAULT } from '../../../lib/guardrails/normalize/variable-types';

/** The shape of a type as a short string, to compare what was read. */
function shape(type: TypeConstraint | undefined): string {
  if (type === undefined) return 'unread';
  switch (type.kind) {
    case 'primitive': return 'p';
    case 'collection': return `c(${shape(type.element)})`;
    case 'tuple': return `t[${type.elements.map(shape).join(',')}]`;
    case 'object': return `o{${[...type.attributes].map(([k, a]) => `${k}${a.optional ? '?' : ''}:${shape(a.type)}${'default' in a ? `=${a.default === UNREADABLE_DEFAULT ? '!' : JSON.stringify(a.default)}` : ''}`).join(',')}}`;
  }
}

describe('parseTypeConstraint', () => {
  test.each([
    ['${bool}', 'p'],
    ['string', 'p'],
    ['${list(string)}', 'c(p)'],
    ['map(any)', 'c(p)'],
    ['set( number )', 'c(p)'],
    // as hcl2json gives it: the source text, comments and newlines included
    ['${map(object({\n    create = optional(bool) # falls back\n    name   = optional(string, "svc") // a comment\n    /* block */ tags = map(string)\n  }))}', 'c(o{create?:p,name?:p="svc",tags:c(p)})'],
    ['object({ a = string, b = optional(list(string), []), c = optional(object({ d = optional(bool, true) }), {}) })', 'o{a:p,b?:c(p)=[],c?:o{d?:p=true}={}}'],
    ['object({ "quoted-name" = optional(number, 3) })', 'o{quoted-name?:p=3}'],
    ['object({ a : string })', 'o{a:p}'],
    ['tuple([string, object({ x = optional(bool) })])', 't[p,o{x?:p}]'],
    ['object({ a = optional(map(string), { k = "v)" }) })', 'o{a?:c(p)={"k":"v)"}}'],
    // Terraform allows only constants as defaults: a reference or an expression is not read
    ['object({ a = optional(string, var.default_name) })', 'o{a?:p=!}'],
    ['object({ a = optional(string, "$${literal}") })', 'o{a?:p="$${literal}"}'],
    ['object({ a = optional(string, 1 +) })', 'o{a?:p=!}'],
  ])('%j reads as %s', (written, expected) => {
    expect(shape(parseTypeConstraint(written))).toBe(expected);
  });

  test.each([
    [undefined], [42], [''], ['strin'], ['list(string'], ['object({ a = })'], ['map(string) extra'], ['object({ a = string /* open'],
    ['mystery(string)'],
  ])('%j is not a type it reads', (written) => {
    expect(parseTypeConstraint(written)).toBeUndefined();
  });
});

describe('convertToType', () => {
  const groups = parseTypeConstraint('map(object({ create = optional(bool), path = optional(string, "/nodes/"), access = optional(object({ key = optional(bool, false) }), { key = true }), name = string }))')!;

  test('absent optional attributes become their default (itself converted) or null; present ones are kept', () => {
    expect(convertToType({ a: { name: 'a' }, b: { name: 'b', create: false, path: '/b/', access: {} } }, groups)).toEqual({
      a: { name: 'a', create: null, path: '/nodes/', access: { key: true } },
      b: { name: 'b', create: false, path: '/b/', access: { key: false } },
    });
  });

  test('an optional attribute set to null takes its default (Terraform 1.3+); one without a default stays null', () => {
    expect(convertToType({ a: { name: 'a', create: null, path: null, access: null } }, groups)).toEqual({
      a: { name: 'a', create: null, path: '/nodes/', access: { key: true } },
    });
  });

  test('values of another shape, and values known only at apply, are kept as they are', () => {
    expect(convertToType('${var.groups}', groups)).toBe('${var.groups}');
    expect(convertToType({ a: '${local.group}' }, groups)).toEqual({ a: '${local.group}' });
    expect(convertToType(null, groups)).toBeNull();
    expect(convertToType(['x'], parseTypeConstraint('map(string)')!)).toEqual(['x']);
  });

  test('a required attribute left out stays out (Terraform refuses the call); attributes the type does not name are kept', () => {
    expect(convertToType({ a: { extra: 1 } }, groups)).toEqual({ a: { extra: 1, create: null, path: '/nodes/', access: { key: true } } });
  });

  test('lists and tuples convert each element; a default that could not be read leaves the attribute as the value has it', () => {
    const type = parseTypeConstraint('tuple([object({ a = optional(bool, true) }), list(object({ b = optional(string, 1 +) }))])')!;
    expect(convertToType([{}, [{}, { b: 'x' }]], type)).toEqual([{ a: true }, [{}, { b: 'x' }]]);
  });

  const key = fc.constantFrom('create', 'name', 'path', 'enabled');
  // strings without `$` or `%`: in HCL those start templates, which a default (a constant) cannot be
  const leaf = fc.oneof(fc.boolean(), fc.string({ unit: fc.constantFrom(...'ab Z/-_"\\{}'), maxLength: 5 }), fc.integer(), fc.constant(null));
  const attributes = fc.uniqueArray(fc.record({ name: key, optional: fc.boolean(), default: fc.option(leaf, { nil: undefined }) }), { selector: (a) => a.name, maxLength: 4 });

  test('property: after conversion every optional attribute is present, and what was given and not null is unchanged', () => {
    fc.assert(fc.property(attributes, fc.dictionary(key, leaf), (declared, given) => {
      const text = `object({ ${declared.map((a) => `${a.name} = ${a.optional ? `optional(any${a.default !== undefined ? `, ${JSON.stringify(a.default)}` : ''})` : 'any'}`).join(', ')} })`;
      const type = parseTypeConstraint(text);
      expect(type).toBeDefined();
      const out = convertToType(given, type!) as Record<string, unknown>;
      for (const a of declared) {
        if (a.optional) {
          expect(Object.prototype.hasOwnProperty.call(out, a.name)).toBe(true);
          const fallback = a.default === undefined ? null : a.default;
          expect(out[a.name]).toEqual(given[a.name] === undefined || given[a.name] === null ? fallback : given[a.name]);
        }
      }
      for (const [k, v] of Object.entries(given)) if (v !== null) expect(out[k]).toEqual(v);
    }), { numRuns: 500 });
  });
});
