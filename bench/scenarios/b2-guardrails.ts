/**
 * B2: the B1 cdk-keyless app synthesized with `KeylessGuardrails` registered (A), without any validation
 * plugin (B), with cdk-nag 3's `AwsSolutionsChecks` (C), also a CDK validation plugin, and with a validation plugin
 * that checks nothing (D): what aws-cdk-lib's validation API itself costs any plugin (its construct tree, its report).
 * Console output of the validation report is discarded by the runner (the child's stdout/stderr are piped).
 */
import { IPolicyValidationPluginBeta1, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { KeylessGuardrails } from '../../lib/guardrails/cdk/guardrails';
import { CdkAppOptions, removeOutdir, stackFacts, synthLib, tempOutdir } from '../apps/cdk-app';
import { planJson } from '../apps/plan';
import * as fs from 'fs';
import * as path from 'path';
import { buildAsLoadedApp } from '../apps/loaded-app';
import { RunResult, Scenario } from '../harness/scenario';

export interface B2Params {
  readonly workloads: number;
}

/** A validation plugin that reads nothing and finds nothing. */
const NOTHING_CHECKED: IPolicyValidationPluginBeta1 = {
  name: 'nothing-checked',
  validate: () => ({ success: true, violations: [] }),
};

const OPTIONS: { [variant: string]: () => CdkAppOptions } = {
  A: () => ({ configure: (app) => Validations.of(app).addPlugins(new KeylessGuardrails()) }),
  B: () => ({}),
  C: () => ({
    configure: (app) => {
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      // sts:GetWebIdentityToken has no resource type, so every token statement has Resource "*" (IAM5); a user
      // acknowledges it once, as here, or synth fails with one violation per role.
      Validations.of(app).acknowledge({ id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason: 'sts:GetWebIdentityToken has no resource type' });
    },
  }),
  D: () => ({ configure: (app) => Validations.of(app).addPlugins(NOTHING_CHECKED) }),
};

export const scenario: Scenario<B2Params> = {
  prepare: (_variant, params) => planJson(params.workloads),
  warmupParams: (params) => ({ ...params, workloads: 20 }),
  run(variant, _params, prepared): RunResult {
    const out = buildAsLoadedApp(() => synthLib(prepared as string, tempOutdir(`b2${variant}`), OPTIONS[variant]()));
    return {
      keep: out,
      facts: () => ({ ...stackFacts(out), keylessReport: fs.existsSync(path.join(out.outdir, 'keyless-report.json')) }),
      cleanup: () => removeOutdir(out),
    };
  },
};
