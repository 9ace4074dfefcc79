import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CredentialGuardrailPolicy, SigningAlgorithm, WebIdentityTokenResourceControlPolicy } from '../../lib';
import { evaluateGuardrail } from './policy-evaluator';
import { errorOf } from './util';

const OU = 'ou-ab12-cdefgh34';
const SNOWFLAKE = 'snowflakecomputing.com';

function makeStack(): Stack {
  return new Stack(new App(), 'Org', { env: { account: '999988887777', region: 'us-east-1' } });
}

function policy(stack: Stack): any {
  const found = Object.values(Template.fromStack(stack).findResources('AWS::Organizations::Policy')) as any[];
  expect(found).toHaveLength(1);
  return found[0].Properties;
}

describe('WebIdentityTokenResourceControlPolicy', () => {
  test('is an RCP with Principal "*" on every statement, the same token statements as the SCP, and the region bound', () => {
    const stack = makeStack();
    const allowedTokens = [{ audiences: [SNOWFLAKE], signingAlgorithm: SigningAlgorithm.ES384 }];
    new WebIdentityTokenResourceControlPolicy(stack, 'Rcp', { targetIds: [OU], allowedTokens, allowedRegions: ['eu-west-1', 'us-east-1'] });
    const rcp = policy(stack);
    expect(rcp.Type).toBe('RESOURCE_CONTROL_POLICY');
    expect(rcp.Name).toBe('keyless-web-identity-token-guardrail');
    expect(rcp.TargetIds).toEqual([OU]);
    const statements = rcp.Content.Statement;
    expect(statements.every((s: any) => s.Principal === '*' && s.Effect === 'Deny' && !('NotAction' in s))).toBe(true);

    const scpStack = makeStack();
    const scp = new CredentialGuardrailPolicy(scpStack, 'Scp', { targetIds: [OU], allowedTokens });
    const scpTokenStatements = scp.statements.filter((s) => s.Action === 'sts:GetWebIdentityToken');
    expect(statements.slice(0, -1).map(({ Principal: _principal, ...rest }: any) => rest)).toEqual(scpTokenStatements);
    expect(statements[statements.length - 1]).toEqual({
      Sid: 'DenyWebIdentityOutsideAllowedRegions', Effect: 'Deny', Principal: '*',
      Action: ['sts:GetWebIdentityToken', 'sts:AssumeRoleWithWebIdentity'], Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'us-east-1'] } },
    });
  });

  test('denies tokens and web identity role assumption outside the allowed regions, for any caller', () => {
    const stack = makeStack();
    new WebIdentityTokenResourceControlPolicy(stack, 'Rcp', { targetIds: [OU], allowedTokens: [{ audiences: [SNOWFLAKE], signingAlgorithm: SigningAlgorithm.ES384 }], allowedRegions: ['eu-west-1'] });
    const doc = policy(stack).Content;
    const mint = (region: string) => ({ action: 'sts:GetWebIdentityToken', context: { 'sts:IdentityTokenAudience': [SNOWFLAKE], 'sts:SigningAlgorithm': 'ES384', 'aws:RequestedRegion': region } });
    expect(evaluateGuardrail(doc, mint('eu-west-1')).decision).toBe('NotDenied');
    expect(evaluateGuardrail(doc, mint('ap-south-1')).deniedBy).toEqual(['DenyWebIdentityOutsideAllowedRegions']);
    expect(evaluateGuardrail(doc, { action: 'sts:AssumeRoleWithWebIdentity', context: { 'aws:RequestedRegion': 'ap-south-1' } }).deniedBy).toEqual(['DenyWebIdentityOutsideAllowedRegions']);
    expect(evaluateGuardrail(doc, { action: 'sts:AssumeRoleWithWebIdentity', context: { 'aws:RequestedRegion': 'eu-west-1' } }).decision).toBe('NotDenied');
    expect(evaluateGuardrail(doc, { ...mint('eu-west-1'), context: { ...mint('eu-west-1').context, 'sts:IdentityTokenAudience': [SNOWFLAKE, 'x'] } }).decision).toBe('Deny');
  });

  test('invalid regions and targets name the property', () => {
    const e = errorOf(() => new WebIdentityTokenResourceControlPolicy(makeStack(), 'Rcp', { targetIds: [OU], allowedRegions: ['Europe'] }));
    expect([e.path, e.property, e.value, e.rule]).toEqual(['Org/Rcp', 'allowedRegions[0]', '"Europe"', 'org-policy.region']);
    const t = errorOf(() => new WebIdentityTokenResourceControlPolicy(makeStack(), 'Rcp', { targetIds: ['123'] }));
    expect([t.property, t.rule]).toEqual(['targetIds[0]', 'org-policy.target-id']);
  });

  test('RCPs and SCPs are counted against their own per-target quota', () => {
    const stack = makeStack();
    for (let i = 0; i < 4; i++) new CredentialGuardrailPolicy(stack, `Scp${i}`, { targetIds: [OU], policyName: `scp${i}` });
    new WebIdentityTokenResourceControlPolicy(stack, 'Rcp', { targetIds: [OU] });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
