import { KL_TR_04 } from '../../../lib/guardrails/rules/kl-tr-04-token-lifetime';
import { cfn, check, doc, strictMint, tf } from './helpers';

const withDuration = (duration: Record<string, unknown> | undefined) => {
  const st = strictMint();
  const condition = { ...(st.Condition as Record<string, unknown>) };
  delete condition.NumericLessThanEquals;
  return { ...st, Condition: { ...condition, ...(duration ?? {}) } };
};

describe('KL-TR-04 token lifetime', () => {
  test('warning when there is no sts:DurationSeconds bound', () => {
    const hits = check(KL_TR_04, cfn('AWS::IAM::Policy', 'P', { PolicyDocument: doc(withDuration(undefined)) }));
    expect(hits).toHaveLength(1);
    expect(hits[0].message).toMatch(/P PolicyDocument statement "MintSnowflake" allows sts:GetWebIdentityToken with no sts:DurationSeconds bound/);
    expect(hits[0].message).toMatch(/Fix: Add NumericLessThanEquals/);
    expect(KL_TR_04.severity).toBe('warning');
  });

  test('warning when the bound is above the configured maximum', () => {
    const p = tf('aws_iam_policy', 'p', { policy: JSON.stringify(doc(withDuration({ NumericLessThanEquals: { 'sts:DurationSeconds': '3600' } }))) });
    expect(check(KL_TR_04, p)).toEqual([]);
    const hits = check(KL_TR_04, p, undefined, { maxTokenLifetimeSeconds: 900 });
    expect(hits[0].message).toMatch(/allows tokens of up to 3600 s via NumericLessThanEquals, above the configured maximum of 900 s/);
  });

  test('NumericLessThanEqualsIfExists with a bound >= 300 counts as bounded', () => {
    const p = cfn('AWS::IAM::Policy', 'P', { PolicyDocument: doc(withDuration({ NumericLessThanEqualsIfExists: { 'sts:DurationSeconds': 300 } })) });
    expect(check(KL_TR_04, p, undefined, { maxTokenLifetimeSeconds: 300 })).toEqual([]);
  });

  test('IfExists below 300 lets the 300 s default through', () => {
    const p = cfn('AWS::IAM::Policy', 'P', { PolicyDocument: doc(withDuration({ NumericLessThanEqualsIfExists: { 'sts:DurationSeconds': 120 } })) });
    const hits = check(KL_TR_04, p, undefined, { maxTokenLifetimeSeconds: 120 });
    expect(hits[0].message).toMatch(/up to 300 s via NumericLessThanEqualsIfExists \(with IfExists, a caller omitting DurationSeconds gets the 300 s default\)/);
  });

  test('clean: the strict statement with a 300 s bound; policies that do not mint', () => {
    expect(check(KL_TR_04, cfn('AWS::IAM::Policy', 'P', { PolicyDocument: doc(strictMint()) }))).toEqual([]);
    expect(check(KL_TR_04, cfn('AWS::IAM::Policy', 'Q', { PolicyDocument: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) }))).toEqual([]);
  });
});
