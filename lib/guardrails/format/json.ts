/**
 * `keyless check --format json` (DESIGN §4):
 * `{"findings":[{"ruleId","severity","file","resource","message"}],"summary":{...},"federation":[...]}`.
 * Finding objects carry exactly those five keys, in that order; `resource` is the CloudFormation logical id or the
 * Terraform address; `file` is relative to the working directory when inside it.
 */
import type { FederationPair } from '../federation/model';
import { Evaluation } from '../model';
import { CheckSummary, FormatOptions, fileShower, sortFindings, summarize } from './common';

/** One finding of the JSON output. */
export interface JsonFinding {
  readonly ruleId: string;
  readonly severity: 'error' | 'warning';
  readonly file: string;
  readonly resource: string;
  readonly message: string;
}

/** The JSON output document. */
export interface JsonOutput {
  readonly findings: JsonFinding[];
  readonly summary: CheckSummary;
  /** One entry per workload -> trust pair the federation graph joined (DESIGN §4). */
  readonly federation: FederationPair[];
}

export function toJsonOutput(evaluation: Evaluation, options: FormatOptions = {}): JsonOutput {
  const showFile = fileShower(options);
  return {
    findings: sortFindings(evaluation.findings).map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      file: showFile(f.file),
      resource: f.resource,
      message: f.message,
    })),
    summary: summarize(evaluation, options),
    federation: (evaluation.federation ?? []).map((p) => ({
      workload: p.workload,
      target: p.target,
      targetKind: p.targetKind,
      audience: p.audience,
      algorithm: p.algorithm,
      reachable: p.reachable,
      ...(p.reason !== undefined ? { reason: p.reason } : {}),
    })),
  };
}

export function formatJson(evaluation: Evaluation, options: FormatOptions = {}): string {
  return `${JSON.stringify(toJsonOutput(evaluation, options), undefined, 2)}\n`;
}
