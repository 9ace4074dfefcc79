/** Small keyless-report.json documents for the history tests: only what a snapshot needs, as old reports have it. */
import { REPORT_SCHEMA } from '../../../lib/guardrails/report/model';

export interface FindingSpec {
  readonly ruleId: string;
  readonly resource: string;
  readonly file?: string;
  readonly severity?: 'error' | 'warning';
  /** `owner.name` (reports with owner attribution). */
  readonly owner?: string;
  /** An exemption with this owner and expiry (`YYYY-MM-DD`). */
  readonly exemption?: { readonly owner: string; readonly expires: string; readonly status?: string };
  readonly kind?: string;
  readonly category?: string;
}

/** A report generated at `generatedAt` with these findings and `trusts` federated trusts. */
export function report(generatedAt: string, findings: readonly FindingSpec[], trusts = 0, commit?: string): any {
  return {
    schema: REPORT_SCHEMA,
    generatedAt,
    tool: { name: 'cdk-keyless', version: '0.1.0' },
    ...(commit !== undefined ? { run: { commit, producer: 'cli', inputs: ['cdk.out'] } } : {}),
    sources: ['cdk.out/App.template.json'],
    summary: {},
    identities: Array.from({ length: trusts }, (_, i) => ({
      workload: `arn:aws:iam::111122223333:role/workloads/w${i}`,
      target: `snowflake_service_user.u${i}`,
      targetKind: 'snowflake',
      file: 'cdktf.out/stacks/app/cdk.tf.json',
      resource: `snowflake_execute.u${i}`,
    })),
    findings: findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity ?? (f.exemption ? 'warning' : 'error'),
      file: f.file ?? 'cdk.out/App.template.json',
      resource: f.resource,
      resourceType: 'AWS::IAM::AccessKey',
      engine: 'cloudformation',
      message: 'a long-lived credential',
      ...(f.category !== undefined ? { category: f.category } : {}),
      ...(f.kind !== undefined ? { kind: f.kind } : {}),
      ...(f.owner !== undefined ? { owner: { name: f.owner, source: 'codeowners' } } : {}),
      ...(f.exemption ? {
        exemption: { justification: 'moving in Q1', owner: f.exemption.owner, expires: f.exemption.expires, status: f.exemption.status ?? 'active', daysLeft: 0 },
      } : {}),
    })),
    rules: [],
    notes: [],
    mermaid: 'graph LR',
  };
}
