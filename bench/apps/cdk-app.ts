/**
 * The B1/B2 CDK app: one stack with N federated workload roles, written with cdk-keyless (`lib`) or as raw
 * `CfnRole`s with the same statements inline (`raw`).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, IPolicyValidationPluginBeta1, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FederationPlan } from '../../lib/core/plan';
import { FederatedWorkloadRole } from '../../lib/aws/workload-role';
import { ACCOUNT, PlanJson, RAW_TARGETS, REGION } from './plan';

export const STACK_NAME = 'Workloads';
/** CloudFormation's limit of resources per stack. */
export const CFN_RESOURCE_LIMIT = 500;
const STACK_RESOURCE_LIMIT_CONTEXT = '@aws-cdk/core:stackResourceLimit';

export interface CdkAppOptions {
  /**
   * aws-cdk-lib's built-in CloudFormation validation (a WASM engine started on every synth, several seconds).
   * @default false: the benchmarks measure construct and synthesis work; it is reported separately
   */
  readonly cfnValidation?: boolean;
  /** Validation plugins to register on the app (B2). */
  readonly plugins?: IPolicyValidationPluginBeta1[];
  /** Called with the app before synth (e.g. to register cdk-nag). */
  readonly configure?: (app: App) => void;
}

export interface SynthOutput {
  readonly outdir: string;
  readonly app: App;
  /** Synth error, if synth threw (e.g. a validation plugin reported failures). */
  readonly error?: string;
}

export function tempOutdir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `keyless-bench-${prefix}-`));
}

function newApp(outdir: string, options: CdkAppOptions): { app: App; stack: Stack } {
  const app = new App({
    outdir,
    builtinCloudFormationValidation: options.cfnValidation ?? false,
    // The 500-resource limit is checked separately (facts.resources), so an over-limit stack is still measured.
    context: { [STACK_RESOURCE_LIMIT_CONTEXT]: '100000' },
    ...(options.plugins ? { policyValidationBeta1: options.plugins } : {}),
  });
  const stack = new Stack(app, STACK_NAME, { env: { account: ACCOUNT, region: REGION } });
  return { app, stack };
}

function synth(app: App, outdir: string, options: CdkAppOptions): SynthOutput {
  options.configure?.(app);
  try {
    app.synth();
    return { outdir, app };
  } catch (e) {
    return { outdir, app, error: (e as Error).message.split('\n')[0] };
  }
}

/** cdk-keyless: `FederatedWorkloadRole.fromPlan` per workload of `plan.json`. */
export function synthLib(planText: string, outdir: string, options: CdkAppOptions = {}): SynthOutput {
  const plan = FederationPlan.fromJson(planText);
  const { app, stack } = newApp(outdir, options);
  for (const w of plan.workloads) {
    FederatedWorkloadRole.fromPlan(stack, w.name, plan, w.name);
  }
  return synth(app, outdir, options);
}

function tokenStatement(kind: string): unknown {
  const t = RAW_TARGETS[kind];
  return {
    Effect: 'Allow',
    Action: 'sts:GetWebIdentityToken',
    Resource: '*',
    Condition: {
      'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': [t.audience] },
      'Null': { 'sts:IdentityTokenAudience': 'false' },
      'StringEquals': { 'sts:SigningAlgorithm': t.algorithm },
      'NumericLessThanEqualsIfExists': { 'sts:DurationSeconds': '300' },
    },
  };
}

/**
 * The same roles by hand: `CfnRole` with name, path, Lambda trust, description, 1 h sessions and one inline
 * policy holding the same per-target statements.
 */
export function synthRaw(planText: string, outdir: string, options: CdkAppOptions = {}): SynthOutput {
  const plan = JSON.parse(planText) as PlanJson;
  const { app, stack } = newApp(outdir, options);
  for (const w of plan.workloads) {
    new iam.CfnRole(stack, w.name, {
      roleName: w.roleName,
      path: w.rolePath,
      description: `cdk-keyless workload ${w.name}`,
      maxSessionDuration: 3600,
      assumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }],
      },
      policies: [{ policyName: 'web-identity-tokens', policyDocument: { Version: '2012-10-17', Statement: w.targets.map((t) => tokenStatement(t.kind)) } }],
    });
  }
  return synth(app, outdir, options);
}

/**
 * Diagnostic: raw `CfnRole` plus a separate `CfnPolicy` per role, i.e. the same resource count as the
 * L2 `iam.Role` + `DefaultPolicy` pair, to tell construct overhead from resource count.
 */
export function synthRawSplit(planText: string, outdir: string, options: CdkAppOptions = {}): SynthOutput {
  const plan = JSON.parse(planText) as PlanJson;
  const { app, stack } = newApp(outdir, options);
  for (const w of plan.workloads) {
    const role = new iam.CfnRole(stack, w.name, {
      roleName: w.roleName,
      path: w.rolePath,
      description: `cdk-keyless workload ${w.name}`,
      maxSessionDuration: 3600,
      assumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }],
      },
    });
    new iam.CfnPolicy(stack, `${w.name}Policy`, {
      policyName: `${w.name}-tokens`,
      roles: [role.ref],
      policyDocument: { Version: '2012-10-17', Statement: w.targets.map((t) => tokenStatement(t.kind)) },
    });
  }
  return synth(app, outdir, options);
}

/**
 * Diagnostic: what a fix could cost. The L2 `iam.Role` (what FederatedWorkloadRole extends) with the same
 * statements passed as `inlinePolicies` at construction, instead of `Grant.addToPrincipal` (which adds a
 * `DefaultPolicy` = a separate `iam.Policy` + `AWS::IAM::Policy` per role). One resource per role.
 */
export function synthL2Inline(planText: string, outdir: string, options: CdkAppOptions = {}): SynthOutput {
  const plan = JSON.parse(planText) as PlanJson;
  const { app, stack } = newApp(outdir, options);
  for (const w of plan.workloads) {
    new iam.Role(stack, w.name, {
      roleName: w.roleName,
      path: w.rolePath,
      description: `cdk-keyless workload ${w.name}`,
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: { 'web-identity-tokens': iam.PolicyDocument.fromJson({ Version: '2012-10-17', Statement: w.targets.map((t) => tokenStatement(t.kind)) }) },
    });
  }
  return synth(app, outdir, options);
}

/** Facts about the synthesized stack, read after timing. */
export function stackFacts(out: SynthOutput): { [name: string]: number | string | boolean } {
  const file = path.join(out.outdir, `${STACK_NAME}.template.json`);
  const facts: { [name: string]: number | string | boolean } = {};
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8');
    const template = JSON.parse(text);
    const resources = Object.values(template.Resources ?? {}) as { Type: string }[];
    facts.resources = resources.length;
    facts.roles = resources.filter((r) => r.Type === 'AWS::IAM::Role').length;
    facts.policies = resources.filter((r) => r.Type === 'AWS::IAM::Policy').length;
    facts.templateBytes = Buffer.byteLength(text);
  }
  if (out.error !== undefined) facts.synthError = out.error;
  return facts;
}

export function removeOutdir(out: SynthOutput): void {
  fs.rmSync(out.outdir, { recursive: true, force: true });
}
