import { analysisContext } from '../../lib/guardrails/analysis';
import { evaluate } from '../../lib/guardrails/evaluate';
import { findOrganizationGuardrails } from '../../lib/guardrails/organization';
import { buildReport, renderReportMarkdown } from '../../lib/guardrails/report';
import { cfn, setOf, tf } from './rules/helpers';

const CLOUDTRAIL = 'AWS API Call via CloudTrail';

describe('organization guardrails in the inventory', () => {
  const scp = cfn('AWS::Organizations::Policy', 'Scp', { Name: 'no-keys', Type: 'SERVICE_CONTROL_POLICY', Content: {}, TargetIds: ['ou-ab12-cdef3456'] });
  const rcp = cfn('AWS::Organizations::Policy', 'Rcp', { Name: 'sts-bounds', Type: 'RESOURCE_CONTROL_POLICY', Content: {}, TargetIds: ['ou-ab12-cdef3456', '111122223333'] });
  const tagPolicy = cfn('AWS::Organizations::Policy', 'Tags', { Name: 'tags', Type: 'TAG_POLICY', Content: {}, TargetIds: [] });
  const rule = cfn('AWS::Events::Rule', 'KeyCreated', { EventPattern: { source: ['aws.iam'], 'detail-type': [CLOUDTRAIL], detail: { eventSource: ['iam.amazonaws.com'], eventName: ['CreateAccessKey'] } } });
  const otherRule = cfn('AWS::Events::Rule', 'S3Calls', { EventPattern: { source: ['aws.s3'], 'detail-type': [CLOUDTRAIL], detail: { eventSource: ['s3.amazonaws.com'] } } });
  const filter = cfn('AWS::Logs::MetricFilter', 'KeyFilter', { LogGroupName: 'trail', FilterPattern: '{ ($.eventSource = "iam.amazonaws.com") && ($.eventName = "CreateAccessKey") }', MetricTransformations: [] });
  const unrelated = cfn('AWS::Logs::MetricFilter', 'Errors', { LogGroupName: 'app', FilterPattern: 'ERROR', MetricTransformations: [] });

  test('SCPs, RCPs, CloudTrail rules on IAM/STS and metric filters on credential events; nothing else', () => {
    const found = findOrganizationGuardrails(analysisContext(setOf(scp, rcp, tagPolicy, rule, otherRule, filter, unrelated)));
    expect(found).toEqual([
      { kind: 'service control policy', resource: 'Scp', file: 'Stack.template.json', detail: 'no-keys on 1 target' },
      { kind: 'resource control policy', resource: 'Rcp', file: 'Stack.template.json', detail: 'sts-bounds on 2 targets' },
      { kind: 'detection rule', resource: 'KeyCreated', file: 'Stack.template.json', detail: 'iam.amazonaws.com: CreateAccessKey' },
      { kind: 'detection alarm', resource: 'KeyFilter', file: 'Stack.template.json', detail: 'metric filter on CreateAccessKey' },
    ]);
    expect(findOrganizationGuardrails(analysisContext(setOf(tf('aws_organizations_policy', 'x', { type: 'SERVICE_CONTROL_POLICY' }))))).toEqual([]);
  });

  test('the report lists them in its own section', () => {
    const report = buildReport(evaluate([setOf(scp, rule)], { now: new Date('2026-06-01T00:00:00Z') }));
    expect(report.organizationGuardrails?.map((g) => g.resource)).toEqual(['Scp', 'KeyCreated']);
    expect(renderReportMarkdown(report)).toContain('## Organization guardrails\n\n| kind | resource | file | what |\n|---|---|---|---|\n| service control policy | `Scp` | Stack.template.json | no-keys on 1 target |');
    expect(buildReport(evaluate([setOf(unrelated)])).organizationGuardrails).toBeUndefined();
  });
});
