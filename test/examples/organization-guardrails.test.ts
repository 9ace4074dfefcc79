import * as fs from 'fs';
import * as path from 'path';
import { buildCdkApp } from '../../examples/organization-guardrails/cdk-app';
import { organization, plans } from '../../examples/organization-guardrails/plan';
import { EvaluatedRequest, evaluateGuardrail } from '../aws/policy-evaluator';
import { checkOutputs, errors, NOW, onlyResource, readJson, resourcesOfType, stableTemplate, tempDir } from './support';

describe('example organization-guardrails: SCP + RCP on the workloads OU, monitoring in us-east-1', () => {
  let dir: string;
  let guardrails: any;
  let monitoring: any;

  beforeAll(() => {
    dir = tempDir('organization');
    buildCdkApp(path.join(dir, 'cdk.out'), { now: NOW }).synth();
    guardrails = readJson(path.join(dir, 'cdk.out', 'OrganizationGuardrails.template.json'));
    monitoring = readJson(path.join(dir, 'cdk.out', 'CredentialMonitoring.template.json'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('CloudFormation snapshots', () => {
    expect(stableTemplate(guardrails)).toMatchSnapshot('OrganizationGuardrails');
    expect(stableTemplate(monitoring)).toMatchSnapshot('CredentialMonitoring');
  });

  const policyOfType = (type: string) => {
    const found = Object.values(resourcesOfType(guardrails, 'AWS::Organizations::Policy')).filter((p: any) => p.Properties.Type === type);
    expect(found).toHaveLength(1);
    return (found[0] as any).Properties;
  };

  test('the SCP is attached to the workloads OU and fits one document', () => {
    const scp = policyOfType('SERVICE_CONTROL_POLICY');
    expect(scp.TargetIds).toEqual([organization.workloadsOu]);
    expect(JSON.stringify(scp.Content).length).toBeLessThanOrEqual(5120);
  });

  const appRole = plans[0].workloads[0].roleArn;
  const mint = (audiences: string[], algorithm: string, duration?: number): EvaluatedRequest => ({
    action: 'sts:GetWebIdentityToken',
    context: { 'aws:PrincipalArn': appRole, 'sts:IdentityTokenAudience': audiences, 'sts:SigningAlgorithm': algorithm, ...(duration ? { 'sts:DurationSeconds': duration } : {}) },
  });

  test('the SCP denies long-lived credential creation by a workload role and lets the break-glass role through', () => {
    const scp = policyOfType('SERVICE_CONTROL_POLICY').Content;
    expect(evaluateGuardrail(scp, { action: 'iam:CreateAccessKey', context: { 'aws:PrincipalArn': appRole } }).decision).toBe('Deny');
    expect(evaluateGuardrail(scp, { action: 'iam:CreateAccessKey', context: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/break-glass/emergency-access' } }).decision).toBe('NotDenied');
  });

  test('every token a paved-road workload requests passes the SCP and the RCP; an unlisted or extra audience does not', () => {
    const scp = policyOfType('SERVICE_CONTROL_POLICY').Content;
    const rcp = policyOfType('RESOURCE_CONTROL_POLICY').Content;
    const requests = plans.flatMap((p) => p.workloads.flatMap((w) => w.targets.map((t) => t.tokenRequest)));
    expect(requests.length).toBe(4);
    for (const policy of [scp, rcp]) {
      for (const r of requests) {
        const request = mint([r.audience], r.signingAlgorithm, r.durationSeconds);
        expect(evaluateGuardrail(policy, { ...request, context: { ...request.context, 'aws:RequestedRegion': 'eu-west-1' } }).decision).toBe('NotDenied');
        expect(evaluateGuardrail(policy, { ...request, context: { ...request.context, 'sts:IdentityTokenAudience': [r.audience, 'https://attacker.example'] } }).decision).toBe('Deny');
      }
      expect(evaluateGuardrail(policy, mint(['https://attacker.example'], 'RS256')).decision).toBe('Deny');
      // Snowflake's audience only with ES384, the algorithm Snowflake verifies
      expect(evaluateGuardrail(policy, mint(['snowflakecomputing.com'], 'RS256')).decision).toBe('Deny');
    }
  });

  test('the monitoring stack is in us-east-1 and has an EventBridge rule on long-lived credential creation', () => {
    const manifest = readJson(path.join(dir, 'cdk.out', 'manifest.json'));
    expect(manifest.artifacts.CredentialMonitoring.environment).toBe(`aws://${organization.securityAccount}/us-east-1`);
    const rules = Object.values(resourcesOfType(monitoring, 'AWS::Events::Rule')).map((r: any) => r.Properties);
    const created = rules.find((r) => r.Description === 'cdk-keyless: a long-lived IAM credential was created');
    expect(created.EventPattern).toEqual({
      'source': ['aws.iam'],
      'detail-type': ['AWS API Call via CloudTrail'],
      'detail': { eventSource: ['iam.amazonaws.com'], eventName: ['CreateAccessKey', 'CreateLoginProfile', 'UpdateLoginProfile', 'CreateServiceSpecificCredential', 'ResetServiceSpecificCredential', 'UploadSSHPublicKey', 'UploadSigningCertificate'] },
    });
    const topic = onlyResource(monitoring, 'AWS::SNS::Topic');
    expect(topic.Properties.TopicName).toBe('keyless-credential-activity');
    expect(Object.keys(resourcesOfType(monitoring, 'AWS::CloudWatch::Alarm'))).toHaveLength(4);
  });

  test('guardrails: zero findings', async () => {
    const evaluation = await checkOutputs([path.join(dir, 'cdk.out')]);
    expect(errors(evaluation)).toEqual([]);
    expect(evaluation.findings).toEqual([]);
  });
});
