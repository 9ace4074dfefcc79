import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnowflakeProvider } from '@cdktf/provider-snowflake/lib/provider';
import { App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import {
  EntraWorkloadApplication,
  KeylessGuardrailsProps,
  KeylessTerraformGuardrails,
  SnowflakeWorkloadUser,
  SubjectFilter,
  TerraformFederatedWorkloadRole,
  TerraformOidcTrustRole,
  TerraformOutboundWebIdentityFederation,
} from '../../lib'; // in your project: from 'cdk-keyless'
import { deployRepository, invoiceSync, plan } from './plan';

/**
 * The whole federation in one Terraform configuration, from one plan: the AWS account switch, the workload role
 * with one strict minting statement per target, the Lambda function running as it, the Snowflake service user and
 * the Entra application that trust exactly that role, and the GitHub Actions role the pipeline applies it with.
 */
export class InvoiceSyncStack extends TerraformStack {
  public readonly federation: TerraformOutboundWebIdentityFederation;
  public readonly workloadRole: TerraformFederatedWorkloadRole;
  public readonly deployRole: TerraformOidcTrustRole;
  public readonly snowflakeUser: SnowflakeWorkloadUser;
  public readonly entraApplication: EntraWorkloadApplication;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    const snowflakeOrganization = new TerraformVariable(this, 'snowflake_organization_name', { type: 'string', default: 'ACME' });
    const snowflakeAccount = new TerraformVariable(this, 'snowflake_account_name', { type: 'string', default: 'BILLING' });
    const azureTenantId = new TerraformVariable(this, 'azure_tenant_id', { type: 'string', description: 'tenant of the Entra applications' });
    const azureClientId = new TerraformVariable(this, 'azure_client_id', { type: 'string', description: 'client id of the deploy pipeline\'s Entra application' });
    const lambdaPackage = new TerraformVariable(this, 'lambda_package', { type: 'string', description: 'path of the function\'s zip, built by CI', default: 'dist/invoice-sync.zip' });

    // Every provider logs in without a stored secret: AWS with the pipeline's role (below), Snowflake as a
    // workload identity of that role, Entra with the pipeline's OIDC token.
    new AwsProvider(this, 'aws', { region: 'eu-central-1', allowedAccountIds: [plan.account] });
    const snowflake = new SnowflakeProvider(this, 'snowflake', {
      organizationName: snowflakeOrganization.stringValue,
      accountName: snowflakeAccount.stringValue,
      user: 'TERRAFORM_DEPLOY',
      role: 'SECURITYADMIN',
      authenticator: 'WORKLOAD_IDENTITY',
      workloadIdentityProvider: 'AWS',
    });
    SnowflakeWorkloadUser.enablePreviewFeatures(snowflake);
    new AzureadProvider(this, 'azuread', { tenantId: azureTenantId.stringValue, clientId: azureClientId.stringValue, useOidc: true });

    // AWS side: the account switch (the apply fails unless the account's issuer is the plan's) and the role.
    this.federation = TerraformOutboundWebIdentityFederation.fromPlan(this, 'Federation', plan);
    this.workloadRole = TerraformFederatedWorkloadRole.fromPlan(this, 'InvoiceSyncRole', plan, invoiceSync.name, {
      federation: this.federation,
      managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    });
    new LambdaFunction(this, 'InvoiceSync', {
      functionName: 'invoice-sync',
      role: this.workloadRole.role.arn,
      runtime: 'python3.13',
      handler: 'handler.handler',
      filename: lambdaPackage.stringValue,
      timeout: 60,
      environment: {
        variables: {
          ...this.workloadRole.tokenEnvironment(),
          SNOWFLAKE_ACCOUNT: 'ACME-BILLING',
          SNOWFLAKE_USER: 'INVOICE_SYNC_SVC',
          SNOWFLAKE_ENABLE_AWS_WIF_OUTBOUND_TOKEN: 'true',
        },
      },
    });

    // What trusts the role: built from the same plan, so they name exactly its ARN and the account's issuer.
    this.snowflakeUser = SnowflakeWorkloadUser.fromPlan(this, 'Warehouse', plan, invoiceSync.name, 'warehouse', {
      policyDatabase: 'SECURITY',
      policySchema: 'POLICIES',
      defaultRole: 'INVOICE_SYNC',
      defaultWarehouse: 'SYNC_WH',
    });
    this.entraApplication = EntraWorkloadApplication.fromPlan(this, 'Graph', plan, 'invoice-sync-graph');

    // Inbound: the pipeline that applies this configuration assumes a role trusting only its prod environment.
    this.deployRole = TerraformOidcTrustRole.forGitHubActions(this, 'Deploy', {
      roleName: 'invoice-platform-deploy',
      subjects: [SubjectFilter.gitHubEnvironment(deployRepository.owner, deployRepository.repository, deployRepository.environment)],
    });

    new TerraformOutput(this, 'issuer_url', { value: this.federation.issuerUrl });
    new TerraformOutput(this, 'entra_client_id', { value: this.entraApplication.clientId });
  }
}

/** The CDKTF app of this example; `npm run synth` builds it here, no cdktf CLI needed. */
export function buildTerraformApp(outdir?: string, guardrails: KeylessGuardrailsProps = {}): App {
  const app = new App({ ...(outdir !== undefined ? { outdir } : {}) });
  // Fails synth on any fallback credential; writes keyless-report.json/.md into cdktf.out.
  KeylessTerraformGuardrails.enable(app, guardrails);
  new InvoiceSyncStack(app, 'invoice-sync');
  return app;
}

if (require.main === module) {
  buildTerraformApp().synth();
}
