import { FICS_PER_APPLICATION } from '../apps/plan';
import { BenchConfig } from '../harness/config';
import { BenchDef } from '../harness/types';
import { factsByKey, labels, mediansByKey, memoryRatio, rssRatio, timeAndMemoryRows, timeRatio } from './common';

export const B3_TARGETS = { timeRatio: 1.1 };

export function b3(config: BenchConfig): BenchDef {
  const n = config.tfWorkloads;
  const apps = Math.ceil(n / FICS_PER_APPLICATION);
  const scenario = 'b3-cdktf-synth';
  return {
    id: 'B3',
    title: `CDKTF synth, ${n} Snowflake workload users + ${n} Entra FICs (${apps} apps x ${FICS_PER_APPLICATION}): cdk-keyless vs raw provider classes`,
    variants: [
      { key: 'A', label: `cdk-keyless: SnowflakeWorkloadUser.fromPlan x ${n} + EntraWorkloadApplication.fromPlan x ${apps}`, scenario, variant: 'A', params: { workloads: n } },
      { key: 'B', label: `raw: ServiceUser + Execute + AuthenticationPolicy + attachment x ${n}; Application + ServicePrincipal + client config x ${apps} + FIC x ${n}`, scenario, variant: 'B', params: { workloads: n } },
    ],
    summarize(stats) {
      const { A, B } = stats;
      const ratios = {
        time: timeRatio(A, B, config.timeMetric),
        wall: timeRatio(A, B, 'wall'),
        cpu: timeRatio(A, B, 'cpu'),
        memory: memoryRatio(A, B),
        rss: rssRatio(A, B),
      };
      const sameOutput = A.facts.resources === B.facts.resources && A.facts.entraFics === B.facts.entraFics && A.facts.snowflakeUsers === B.facts.snowflakeUsers;
      return {
        rows: [
          ...timeAndMemoryRows(A, B, config.timeMetric, B3_TARGETS.timeRatio),
          { metric: 'same resource counts', value: String(sameOutput), target: 'true', a: String(A.facts.resources), b: String(B.facts.resources), pass: sameOutput },
        ],
        compared: labels(stats),
        target: { timeRatio: B3_TARGETS.timeRatio, timeMetric: config.timeMetric },
        ratio: ratios.time,
        ratios,
        medians: mediansByKey(stats),
        checks: { ...factsByKey(stats), sameResourceCounts: sameOutput },
        pass: ratios.time <= B3_TARGETS.timeRatio && sameOutput,
        notes: [],
      };
    },
  };
}
