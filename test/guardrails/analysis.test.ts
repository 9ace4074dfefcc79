import { analysisContext, CheckAnalysis, Memo } from '../../lib/guardrails/analysis';
import { evaluate } from '../../lib/guardrails/evaluate';
import { NormalizedResource, ResourceSet } from '../../lib/guardrails/model';
import { CATALOG } from '../../lib/guardrails/rules';

const tf = (type: string, name: string, properties: Record<string, unknown>): NormalizedResource => (
  { engine: 'terraform', kind: 'resource', type, address: `${type}.${name}`, properties, file: 'main.tf' });

const mintStatement = (conditions: Record<string, unknown>[]): Record<string, unknown> => ({ actions: ['sts:GetWebIdentityToken'], resources: ['*'], condition: conditions });
const ANY_AUDIENCE = mintStatement([]);
const BOUND = mintStatement([
  { test: 'ForAllValues:StringEquals', variable: 'sts:IdentityTokenAudience', values: ['snowflakecomputing.com'] },
  { test: 'Null', variable: 'sts:IdentityTokenAudience', values: ['false'] },
]);

describe('one analysis per check', () => {
  test('a set edited in place (same length, same addresses, other data source) is judged afresh by the next check', () => {
    const document = (statement: Record<string, unknown>): NormalizedResource => (
      { engine: 'terraform', kind: 'data', type: 'aws_iam_policy_document', address: 'data.aws_iam_policy_document.mint', properties: { statement: [statement] }, file: 'main.tf' });
    const resources: NormalizedResource[] = [document(ANY_AUDIENCE), tf('aws_iam_policy', 'mint', { policy: '${data.aws_iam_policy_document.mint.json}' })];
    const set: ResourceSet = { file: 'main.tf', engine: 'terraform', resources };
    expect(evaluate([set]).findings.map((f) => f.ruleId)).toEqual(['KL-TR-03', 'KL-TR-04']);
    resources[0] = document(BOUND);
    expect(evaluate([set]).findings.map((f) => f.ruleId)).toEqual(['KL-TR-04']);
  });

  test('memo tables live on the analysis: a new check starts empty, one check shares them across rules and sets', () => {
    const memo = new Memo<string, number>('test table');
    let computed = 0;
    const compute = (): number => ++computed;
    const check = new CheckAnalysis();
    const a = check.of({ file: 'a', engine: 'terraform', resources: [] });
    const b = check.of({ file: 'b', engine: 'terraform', resources: [] });
    expect([a.check.remember(memo, 'k', compute), b.check.remember(memo, 'k', compute)]).toEqual([1, 1]);
    expect([a.remember(memo, 'k', compute), b.remember(memo, 'k', compute), a.remember(memo, 'k', compute)]).toEqual([2, 3, 2]);
    expect(new CheckAnalysis().remember(memo, 'k', compute)).toBe(4);
    expect(check.of(a.set)).toBe(a);
    expect(check.sets.map((s) => s.file)).toEqual(['a', 'b']);
    expect(Object.isFrozen(memo)).toBe(true);
  });

  test('notes are kept once each, in order, and reach the evaluation', () => {
    const context = analysisContext();
    context.note('x: could not check');
    context.note('y: could not check');
    context.note('x: could not check');
    expect(context.check.notes).toEqual(['x: could not check', 'y: could not check']);
    const noting = { ...CATALOG[0], appliesTo: ['aws_thing'], check: (r: NormalizedResource, c: typeof context) => { c.note(`${r.address}: noted`); return []; } };
    const set: ResourceSet = { file: 'main.tf', engine: 'terraform', resources: [tf('aws_thing', 'a', {}), tf('aws_thing', 'b', {})] };
    expect(evaluate([set], { rules: [noting] }).notes).toEqual(['aws_thing.a: noted', 'aws_thing.b: noted']);
  });

  test('rule options reach the context, defaults filled in', () => {
    expect(analysisContext(undefined, { maxTokenLifetimeSeconds: 900 }).options).toEqual({ maxTokenLifetimeSeconds: 900 });
    expect(analysisContext().options).toEqual({ maxTokenLifetimeSeconds: 3600 });
  });

  test('the resource index answers the first resource of an address', () => {
    const first = tf('aws_iam_user', 'u', { name: 'one' });
    const context = analysisContext({ file: 'main.tf', engine: 'terraform', resources: [first, tf('aws_iam_user', 'u', { name: 'two' })] });
    expect(context.resource('aws_iam_user.u')).toBe(first);
    expect(context.resource('aws_iam_user.v')).toBeUndefined();
  });
});
