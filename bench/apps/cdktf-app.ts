/**
 * The B3 CDKTF app: N Snowflake workload users and N Entra federated identity credentials (20 per
 * application), written with cdk-keyless (`lib`) or with the raw provider classes (`raw`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Application } from '@cdktf/provider-azuread/lib/application';
import { ApplicationFederatedIdentityCredential } from '@cdktf/provider-azuread/lib/application-federated-identity-credential';
import { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import { AuthenticationPolicy } from '@cdktf/provider-snowflake/lib/authentication-policy';
import { Execute } from '@cdktf/provider-snowflake/lib/execute';
import { SnowflakeProvider } from '@cdktf/provider-snowflake/lib/provider';
import { ServiceUser } from '@cdktf/provider-snowflake/lib/service-user';
import { UserAuthenticationPolicyAttachment } from '@cdktf/provider-snowflake/lib/user-authentication-policy-attachment';
import { App, TerraformStack } from 'cdktf';
import { FederationPlan } from '../../lib/core/plan';
import { TargetKind } from '../../lib/core/target';
import { EntraWorkloadApplication } from '../../lib/terraform/entra/workload-application';
import { SnowflakeWorkloadUser } from '../../lib/terraform/snowflake/workload-user';
import { PlanJson } from './plan';

export const TF_STACK = 'keyless';
const POLICY_DATABASE = 'SECURITY';
const POLICY_SCHEMA = 'POLICIES';
const PREVIEW_FEATURES = ['snowflake_authentication_policy_resource', 'snowflake_user_authentication_policy_attachment_resource'];

export interface TfOutput {
  readonly outdir: string;
  readonly app: App;
}

function newStack(outdir: string): { app: App; stack: TerraformStack } {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, TF_STACK);
  return { app, stack };
}

/** cdk-keyless: `SnowflakeWorkloadUser.fromPlan` per workload, `EntraWorkloadApplication.fromPlan` per application. */
export function synthLibTf(planText: string, outdir: string): TfOutput {
  const plan = FederationPlan.fromJson(planText);
  const { app, stack } = newStack(outdir);
  const snowflake = new SnowflakeProvider(stack, 'snowflake', {});
  SnowflakeWorkloadUser.enablePreviewFeatures(snowflake);
  new AzureadProvider(stack, 'azuread', {});
  for (const w of plan.workloads) {
    SnowflakeWorkloadUser.fromPlan(stack, `sf-${w.name}`, plan, w.name, 'warehouse', { policyDatabase: POLICY_DATABASE, policySchema: POLICY_SCHEMA });
  }
  const applications = [...new Set(plan.targetsOfKind(TargetKind.ENTRA).map((t) => t.entraApplication as string))];
  for (const name of applications) {
    EntraWorkloadApplication.fromPlan(stack, `entra-${name}`, plan, name);
  }
  app.synth();
  return { outdir, app };
}

/**
 * The same resources by hand: `snowflake_service_user` + `snowflake_execute` (the same ALTER USER text) +
 * `snowflake_authentication_policy` + attachment per workload; `azuread_application` + service principal +
 * client config + one federated identity credential per workload.
 */
export function synthRawTf(planText: string, outdir: string): TfOutput {
  const plan = JSON.parse(planText) as PlanJson;
  const { app, stack } = newStack(outdir);
  new SnowflakeProvider(stack, 'snowflake', { previewFeaturesEnabled: PREVIEW_FEATURES });
  new AzureadProvider(stack, 'azuread', {});
  const applications = new Map<string, Application>();
  for (const w of plan.workloads) {
    const roleArn = `arn:aws:iam::${plan.account}:role${w.rolePath}${w.roleName}`;
    for (const t of w.targets) {
      if (t.kind === 'snowflake') {
        const id = `sf-${w.name}`;
        const user = new ServiceUser(stack, `${id}-user`, {
          name: t.snowflakeUser as string,
          comment: 'Managed by cdk-keyless: logs in with workload identity only',
        });
        const replaceTriggeredBy = [`snowflake_service_user.${id}-user`];
        new Execute(stack, `${id}-workload-identity`, {
          execute: `ALTER USER ${user.fullyQualifiedName} SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = '${roleArn}' ISSUER = '${plan.issuerUrl}')`,
          revert: `ALTER USER IF EXISTS ${user.fullyQualifiedName} UNSET WORKLOAD_IDENTITY`,
          lifecycle: { replaceTriggeredBy },
        });
        const policy = new AuthenticationPolicy(stack, `${id}-policy`, {
          database: POLICY_DATABASE,
          schema: POLICY_SCHEMA,
          name: `${t.snowflakeUser}_AUTH_POLICY`,
          authenticationMethods: ['WORKLOAD_IDENTITY'],
          workloadIdentityPolicy: { allowedProviders: ['AWS'], allowedAwsAccounts: [plan.account] },
          comment: 'Managed by cdk-keyless: workload identity only',
        });
        new UserAuthenticationPolicyAttachment(stack, `${id}-policy-attachment`, {
          userName: user.name,
          authenticationPolicyName: policy.fullyQualifiedName,
          lifecycle: { replaceTriggeredBy },
        });
      } else if (t.kind === 'entra') {
        const name = t.entraApplication as string;
        let application = applications.get(name);
        if (application === undefined) {
          application = new Application(stack, `entra-${name}`, { displayName: name, signInAudience: 'AzureADMyOrg' });
          new ServicePrincipal(stack, `entra-${name}-sp`, { clientId: application.clientId });
          new DataAzureadClientConfig(stack, `entra-${name}-client-config`, {});
          applications.set(name, application);
        }
        new ApplicationFederatedIdentityCredential(stack, `entra-${name}-${w.name}-${t.name}`, {
          applicationId: application.id,
          displayName: `${w.name}-${t.name}`,
          issuer: plan.issuerUrl,
          subject: roleArn,
          audiences: ['api://AzureADTokenExchange'],
          description: `cdk-keyless: AWS workload ${w.name}, target ${t.name}`,
        });
      }
    }
  }
  app.synth();
  return { outdir, app };
}

/** Counts per resource type in the synthesized stack, read after timing. */
export function tfFacts(out: TfOutput): { [name: string]: number | string | boolean } {
  const file = path.join(out.outdir, 'stacks', TF_STACK, 'cdk.tf.json');
  const text = fs.readFileSync(file, 'utf8');
  const json = JSON.parse(text);
  const count = (kind: 'resource' | 'data', type: string) => Object.keys(json[kind]?.[type] ?? {}).length;
  const resources = Object.values(json.resource ?? {}).reduce((n: number, byName) => n + Object.keys(byName as object).length, 0);
  return {
    resources,
    snowflakeUsers: count('resource', 'snowflake_service_user'),
    snowflakeExecutes: count('resource', 'snowflake_execute'),
    entraApplications: count('resource', 'azuread_application'),
    entraFics: count('resource', 'azuread_application_federated_identity_credential'),
    configBytes: Buffer.byteLength(text),
  };
}

export function removeTfOutdir(out: TfOutput): void {
  fs.rmSync(out.outdir, { recursive: true, force: true });
}
