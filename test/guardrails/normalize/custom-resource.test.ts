import { App, CfnParameter, Stack, Token, aws_iam as iam, custom_resources as cr } from 'aws-cdk-lib';
import { NormalizedResource } from '../../../lib/guardrails/model';
import { normalizeCloudFormation } from '../../../lib/guardrails/normalize/cloudformation';
import { actionKey, customResourceCalls, serviceKey } from '../../../lib/guardrails/normalize/custom-resource';

function cr_(type: string, properties: Record<string, unknown>): NormalizedResource {
  return { engine: 'cloudformation', kind: 'resource', type, address: 'Call', properties, file: 'Stack.template.json' };
}

const ANY = cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE });

describe('custom resource SDK calls', () => {
  test('what aws-cdk-lib synthesizes: a JSON string per phase, tokens joined in; placeholders come back as the intrinsics', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const user = new iam.User(stack, 'Deployer');
    const size = new CfnParameter(stack, 'Size', { type: 'Number' });
    new cr.AwsCustomResource(stack, 'Key', {
      onCreate: {
        service: 'IAM', action: 'createAccessKey', parameters: { UserName: user.userName, Limit: Token.asNumber(size.value) },
        physicalResourceId: cr.PhysicalResourceId.fromResponse('AccessKey.AccessKeyId'),
      },
      onDelete: { service: '@aws-sdk/client-iam', action: 'DeleteAccessKeyCommand', parameters: { UserName: user.userName, AccessKeyId: new cr.PhysicalResourceIdReference() } },
      policy: ANY,
    });
    const template = app.synth().getStackByName('S').template;
    const set = normalizeCloudFormation(template, 'S.template.json');
    const key = set.resources.find((r) => r.type === 'Custom::AWS')!;
    expect(key.properties.Create).toHaveProperty(['Fn::Join']);
    const { calls, unreadable } = customResourceCalls(key);
    expect(unreadable).toEqual([]);
    expect(calls.map((c) => [c.phase, c.serviceKey, c.actionKey])).toEqual([['Create', 'iam', 'createaccesskey'], ['Delete', 'iam', 'deleteaccesskey']]);
    const userId = set.resources.find((r) => r.type === 'AWS::IAM::User')!.address;
    expect(calls[0].parameters).toEqual({ UserName: { Ref: userId }, Limit: { Ref: 'Size' } });
    expect(calls[1].parameters.AccessKeyId).toBe('PHYSICAL:RESOURCEID:');
    expect(set.notes).toBeUndefined();
  });

  test('a literal JSON string, a Fn::Sub, a token inside a longer string, the object form of older handlers', () => {
    const lit = customResourceCalls(cr_('Custom::AWS', { Create: '{"service":"SecretsManager","action":"createSecret","parameters":{"Name":"x","SecretString":"s3cr3t"}}' }));
    expect(lit.calls[0]).toMatchObject({ service: 'SecretsManager', serviceKey: 'secretsmanager', actionKey: 'createsecret', parameters: { SecretString: 's3cr3t' } });
    const sub = customResourceCalls(cr_('Custom::Seed', { Create: { 'Fn::Sub': '{"service":"IAM","action":"createLoginProfile","parameters":{"UserName":"${Ops}","Password":"pre-${Pw}"}}' } }));
    expect(sub.calls[0].parameters).toEqual({ UserName: { Ref: 'Ops' }, Password: { 'Fn::Join': ['', ['pre-', { Ref: 'Pw' }]] } });
    const obj = customResourceCalls(cr_('AWS::CloudFormation::CustomResource', { Update: { service: 'SSM', action: 'putParameter', parameters: { Name: '/a', Value: 'b' } } }));
    expect(obj.calls[0]).toMatchObject({ phase: 'Update', serviceKey: 'ssm', actionKey: 'putparameter' });
  });

  test('Fn::If gives both branches; AWS::NoValue is skipped', () => {
    const call = (action: string) => `{"service":"IAM","action":"${action}","parameters":{"UserName":"u"}}`;
    const r = customResourceCalls(cr_('Custom::AWS', { Create: { 'Fn::If': ['Prod', call('createAccessKey'), call('getUser')] }, Delete: { 'Fn::If': ['Prod', call('deleteUser'), { Ref: 'AWS::NoValue' }] } }));
    expect(r.calls.map((c) => c.actionKey)).toEqual(['createaccesskey', 'getuser', 'deleteuser']);
  });

  test('what cannot be read is reported, never dropped', () => {
    const garbled = cr_('Custom::AWS', { Create: { 'Fn::Join': ['', ['{"service":"IAM",', { Ref: 'Rest' }, '}']] } });
    expect(customResourceCalls(garbled).unreadable[0].reason).toMatch(/intrinsic stands for part of the JSON/);
    const action = cr_('Custom::AWS', { Create: { 'Fn::Join': ['', ['{"service":"IAM","action":"', { Ref: 'Action' }, '"}']] } });
    expect(customResourceCalls(action).calls).toEqual([]);
    expect(customResourceCalls(action).unreadable[0].reason).toMatch(/action is only known at deploy time/);
    const ref = cr_('Custom::AWS', { Update: { Ref: 'CallJson' } });
    expect(customResourceCalls(ref).unreadable[0]).toEqual({ phase: 'Update', reason: 'it is a Ref, not a JSON string' });
    const set = normalizeCloudFormation({ Resources: { Garbled: { Type: 'Custom::AWS', Properties: garbled.properties } } }, 't.json');
    expect(set.notes).toEqual([expect.stringMatching(/^t\.json: Garbled \(Custom::AWS\): the Create call could not be read statically .*KL-AWS-01\/02\/03\/06/)]);
  });

  test('parameters given as one token are known to be unknown; a note unless the call is a finding whatever it passes', () => {
    const call = (service: string, action: string) => ({ Create: { 'Fn::Join': ['', [`{"service":"${service}","action":"${action}","parameters":`, { Ref: 'Params' }, '}']] } });
    const r = cr_('Custom::AWS', call('SecretsManager', 'putSecretValue'));
    expect(customResourceCalls(r).calls[0].parametersUnknown).toBe('its parameters are a Ref');
    const set = normalizeCloudFormation({
      Resources: { Put: { Type: 'Custom::AWS', Properties: r.properties }, Key: { Type: 'Custom::AWS', Properties: call('IAM', 'createAccessKey') } },
    }, 't.json');
    expect(set.notes).toEqual([expect.stringMatching(/Put \(Custom::AWS\): the parameters of its Create call SecretsManager putSecretValue could not be read statically \(its parameters are a Ref\); KL-AWS-06/)]);
  });

  test('other custom resources may use Create/Update/Delete for anything: not a call, no note', () => {
    const r = cr_('Custom::Thing', { ServiceToken: 'arn:aws:lambda:eu-west-1:1:function:x', Create: 'yes', Update: { Ref: 'Mode' } });
    expect(customResourceCalls(r)).toEqual({ calls: [], unreadable: [], callProperties: [] });
    expect(customResourceCalls(cr_('AWS::Lambda::Function', { Create: '{"service":"IAM","action":"createAccessKey"}' })).calls).toEqual([]);
  });

  test('an AwsCustomResource with a user-given resourceType is recognised by its provider service token', () => {
    const r = cr_('Custom::MyKey', { ServiceToken: { 'Fn::GetAtt': ['AWS679f53fac002430cb0da5b7982bd22872D164C4C', 'Arn'] }, Create: { Ref: 'Call' } });
    expect(customResourceCalls(r).unreadable).toHaveLength(1);
  });

  test('service and action spellings', () => {
    expect(['IAM', 'iam', '@aws-sdk/client-iam'].map(serviceKey)).toEqual(['iam', 'iam', 'iam']);
    expect(['SecretsManager', '@aws-sdk/client-secrets-manager'].map(serviceKey)).toEqual(['secretsmanager', 'secretsmanager']);
    expect(['createAccessKey', 'CreateAccessKey', 'CreateAccessKeyCommand'].map(actionKey)).toEqual(['createaccesskey', 'createaccesskey', 'createaccesskey']);
  });
});
