import * as fs from 'fs';
import * as path from 'path';
import { BenchConfig } from '../harness/config';
import { BenchDef } from '../harness/types';
import { factsByKey, labels, mediansByKey, memoryRatio, rssRatio, timeAndMemoryRows, timeRatio } from './common';

export const B2_TARGETS = { overheadRatio: 1.05 };

export function b2(config: BenchConfig): BenchDef {
  const n = config.cdkWorkloads;
  const scenario = 'b2-guardrails';
  return {
    id: 'B2',
    title: `CDK synth of the B1 cdk-keyless app (${n} workloads) with KeylessGuardrails vs without; cdk-nag AwsSolutions for reference`,
    variants: [
      { key: 'A', label: 'B1 cdk-keyless app + Validations.of(app).addPlugins(new KeylessGuardrails())', scenario, variant: 'A', params: { workloads: n } },
      { key: 'B', label: 'B1 cdk-keyless app, no validation plugin', scenario, variant: 'B', params: { workloads: n } },
      { key: 'C', label: 'B1 cdk-keyless app + cdk-nag 3 AwsSolutionsChecks (IAM5 Resource::* acknowledged once on the app)', scenario, variant: 'C', params: { workloads: n } },
      { key: 'D', label: 'B1 cdk-keyless app + a validation plugin that checks nothing (the cost of aws-cdk-lib\'s validation API itself)', scenario, variant: 'D', params: { workloads: n } },
    ],
    unavailable() {
      return fs.existsSync(path.resolve(__dirname, '..', '..', 'lib', 'guardrails', 'cdk', 'guardrails.ts')) ? undefined : 'lib/guardrails/cdk/guardrails.ts has not landed';
    },
    summarize(stats) {
      const { A, B, C, D } = stats;
      const ratios = {
        time: timeRatio(A, B, config.timeMetric),
        wall: timeRatio(A, B, 'wall'),
        cpu: timeRatio(A, B, 'cpu'),
        memory: memoryRatio(A, B),
        rss: rssRatio(A, B),
        cdkNagTime: timeRatio(C, B, config.timeMetric),
        cdkNagWall: timeRatio(C, B, 'wall'),
        cdkNagMemory: memoryRatio(C, B),
        validationApiTime: timeRatio(D, B, config.timeMetric),
        validationApiWall: timeRatio(D, B, 'wall'),
      };
      const synthOk = A.facts.synthError === undefined && B.facts.synthError === undefined;
      return {
        rows: [
          ...timeAndMemoryRows(A, B, config.timeMetric, B2_TARGETS.overheadRatio, undefined, 'KeylessGuardrails '),
          ...timeAndMemoryRows(C, B, config.timeMetric, NaN, undefined, 'cdk-nag AwsSolutions ').map((r) => ({ ...r, target: '-', pass: null })),
          ...timeAndMemoryRows(D, B, config.timeMetric, NaN, undefined, 'validation API, no check ').map((r) => ({ ...r, target: '-', pass: null })),
        ],
        compared: labels(stats),
        target: { overheadRatio: B2_TARGETS.overheadRatio, timeMetric: config.timeMetric },
        ratio: ratios.time,
        ratios,
        medians: mediansByKey(stats),
        checks: { ...factsByKey(stats), synthSucceeded: synthOk },
        pass: ratios.time <= B2_TARGETS.overheadRatio && synthOk,
        notes: [
          'cdk-nag figures are for reference (same app, same run); the target applies to KeylessGuardrails only.',
          'D is a validation plugin that checks nothing: the share of the overhead aws-cdk-lib\'s validation API takes for any plugin (cdk-nag 3 and KeylessGuardrails are both plugins).',
        ],
      };
    },
  };
}
