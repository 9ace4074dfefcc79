import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { SnowflakeProvider } from '@cdktf/provider-snowflake/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { KeylessValidationError } from '../../../lib/core/errors';
import { FederationPlan } from '../../../lib/core/plan';
import { TargetKind } from '../../../lib/core/target';
import { SnowflakeWorkloadUser } from '../../../lib/terraform/snowflake/workload-user';

export const ACCOUNT = '111122223333';
export const ISSUER = 'https://0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.tokens.sts.global.api.aws';

/** A plan with an ETL workload (Snowflake + Entra), a reporting workload (Entra) and a batch workload (other app). */
export function samplePlan(): FederationPlan {
  return new FederationPlan({
    account: ACCOUNT,
    issuerUrl: ISSUER,
    workloads: [
      {
        name: 'etl',
        roleName: 'etl-role',
        rolePath: '/workloads/',
        targets: [
          { name: 'warehouse', kind: TargetKind.SNOWFLAKE, snowflakeUser: 'ETL_USER' },
          { name: 'graph', kind: TargetKind.ENTRA, entraApplication: 'data-platform' },
        ],
      },
      { name: 'reporting', roleName: 'reporting-role', targets: [{ name: 'graph', kind: TargetKind.ENTRA, entraApplication: 'data-platform' }] },
      { name: 'batch', roleName: 'batch-role', targets: [{ name: 'api', kind: TargetKind.ENTRA, entraApplication: 'batch-app' }, { name: 'llm', kind: TargetKind.OPENAI }] },
    ],
  });
}

export interface TestStack {
  readonly stack: TerraformStack;
  readonly snowflake: SnowflakeProvider;
  readonly azuread: AzureadProvider;
}

/** A stack with both providers; the snowflake provider enables the preview features unless told otherwise. */
export function newStack(options: { previewFeatures?: boolean } = {}): TestStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'Keyless');
  const snowflake = new SnowflakeProvider(stack, 'snowflake', {});
  if (options.previewFeatures !== false) {
    SnowflakeWorkloadUser.enablePreviewFeatures(snowflake);
  }
  const azuread = new AzureadProvider(stack, 'azuread', {});
  return { stack, snowflake, azuread };
}

/** The synthesized stack as parsed JSON (validations included). */
export function synth(stack: TerraformStack, runValidations = true): any {
  return JSON.parse(Testing.synth(stack, runValidations));
}

/** All resources of `type` as a list of [logical id, config]. */
export function resourcesOf(json: any, type: string): [string, any][] {
  return Object.entries(json.resource?.[type] ?? {});
}

/** The only resource of `type`. */
export function only(json: any, type: string): any {
  const found = resourcesOf(json, type);
  expect(found).toHaveLength(1);
  return found[0][1];
}

/** Runs `fn`, expects a KeylessValidationError with exactly this rule, property and path, and returns it. */
export function expectKeylessError(fn: () => unknown, expected: { rule: string; property: string; path: string }): KeylessValidationError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  if (!(caught instanceof KeylessValidationError)) {
    throw new Error(`expected a KeylessValidationError ${JSON.stringify(expected)}, got ${caught instanceof Error ? caught.stack : String(caught)}`);
  }
  expect({ rule: caught.rule, property: caught.property, path: caught.path }).toEqual(expected);
  expect(caught.message).toContain(`${expected.path}: invalid ${expected.property} `);
  expect(caught.message).toContain(`[rule ${expected.rule}]`);
  return caught;
}

/** The stack has no resources at all (nothing was emitted by a construct that refused its input). */
export function expectNoResources(stack: TerraformStack): void {
  const json = synth(stack, false);
  expect(json.resource ?? {}).toEqual({});
  expect(json.data ?? {}).toEqual({});
}
