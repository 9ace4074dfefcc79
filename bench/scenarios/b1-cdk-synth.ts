/**
 * B1: CDK synth of N federated workloads (Snowflake + Entra target each) in ONE stack: cdk-keyless
 * `FederatedWorkloadRole.fromPlan` (A) vs the plain L2 `iam.Role` with the same statements as `inlinePolicies`, one
 * resource per role (D): the headline ratio A/D. B (secondary) is raw `CfnRole` with the same statements inline;
 * C (diagnostic) is raw `CfnRole` + a separate `CfnPolicy`, the same resource count as A had with a DefaultPolicy.
 */
import { planJson } from '../apps/plan';
import { removeOutdir, stackFacts, synthL2Inline, synthLib, synthRaw, synthRawSplit, tempOutdir } from '../apps/cdk-app';
import { buildAsLoadedApp } from '../apps/loaded-app';
import { RunResult, Scenario } from '../harness/scenario';

export interface B1Params {
  readonly workloads: number;
  /** aws-cdk-lib's built-in CloudFormation validation on (the default for users) or off. */
  readonly cfnValidation?: boolean;
}

const BUILDERS = { A: synthLib, B: synthRaw, C: synthRawSplit, D: synthL2Inline } as const;

export const scenario: Scenario<B1Params> = {
  prepare: (_variant, params) => planJson(params.workloads),
  warmupParams: (params) => ({ ...params, workloads: 20 }),
  run(variant, params, prepared): RunResult {
    const build = BUILDERS[variant as keyof typeof BUILDERS];
    const out = buildAsLoadedApp(() => build(prepared as string, tempOutdir(`b1${variant}`), { cfnValidation: params.cfnValidation ?? false }));
    return { keep: out, facts: () => stackFacts(out), cleanup: () => removeOutdir(out) };
  },
};
