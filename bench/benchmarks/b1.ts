import { CFN_RESOURCE_LIMIT } from '../apps/cdk-app';
import { BenchConfig } from '../harness/config';
import { BenchDef, VariantDef } from '../harness/types';
import { factsByKey, labels, mediansByKey, memoryRatio, rssRatio, ms, timeAndMemoryRows, timeOf, timeRatio, x } from './common';

/**
 * B1's headline is A vs D: a plan-driven FederatedWorkloadRole against the plain L2 iam.Role it is, with the same
 * inline policy (issue 16). A vs the raw CfnRole (B) stays a secondary figure: it measures the L2 itself.
 */
export const B1_TARGETS = { timeRatio: 1.05, maxResources: CFN_RESOURCE_LIMIT };

export function b1(config: BenchConfig): BenchDef {
  const n = config.cdkWorkloads;
  const scenario = 'b1-cdk-synth';
  const variants: VariantDef[] = [
    { key: 'A', label: `cdk-keyless: FederatedWorkloadRole.fromPlan x ${n} (Snowflake + Entra target each), one stack`, scenario, variant: 'A', params: { workloads: n } },
    { key: 'B', label: `secondary: raw CfnRole x ${n} with the same two statements in an inline policy`, scenario, variant: 'B', params: { workloads: n } },
    { key: 'C', label: `diagnostic: raw CfnRole + separate CfnPolicy x ${n} (same resource count as A)`, scenario, variant: 'C', params: { workloads: n } },
    { key: 'D', label: `plain L2: iam.Role x ${n} with the same statements as inlinePolicies (one resource per role)`, scenario, variant: 'D', params: { workloads: n } },
  ];
  if (config.cfnValidation) {
    variants.push(
      { key: 'A_cfnValidation', label: 'A with aws-cdk-lib built-in CloudFormation validation on', scenario, variant: 'A', params: { workloads: n, cfnValidation: true } },
      { key: 'D_cfnValidation', label: 'D with aws-cdk-lib built-in CloudFormation validation on', scenario, variant: 'D', params: { workloads: n, cfnValidation: true } },
    );
  }
  return {
    id: 'B1',
    title: `CDK synth, ${n} federated workloads in one stack: cdk-keyless FederatedWorkloadRole vs a plain L2 iam.Role with the same inline policy`,
    variants,
    summarize(stats) {
      const { A, B, C, D } = stats;
      const ratios: { [name: string]: number } = {
        time: timeRatio(A, D, config.timeMetric),
        wall: timeRatio(A, D, 'wall'),
        cpu: timeRatio(A, D, 'cpu'),
        memory: memoryRatio(A, D),
        rss: rssRatio(A, D),
        retainedHeap: A.medians.retainedHeapMB / D.medians.retainedHeapMB,
        timeVsRawCfnRole: timeRatio(A, B, config.timeMetric),
        memoryVsRawCfnRole: memoryRatio(A, B),
        timeVsSameResourceCount: timeRatio(A, C, config.timeMetric),
        l2InlineVsRaw: timeRatio(D, B, config.timeMetric),
      };
      if (stats.A_cfnValidation) {
        ratios.timeWithCfnValidation = timeRatio(stats.A_cfnValidation, stats.D_cfnValidation, config.timeMetric);
        ratios.memoryWithCfnValidation = memoryRatio(stats.A_cfnValidation, stats.D_cfnValidation);
      }
      const resources = Number(A.facts.resources);
      const checks = { ...factsByKey(stats), resourceLimit: CFN_RESOURCE_LIMIT, underResourceLimit: resources <= CFN_RESOURCE_LIMIT };
      const notes: string[] = ['ratio = A (FederatedWorkloadRole.fromPlan) / D (plain L2 iam.Role, same inline policy); A / B (raw CfnRole) is the secondary figure timeVsRawCfnRole.'];
      if (!(resources <= CFN_RESOURCE_LIMIT)) {
        notes.push(`cdk-keyless stack has ${resources} resources (${A.facts.roles} roles + ${A.facts.policies} AWS::IAM::Policy): over CloudFormation's ${CFN_RESOURCE_LIMIT}; a real \`cdk synth\` fails. Measured with @aws-cdk/core:stackResourceLimit raised.`);
      }
      const pass = ratios.time <= B1_TARGETS.timeRatio && resources <= CFN_RESOURCE_LIMIT;
      const rows = [
        ...timeAndMemoryRows(A, D, config.timeMetric, B1_TARGETS.timeRatio, undefined, 'vs plain L2 iam.Role: '),
        { metric: 'resources in the stack', value: String(resources), target: `<= ${CFN_RESOURCE_LIMIT}`, a: String(resources), b: String(D.facts.resources), pass: resources <= CFN_RESOURCE_LIMIT },
        { metric: 'secondary: A time vs B (raw CfnRole)', value: x(ratios.timeVsRawCfnRole), target: '-', a: ms(timeOf(A, config.timeMetric)), b: ms(timeOf(B, config.timeMetric)), pass: null },
        { metric: 'diag: A time vs C (raw, same resource count)', value: x(ratios.timeVsSameResourceCount), target: '-', a: ms(timeOf(A, config.timeMetric)), b: ms(timeOf(C, config.timeMetric)), pass: null },
        { metric: 'diag: D (L2 Role + inlinePolicies) time vs B', value: x(ratios.l2InlineVsRaw), target: '-', a: ms(timeOf(D, config.timeMetric)), b: ms(timeOf(B, config.timeMetric)), pass: null },
      ];
      if (stats.A_cfnValidation) {
        rows.push(...timeAndMemoryRows(stats.A_cfnValidation, stats.D_cfnValidation, config.timeMetric, B1_TARGETS.timeRatio, undefined, 'with CFN validation: '));
      }
      return {
        rows,
        compared: labels(stats),
        target: { timeRatio: B1_TARGETS.timeRatio, maxResources: CFN_RESOURCE_LIMIT, timeMetric: config.timeMetric },
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
