import { CFN_RESOURCE_LIMIT } from '../apps/cdk-app';
import { BenchConfig } from '../harness/config';
import { BenchDef, VariantDef } from '../harness/types';
import { factsByKey, labels, mediansByKey, memoryRatio, rssRatio, ms, timeAndMemoryRows, timeOf, timeRatio, x } from './common';

export const B1_TARGETS = { timeRatio: 1.15, memoryRatio: 1.2, maxResources: CFN_RESOURCE_LIMIT };

export function b1(config: BenchConfig): BenchDef {
  const n = config.cdkWorkloads;
  const scenario = 'b1-cdk-synth';
  const variants: VariantDef[] = [
    { key: 'A', label: `cdk-keyless: FederatedWorkloadRole.fromPlan x ${n} (Snowflake + Entra target each), one stack`, scenario, variant: 'A', params: { workloads: n } },
    { key: 'B', label: `raw: CfnRole x ${n} with the same two statements in an inline policy`, scenario, variant: 'B', params: { workloads: n } },
    { key: 'C', label: `diagnostic: raw CfnRole + separate CfnPolicy x ${n} (same resource count as A)`, scenario, variant: 'C', params: { workloads: n } },
    { key: 'D', label: `diagnostic: L2 iam.Role x ${n} with the statements as inlinePolicies (one resource per role)`, scenario, variant: 'D', params: { workloads: n } },
  ];
  if (config.cfnValidation) {
    variants.push(
      { key: 'A_cfnValidation', label: 'A with aws-cdk-lib built-in CloudFormation validation on', scenario, variant: 'A', params: { workloads: n, cfnValidation: true } },
      { key: 'B_cfnValidation', label: 'B with aws-cdk-lib built-in CloudFormation validation on', scenario, variant: 'B', params: { workloads: n, cfnValidation: true } },
    );
  }
  return {
    id: 'B1',
    title: `CDK synth, ${n} federated workloads in one stack: cdk-keyless vs raw CfnRole`,
    variants,
    summarize(stats) {
      const { A, B, C } = stats;
      const ratios: { [name: string]: number } = {
        time: timeRatio(A, B, config.timeMetric),
        wall: timeRatio(A, B, 'wall'),
        cpu: timeRatio(A, B, 'cpu'),
        memory: memoryRatio(A, B),
        rss: rssRatio(A, B),
        retainedHeap: A.medians.retainedHeapMB / B.medians.retainedHeapMB,
        timeVsSameResourceCount: timeRatio(A, C, config.timeMetric),
        l2InlineVsRaw: timeRatio(stats.D, B, config.timeMetric),
        l2InlineMemoryVsRaw: memoryRatio(stats.D, B),
      };
      if (stats.A_cfnValidation) {
        ratios.timeWithCfnValidation = timeRatio(stats.A_cfnValidation, stats.B_cfnValidation, config.timeMetric);
        ratios.memoryWithCfnValidation = memoryRatio(stats.A_cfnValidation, stats.B_cfnValidation);
      }
      const resources = Number(A.facts.resources);
      const checks = { ...factsByKey(stats), resourceLimit: CFN_RESOURCE_LIMIT, underResourceLimit: resources <= CFN_RESOURCE_LIMIT };
      const notes: string[] = [];
      if (!(resources <= CFN_RESOURCE_LIMIT)) {
        notes.push(`cdk-keyless stack has ${resources} resources (${A.facts.roles} roles + ${A.facts.policies} AWS::IAM::Policy): over CloudFormation's ${CFN_RESOURCE_LIMIT}; a real \`cdk synth\` fails. Measured with @aws-cdk/core:stackResourceLimit raised.`);
      }
      const pass = ratios.time <= B1_TARGETS.timeRatio && ratios.memory <= B1_TARGETS.memoryRatio && resources <= CFN_RESOURCE_LIMIT;
      const rows = [
        ...timeAndMemoryRows(A, B, config.timeMetric, B1_TARGETS.timeRatio, B1_TARGETS.memoryRatio),
        { metric: 'resources in the stack', value: String(resources), target: `<= ${CFN_RESOURCE_LIMIT}`, a: String(resources), b: String(B.facts.resources), pass: resources <= CFN_RESOURCE_LIMIT },
        { metric: 'diag: A time vs C (raw, same resource count)', value: x(ratios.timeVsSameResourceCount), target: '-', a: ms(timeOf(A, config.timeMetric)), b: ms(timeOf(C, config.timeMetric)), pass: null },
        { metric: 'diag: D (L2 Role + inlinePolicies) time vs B', value: x(ratios.l2InlineVsRaw), target: '-', a: ms(timeOf(stats.D, config.timeMetric)), b: ms(timeOf(B, config.timeMetric)), pass: null },
      ];
      if (stats.A_cfnValidation) {
        rows.push(...timeAndMemoryRows(stats.A_cfnValidation, stats.B_cfnValidation, config.timeMetric, B1_TARGETS.timeRatio, B1_TARGETS.memoryRatio, 'with CFN validation: '));
      }
      return {
        rows,
        compared: labels(stats),
        target: { timeRatio: B1_TARGETS.timeRatio, memoryRatio: B1_TARGETS.memoryRatio, maxResources: CFN_RESOURCE_LIMIT, timeMetric: config.timeMetric },
        ratio: ratios.time,
        ratios,
        medians: mediansByKey(stats),
        checks,
        pass,
        notes,
      };
    },
  };
}
