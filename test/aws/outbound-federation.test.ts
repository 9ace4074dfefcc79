import * as fs from 'fs';
import * as path from 'path';
import { App, CfnOutput, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { OutboundWebIdentityFederation } from '../../lib/aws';
import { ensureHandlerCompiled, errorOf, ISSUER } from './util';

beforeAll(ensureHandlerCompiled);

function makeStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'us-east-1' } });
}

function providerRole(template: Template): any {
  const roles = template.findResources('AWS::IAM::Role');
  const ids = Object.keys(roles);
  expect(ids).toHaveLength(1);
  return roles[ids[0]];
}

describe('OutboundWebIdentityFederation', () => {
  test('synthesizes the custom resource with DisableOnDelete false by default', () => {
    const stack = makeStack();
    const fed = new OutboundWebIdentityFederation(stack, 'Federation');
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::KeylessOutboundWebIdentityFederation', 1);
    const resources = template.findResources('Custom::KeylessOutboundWebIdentityFederation');
    const [logicalId] = Object.keys(resources);
    expect(resources[logicalId].Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^KeylessOutboundFederationProvider\w*Handler/), 'Arn'] },
      DisableOnDelete: false,
    });
    expect(resources[logicalId].DeletionPolicy).toBe('Delete');
    expect(stack.resolve(fed.issuerUrl)).toEqual({ 'Fn::GetAtt': [logicalId, 'IssuerUrl'] });
    expect(fed.disableOnDelete).toBe(false);
  });

  test('runs the handler on the newest Node.js runtime aws-cdk-lib offers, behind the CloudFormation response wrapper', () => {
    const stack = makeStack();
    new OutboundWebIdentityFederation(stack, 'Federation');
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: '__entrypoint__.handler',
      Timeout: 120,
      MemorySize: 128,
    });
  });

  test('the handler role may call exactly Enable and Get, and nothing may Disable by default', () => {
    const stack = makeStack();
    new OutboundWebIdentityFederation(stack, 'Federation');
    const template = Template.fromStack(stack);
    const role = providerRole(template);
    expect(role.Properties.Policies).toEqual([{
      PolicyName: 'Inline',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Action: ['iam:EnableOutboundWebIdentityFederation', 'iam:GetOutboundWebIdentityFederationInfo'],
          Resource: '*',
        }],
      },
    }]);
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    expect(JSON.stringify(template.toJSON())).not.toContain('DisableOutboundWebIdentityFederation');
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('disableOnDelete adds exactly the Disable permission and passes the flag', () => {
    const stack = makeStack();
    const fed = new OutboundWebIdentityFederation(stack, 'Federation', { disableOnDelete: true });
    const template = Template.fromStack(stack);
    expect(providerRole(template).Properties.Policies[0].PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: ['iam:EnableOutboundWebIdentityFederation', 'iam:GetOutboundWebIdentityFederationInfo'], Resource: '*' },
      { Effect: 'Allow', Action: 'iam:DisableOutboundWebIdentityFederation', Resource: '*' },
    ]);
    template.hasResourceProperties('Custom::KeylessOutboundWebIdentityFederation', { DisableOnDelete: true });
    expect(fed.disableOnDelete).toBe(true);
  });

  test('expectedIssuerUrl is passed to the handler', () => {
    const stack = makeStack();
    const fed = new OutboundWebIdentityFederation(stack, 'Federation', { expectedIssuerUrl: ISSUER });
    Template.fromStack(stack).hasResourceProperties('Custom::KeylessOutboundWebIdentityFederation', {
      DisableOnDelete: false,
      ExpectedIssuerUrl: ISSUER,
    });
    expect(fed.expectedIssuerUrl).toBe(ISSUER);
  });

  test.each([
    ['http://a1d2b0fd-1177-4468-9351-2f0000000723.tokens.sts.global.api.aws', 'issuer.https'],
    [`${ISSUER}/`, 'issuer.trailing-slash'],
    ['https://issuer.example.com/?x=1', 'issuer.query'],
  ])('expectedIssuerUrl %s is refused (%s)', (url, rule) => {
    const stack = makeStack();
    const e = errorOf(() => new OutboundWebIdentityFederation(stack, 'Federation', { expectedIssuerUrl: url }));
    expect(e.rule).toBe(rule);
    expect(e.path).toBe('Stack/Federation');
    expect(e.property).toBe('expectedIssuerUrl');
    expect(e.message).toMatch(/^Stack\/Federation: invalid expectedIssuerUrl /);
  });

  test('the trailing-slash message tells the user what to write', () => {
    const e = errorOf(() => new OutboundWebIdentityFederation(makeStack(), 'Federation', { expectedIssuerUrl: `${ISSUER}/` }));
    expect(e.message).toContain(`write ${JSON.stringify(ISSUER)}`);
  });

  test('a non-boolean disableOnDelete is refused', () => {
    const e = errorOf(() => new OutboundWebIdentityFederation(makeStack(), 'Federation', { disableOnDelete: 'yes' as unknown as boolean }));
    expect(e.rule).toBe('federation.disable-on-delete');
  });

  test('one per stack: it is an account singleton', () => {
    const stack = makeStack();
    new OutboundWebIdentityFederation(stack, 'Federation');
    const e = errorOf(() => new OutboundWebIdentityFederation(stack, 'Again'));
    expect(e.rule).toBe('federation.singleton');
    expect(e.path).toBe('Stack/Again');
    expect(e.message).toContain('Stack/Federation already manages it');
  });

  test('issuerUrl is usable in a CfnOutput', () => {
    const stack = makeStack();
    const fed = new OutboundWebIdentityFederation(stack, 'Federation');
    new CfnOutput(stack, 'Issuer', { value: fed.issuerUrl });
    Template.fromStack(stack).hasOutput('Issuer', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Federation'), 'IssuerUrl'] } });
  });

  test('the staged asset holds the compiled handler and the response wrapper, no TypeScript', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: '111122223333', region: 'us-east-1' } });
    new OutboundWebIdentityFederation(stack, 'Federation');
    const assembly = app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Stack.assets.json'), 'utf8'));
    const zips = Object.values(manifest.files as Record<string, any>).filter((f) => f.source.packaging === 'zip');
    expect(zips).toHaveLength(1);
    const assetDir = path.join(assembly.directory, zips[0].source.path);
    const files = fs.readdirSync(assetDir).sort();
    expect(files).toEqual(['__entrypoint__.js', 'index.js']);
    const code = fs.readFileSync(path.join(assetDir, 'index.js'), 'utf8');
    expect(code).toContain('@aws-sdk/client-iam');
    expect(code).toContain('EnableOutboundWebIdentityFederationCommand');
  });
});

describe('OutboundWebIdentityFederation.fromIssuerUrl', () => {
  test('exposes the issuer it was given', () => {
    const stack = makeStack();
    const fed = OutboundWebIdentityFederation.fromIssuerUrl(stack, 'Imported', ISSUER);
    expect(fed.issuerUrl).toBe(ISSUER);
    expect(Template.fromStack(stack).toJSON().Resources ?? {}).toEqual({});
  });

  test.each([
    [`${ISSUER}/`, 'issuer.trailing-slash'],
    ['http://issuer.example.com', 'issuer.https'],
    ['', 'issuer.https'],
    ['https://issuer example.com', 'issuer.characters'],
  ])('%j is refused (%s) naming the construct path', (url, rule) => {
    const e = errorOf(() => OutboundWebIdentityFederation.fromIssuerUrl(makeStack(), 'Imported', url));
    expect(e.rule).toBe(rule);
    expect(e.path).toBe('Stack/Imported');
    expect(e.property).toBe('issuerUrl');
  });

  test('a token is not guessed at: it passes with a warning', () => {
    const stack = makeStack();
    const token = Token.asString({ Ref: 'IssuerParam' });
    const fed = OutboundWebIdentityFederation.fromIssuerUrl(stack, 'Imported', token);
    expect(fed.issuerUrl).toBe(token);
    Annotations.fromStack(stack).hasWarning('/Stack/Imported', Match.stringLikeRegexp('issuerUrl is an unresolved token'));
  });

  test('an issuer that is not shaped like an AWS one is accepted with a warning', () => {
    const stack = makeStack();
    OutboundWebIdentityFederation.fromIssuerUrl(stack, 'Imported', 'https://issuer.example.com');
    Annotations.fromStack(stack).hasWarning('/Stack/Imported', Match.stringLikeRegexp('does not look like an AWS outbound issuer'));
  });
});
