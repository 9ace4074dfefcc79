import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CredentialActivityAlarms, CredentialActivityRules } from '../../lib';
import { cloudTrailEvent, matchesPattern } from './event-pattern';
import { filterMatches } from './log-filter-pattern';
import { errorOf } from './util';

function makeStack(region?: string): Stack {
  return new Stack(new App(), 'Monitoring', region === undefined ? {} : { env: { account: '999988887777', region } });
}

function rules(stack: Stack): { [description: string]: any } {
  const found = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule')) as any[];
  return Object.fromEntries(found.map((r) => [r.Properties.Description, r.Properties]));
}

const IAM_CREDENTIAL_EVENTS = ['CreateAccessKey', 'CreateLoginProfile', 'UpdateLoginProfile', 'CreateServiceSpecificCredential',
  'ResetServiceSpecificCredential', 'UploadSSHPublicKey', 'UploadSigningCertificate'];

describe('CredentialActivityRules', () => {
  test('EventBridge rules on CloudTrail management events, each notifying the topic', () => {
    const stack = makeStack('us-east-1');
    const detection = new CredentialActivityRules(stack, 'Detection', { allowedRegions: ['eu-west-1', 'us-east-1'] });
    const found = rules(stack);
    expect(found['cdk-keyless: a long-lived IAM credential was created']).toMatchObject({
      State: 'ENABLED',
      EventPattern: {
        'source': ['aws.iam'],
        'detail-type': ['AWS API Call via CloudTrail'],
        'detail': { eventSource: ['iam.amazonaws.com'], eventName: IAM_CREDENTIAL_EVENTS },
      },
    });
    expect(found['cdk-keyless: outbound web identity federation was disabled'].EventPattern.detail)
      .toEqual({ eventSource: ['iam.amazonaws.com'], eventName: ['DisableOutboundWebIdentityFederation'] });
    expect(found['cdk-keyless: a web identity token request was denied']).toMatchObject({
      State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      EventPattern: {
        'source': ['aws.sts'],
        'detail-type': ['AWS API Call via CloudTrail'],
        'detail': { eventSource: ['sts.amazonaws.com'], eventName: ['GetWebIdentityToken'], errorCode: ['AccessDenied'] },
      },
    });
    expect(found['cdk-keyless: web identity federation used outside the allowed regions']).toMatchObject({
      State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      EventPattern: { detail: { eventSource: ['sts.amazonaws.com'], eventName: ['GetWebIdentityToken', 'AssumeRoleWithWebIdentity'], awsRegion: [{ 'anything-but': ['eu-west-1', 'us-east-1'] }] } },
    });
    const topicRef = { Ref: Stack.of(detection).getLogicalId(detection.topic!.node.defaultChild as sns.CfnTopic) };
    for (const rule of Object.values(found)) {
      expect(rule.Targets).toEqual([expect.objectContaining({ Arn: topicRef })]);
    }
    const topicPolicies = Object.values(Template.fromStack(stack).findResources('AWS::SNS::TopicPolicy')) as any[];
    expect(topicPolicies).toHaveLength(1);
    // the default topic refuses publishing without TLS, and lets EventBridge publish
    expect(topicPolicies[0].Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'events.amazonaws.com' } }),
    ]));
  });

  test('a stack with IAM rules outside us-east-1 fails synth with the reason and the fix', () => {
    const stack = makeStack('eu-west-1');
    new CredentialActivityRules(stack, 'Detection');
    expect(() => Template.fromStack(stack)).toThrow(
      'Monitoring/Detection: invalid iamRules "eu-west-1": IAM is a global service and its CloudTrail events reach EventBridge only in us-east-1; in eu-west-1 the IAM rules would never fire. '
      + 'Deploy this stack in us-east-1, or set iamRules: false here [rule detection.iam-region]');
  });

  test('a regional stack with only the STS rules synthesizes there', () => {
    const stack = makeStack('eu-west-1');
    const topic = new sns.Topic(stack, 'Central');
    new CredentialActivityRules(stack, 'Detection', { iamRules: false, topic, allowedRegions: ['us-east-1'] });
    expect(Object.keys(rules(stack)).sort()).toEqual(['cdk-keyless: a web identity token request was denied', 'cdk-keyless: web identity federation used outside the allowed regions']);
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 1);
  });

  test('an environment-agnostic stack gets a warning: the IAM rules need us-east-1', () => {
    const stack = makeStack();
    new CredentialActivityRules(stack, 'Detection');
    Annotations.fromStack(stack).hasWarning('/Monitoring/Detection', Match.stringLikeRegexp('IAM events reach EventBridge only in us-east-1'));
  });

  test('given targets replace the default topic', () => {
    const stack = makeStack('us-east-1');
    const bus = events.EventBus.fromEventBusArn(stack, 'Bus', 'arn:aws:events:us-east-1:111122223333:event-bus/security');
    const detection = new CredentialActivityRules(stack, 'Detection', { targets: [{ bind: () => ({ arn: bus.eventBusArn }) }] });
    expect(detection.topic).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 0);
    for (const rule of Object.values(rules(stack))) expect(rule.Targets.map((t: any) => t.Arn)).toEqual(['arn:aws:events:us-east-1:111122223333:event-bus/security']);
  });

  test('invalid input', () => {
    const none = errorOf(() => new CredentialActivityRules(makeStack('us-east-1'), 'D', { iamRules: false, stsRules: false }));
    expect([none.path, none.property, none.rule]).toEqual(['Monitoring/D', 'iamRules', 'detection.empty']);
    const region = errorOf(() => new CredentialActivityRules(makeStack('us-east-1'), 'D', { allowedRegions: ['eu_west_1'] }));
    expect([region.property, region.value, region.rule]).toEqual(['allowedRegions[0]', '"eu_west_1"', 'detection.region']);
  });
});

describe('CredentialActivityAlarms', () => {
  test('one metric filter and alarm per signal on the trail\'s log group, notifying the topic', () => {
    const stack = makeStack('eu-west-1');
    const logGroup = logs.LogGroup.fromLogGroupName(stack, 'Trail', 'aws-cloudtrail-logs-org');
    new CredentialActivityAlarms(stack, 'Alarms', { logGroup, allowedRegions: ['eu-west-1'] });
    const template = Template.fromStack(stack);
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')).map((r: any) => r.Properties);
    expect(Object.fromEntries(filters.map((f) => [f.MetricTransformations[0].MetricName, f.FilterPattern]))).toEqual({
      LongLivedCredentialCreated: `{ ($.eventSource = "iam.amazonaws.com") && (${IAM_CREDENTIAL_EVENTS.map((e) => `($.eventName = "${e}")`).join(' || ')}) }`,
      OutboundFederationDisabled: '{ ($.eventSource = "iam.amazonaws.com") && ($.eventName = "DisableOutboundWebIdentityFederation") }',
      WebIdentityTokenDenied: '{ ($.eventSource = "sts.amazonaws.com") && ($.eventName = "GetWebIdentityToken") && ($.errorCode = "AccessDenied") }',
      WebIdentityOutsideAllowedRegions: '{ ($.eventSource = "sts.amazonaws.com") && (($.eventName = "GetWebIdentityToken") || ($.eventName = "AssumeRoleWithWebIdentity")) && ($.awsRegion != "eu-west-1") }',
    });
    for (const f of filters) {
      expect(f.LogGroupName).toBe('aws-cloudtrail-logs-org');
      expect(f.MetricTransformations[0]).toMatchObject({ MetricNamespace: 'cdk-keyless', MetricValue: '1', DefaultValue: 0 });
    }
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r: any) => r.Properties);
    expect(alarms).toHaveLength(4);
    for (const a of alarms) {
      expect(a).toMatchObject({ Threshold: 1, EvaluationPeriods: 1, Period: 300, Statistic: 'Sum', ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
      expect(a.AlarmActions).toHaveLength(1);
    }
  });

  test('without allowedRegions there is no region alarm', () => {
    const stack = makeStack('eu-west-1');
    new CredentialActivityAlarms(stack, 'Alarms', { logGroup: logs.LogGroup.fromLogGroupName(stack, 'Trail', 'trail') });
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 3);
  });
});

describe('CredentialActivityRules: which CloudTrail events each rule matches', () => {
  const stack = makeStack('us-east-1');
  const detection = new CredentialActivityRules(stack, 'Detection', { allowedRegions: ['eu-west-1'] });
  const found = rules(stack);
  const pattern = (description: string) => found[description].EventPattern;
  const created = pattern('cdk-keyless: a long-lived IAM credential was created');
  const disabled = pattern('cdk-keyless: outbound web identity federation was disabled');
  const denied = pattern('cdk-keyless: a web identity token request was denied');
  const region = pattern('cdk-keyless: web identity federation used outside the allowed regions');

  test('the matcher itself: arrays are any-of, anything-but excludes, a named field must exist', () => {
    expect(matchesPattern({ a: ['x', 'y'] }, { a: 'y' })).toBe(true);
    expect(matchesPattern({ a: ['x'] }, {})).toBe(false);
    expect(matchesPattern({ d: { r: [{ 'anything-but': ['eu-west-1'] }] } }, { d: { r: 'eu-west-1' } })).toBe(false);
    expect(matchesPattern({ d: { r: [{ 'anything-but': ['eu-west-1'] }] } }, { d: { r: 'ap-south-1' } })).toBe(true);
    expect(() => matchesPattern({ a: [{ prefix: 'x' }] }, { a: 'x' })).toThrow(/unsupported pattern/);
  });

  test('credential creation: every credential-creating call, not its deletion nor other services', () => {
    expect(detection.credentialCreatedRule).toBeDefined();
    for (const name of IAM_CREDENTIAL_EVENTS) expect(matchesPattern(created, cloudTrailEvent('iam', name, 'us-east-1'))).toBe(true);
    expect(matchesPattern(created, cloudTrailEvent('iam', 'DeleteAccessKey', 'us-east-1'))).toBe(false);
    expect(matchesPattern(created, cloudTrailEvent('sts', 'CreateAccessKey', 'us-east-1'))).toBe(false);
    expect(matchesPattern(disabled, cloudTrailEvent('iam', 'DisableOutboundWebIdentityFederation', 'us-east-1'))).toBe(true);
    expect(matchesPattern(disabled, cloudTrailEvent('iam', 'EnableOutboundWebIdentityFederation', 'us-east-1'))).toBe(false);
  });

  test('token denied: GetWebIdentityToken with AccessDenied, not a successful one', () => {
    expect(matchesPattern(denied, cloudTrailEvent('sts', 'GetWebIdentityToken', 'eu-west-1', { errorCode: 'AccessDenied', errorMessage: 'not authorized' }))).toBe(true);
    expect(matchesPattern(denied, cloudTrailEvent('sts', 'GetWebIdentityToken', 'eu-west-1'))).toBe(false);
    expect(matchesPattern(denied, cloudTrailEvent('sts', 'AssumeRoleWithWebIdentity', 'eu-west-1', { errorCode: 'AccessDenied' }))).toBe(false);
  });

  test('unexpected region: token minting or web identity role assumption outside eu-west-1', () => {
    expect(matchesPattern(region, cloudTrailEvent('sts', 'GetWebIdentityToken', 'ap-south-1'))).toBe(true);
    expect(matchesPattern(region, cloudTrailEvent('sts', 'AssumeRoleWithWebIdentity', 'us-east-1'))).toBe(true);
    expect(matchesPattern(region, cloudTrailEvent('sts', 'GetWebIdentityToken', 'eu-west-1'))).toBe(false);
    expect(matchesPattern(region, cloudTrailEvent('sts', 'AssumeRole', 'ap-south-1'))).toBe(false);
  });
});

describe('CredentialActivityAlarms: which CloudTrail records each metric filter counts', () => {
  const stack = makeStack('eu-west-1');
  new CredentialActivityAlarms(stack, 'Alarms', { logGroup: logs.LogGroup.fromLogGroupName(stack, 'Trail', 'trail'), allowedRegions: ['eu-west-1', 'us-east-1'] });
  const filters = Object.fromEntries((Object.values(Template.fromStack(stack).findResources('AWS::Logs::MetricFilter')) as any[])
    .map((r) => [r.Properties.MetricTransformations[0].MetricName, r.Properties.FilterPattern as string]));
  const record = (service: 'iam' | 'sts', eventName: string, awsRegion: string, extra = {}) => cloudTrailEvent(service, eventName, awsRegion, extra).detail;

  test('the parser takes the subset and refuses the rest', () => {
    expect(filterMatches('{ ($.a = "x") && (($.b = "y") || ($.b = "z")) }', { a: 'x', b: 'z' })).toBe(true);
    expect(filterMatches('{ ($.a != "x") }', { a: 'y' })).toBe(true);
    expect(filterMatches('{ ($.a != "x") }', {})).toBe(false);
    expect(() => filterMatches('{ ($.a = "x") && ($.b = "y") || ($.c = "z") }', {})).toThrow(/mixed/);
    expect(() => filterMatches('{ ($.a = "x" }', {})).toThrow(/expected "\)"/);
  });

  test('each filter counts its signal and nothing else', () => {
    expect(filterMatches(filters.LongLivedCredentialCreated, record('iam', 'UploadSSHPublicKey', 'us-east-1'))).toBe(true);
    expect(filterMatches(filters.LongLivedCredentialCreated, record('iam', 'DeleteLoginProfile', 'us-east-1'))).toBe(false);
    expect(filterMatches(filters.OutboundFederationDisabled, record('iam', 'DisableOutboundWebIdentityFederation', 'us-east-1'))).toBe(true);
    expect(filterMatches(filters.WebIdentityTokenDenied, record('sts', 'GetWebIdentityToken', 'eu-west-1', { errorCode: 'AccessDenied' }))).toBe(true);
    expect(filterMatches(filters.WebIdentityTokenDenied, record('sts', 'GetWebIdentityToken', 'eu-west-1'))).toBe(false);
    expect(filterMatches(filters.WebIdentityOutsideAllowedRegions, record('sts', 'AssumeRoleWithWebIdentity', 'ap-south-1'))).toBe(true);
    expect(filterMatches(filters.WebIdentityOutsideAllowedRegions, record('sts', 'GetWebIdentityToken', 'us-east-1'))).toBe(false);
    expect(filterMatches(filters.WebIdentityOutsideAllowedRegions, record('sts', 'GetCallerIdentity', 'ap-south-1'))).toBe(false);
  });
});
