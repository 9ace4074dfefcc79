import { analysisContext } from '../../../lib/guardrails/analysis';
import * as fc from 'fast-check';
import { readPolicyDocument } from '../../../lib/guardrails/policy/document';
import { audienceBinding, coversResourceStar, lifetimeBound, mintingStatements } from '../../../lib/guardrails/policy/minting';
import { doc, setOf, strictMint } from '../rules/helpers';

const stmt = (s: Record<string, unknown>) => readPolicyDocument(doc(s), analysisContext(setOf())).statements[0];
const mint = (condition?: Record<string, unknown>) => stmt({ Effect: 'Allow', Action: 'sts:GetWebIdentityToken', Resource: '*', ...(condition ? { Condition: condition } : {}) });

describe('audienceBinding', () => {
  test('ForAllValues:StringEquals + Null false is strict', () => {
    expect(audienceBinding(stmt(strictMint('api://AzureADTokenExchange')))).toEqual({ kind: 'strict', audiences: ['api://AzureADTokenExchange'] });
  });

  test('operator and key case do not matter; Null value may be boolean', () => {
    const b = audienceBinding(mint({ 'forallvalues:stringequals': { 'STS:IdentityTokenAudience': 'a' }, null: { 'sts:identitytokenaudience': false } }));
    expect(b.kind).toBe('strict');
  });

  test('ForAllValues:StringLike without wildcards counts as StringEquals', () => {
    expect(audienceBinding(mint({ 'ForAllValues:StringLike': { 'sts:IdentityTokenAudience': ['a'] }, Null: { 'sts:IdentityTokenAudience': 'false' } })).kind).toBe('strict');
  });

  test.each([
    ['no condition', undefined, /no condition on sts:IdentityTokenAudience/],
    ['ForAnyValue (AWS example shape)', { 'ForAnyValue:StringEquals': { 'sts:IdentityTokenAudience': 'a' } }, /ForAnyValue:StringEquals.*add any other audience/],
    ['ForAnyValue even with Null', { 'ForAnyValue:StringLike': { 'sts:IdentityTokenAudience': 'a' }, Null: { 'sts:IdentityTokenAudience': 'false' } }, /ForAnyValue:StringLike/],
    ['ForAllValues without Null', { 'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': 'a' } }, /and no Null .* check/],
    ['ForAllValues:StringLike with a wildcard', { 'ForAllValues:StringLike': { 'sts:IdentityTokenAudience': 'https://*' }, Null: { 'sts:IdentityTokenAudience': 'false' } }, /wildcard value "https:\/\/\*"/],
    ['plain StringEquals on the multi-valued key', { StringEquals: { 'sts:IdentityTokenAudience': 'a' } }, /without|no ForAllValues/],
    ['Null true', { 'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': 'a' }, Null: { 'sts:IdentityTokenAudience': 'true' } }, /and no Null .* check/],
    ['only other keys', { StringEquals: { 'sts:SigningAlgorithm': 'RS256' } }, /no condition on sts:IdentityTokenAudience/],
  ])('%s is unbound', (_, condition, problem) => {
    const b = audienceBinding(mint(condition));
    expect(b.kind).toBe('unbound');
    expect(b.kind === 'unbound' && b.problem).toMatch(problem);
  });

  test('an unresolved condition block is unknown, not a finding', () => {
    expect(audienceBinding(mint({ Ref: 'X' } as never)).kind).toBe('unknown');
  });
});

describe('lifetimeBound', () => {
  test.each([
    [{ NumericLessThanEquals: { 'sts:DurationSeconds': 900 } }, 900, false],
    [{ NumericLessThan: { 'sts:DurationSeconds': '901' } }, 900, false],
    [{ NumericLessThanEqualsIfExists: { 'sts:DurationSeconds': 600 } }, 600, false],
    [{ NumericLessThanEqualsIfExists: { 'sts:DurationSeconds': 120 } }, 300, true],
    [{ NumericLessThanEquals: { 'sts:DurationSeconds': [300, 900] } }, 900, false],
    [{ NumericLessThanEquals: { 'sts:DurationSeconds': 900 }, NumericLessThan: { 'sts:DurationSeconds': 601 } }, 600, false],
  ])('%j allows at most %d s', (condition, max, slips) => {
    expect(lifetimeBound(mint(condition))).toMatchObject({ kind: 'bounded', maxSeconds: max, defaultSlipsThrough: slips });
  });

  test('no numeric bound is unbounded; a greater-than bound is not a bound', () => {
    expect(lifetimeBound(mint())).toEqual({ kind: 'unbounded' });
    expect(lifetimeBound(mint({ NumericGreaterThan: { 'sts:DurationSeconds': 60 } }))).toEqual({ kind: 'unbounded' });
  });

  test('an unresolved bound is unknown', () => {
    expect(lifetimeBound(mint({ NumericLessThanEquals: { 'sts:DurationSeconds': { Ref: 'Max' } } })).kind).toBe('unknown');
  });
});

describe('mintingStatements', () => {
  const set = setOf();
  test('only Allow statements that grant the action against Resource *', () => {
    const d = readPolicyDocument(doc(
      { Effect: 'Deny', Action: 'sts:GetWebIdentityToken', Resource: '*' },
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::bucket/*' },
      { Effect: 'Allow', Action: 'sts:*', Resource: '*' },
      strictMint(),
    ), analysisContext(set));
    const found = mintingStatements(d);
    expect(found.map((m) => m.statement.index)).toEqual([3, 4]);
    expect(found[0].grant).toEqual({ kind: 'wildcard', pattern: 'sts:*' });
    expect(found[1].algorithms).toEqual(['ES384']);
  });

  test('coversResourceStar', () => {
    expect(coversResourceStar(stmt({ Effect: 'Allow', Action: '*', Resource: ['arn:aws:s3:::b', '*'] }))).toBe(true);
    expect(coversResourceStar(stmt({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/*' }))).toBe(false);
    expect(coversResourceStar(stmt({ Effect: 'Allow', Action: '*' }))).toBe(true);
  });
});

describe('audienceBinding: policy variables (property)', () => {
  const literal = fc.stringMatching(/^[a-z][a-z0-9.:/-]{0,30}$/);
  const variable = fc.tuple(
    fc.constantFrom('${', '$${', '&{'),
    fc.constantFrom('aws:PrincipalTag/', 'aws:RequestTag/', 'aws:username', 'aws:userid', 'saml:', 'token.actions.githubusercontent.com:'),
    fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/),
  ).map(([open, key, name]) => `${open}${key}${name}}`);
  const operator = fc.constantFrom('ForAllValues:StringEquals', 'ForAllValues:StringLike');

  test('the strict shape binds a list of literal audiences, and never one that holds a policy variable', () => {
    fc.assert(fc.property(fc.array(literal, { minLength: 1, maxLength: 4 }), fc.option(variable, { nil: undefined }), fc.nat(4), operator, (audiences, v, at, op) => {
      const values = v === undefined ? audiences : [...audiences.slice(0, at), v, ...audiences.slice(at)];
      const binding = audienceBinding(mint({ [op]: { 'sts:IdentityTokenAudience': values }, Null: { 'sts:IdentityTokenAudience': 'false' } }));
      if (v === undefined) {
        expect(binding).toEqual({ kind: 'strict', audiences: values });
      } else {
        expect(binding.kind).toBe('unbound');
        expect(binding.kind === 'unbound' && binding.problem).toMatch(/^names the audience with the policy variable \$\{/);
      }
    }), { numRuns: 500 });
  });
});
