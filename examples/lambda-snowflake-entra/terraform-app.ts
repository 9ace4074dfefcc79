import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { SnowflakeProvider } from '@cdktf/provider-snowflake/lib/provider';
import { App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { EntraWorkloadApplication, KeylessGuardrailsProps, KeylessTerraformGuardrails, SnowflakeWorkloadUser } from '../../lib'; // in your project: from 'cdk-keyless'
import { etl, plan } from './plan';

/**
 * What trusts the ETL job: a Snowflake service user and an Entra application, both built from the same
 * plan as the CDK app's role, so they trust exactly that role ARN and the account's issuer.
 */
export class OrdersEtlTrustStack extends TerraformStack {
  public readonly snowflakeUser: SnowflakeWorkloadUser;
  public readonly entraApplication: EntraWorkloadApplication;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    // The providers log in keyless-ly too. Terraform runs in the deploy pipeline as an AWS role that is
    // itself a Snowflake workload identity, and with the pipeline's OIDC token for Entra.
    const snowflakeOrganization = new TerraformVariable(this, 'snowflake_organization_name', { type: 'string', default: 'ACME' });
    const snowflakeAccount = new TerraformVariable(this, 'snowflake_account_name', { type: 'string', default: 'ORDERS' });
    const azureTenantId = new TerraformVariable(this, 'azure_tenant_id', { type: 'string', description: 'tenant of the Entra applications' });
    const azureClientId = new TerraformVariable(this, 'azure_client_id', { type: 'string', description: 'client id of the deploy pipeline\'s Entra application' });

    const snowflake = new SnowflakeProvider(this, 'snowflake', {
      organizationName: snowflakeOrganization.stringValue,
      accountName: snowflakeAccount.stringValue,
      user: 'TERRAFORM_DEPLOY',
      role: 'SECURITYADMIN',
      authenticator: 'WORKLOAD_IDENTITY',
      workloadIdentityProvider: 'AWS',
    });
    SnowflakeWorkloadUser.enablePreviewFeatures(snowflake);
    new AzureadProvider(this, 'azuread', {
      tenantId: azureTenantId.stringValue,
      clientId: azureClientId.stringValue,
      useOidc: true,
    });

    this.snowflakeUser = SnowflakeWorkloadUser.fromPlan(this, 'Warehouse', plan, etl.name, 'warehouse', {
      policyDatabase: 'SECURITY',
      policySchema: 'POLICIES',
      defaultRole: 'ORDERS_ETL',
      defaultWarehouse: 'ETL_WH',
    });
    this.entraApplication = EntraWorkloadApplication.fromPlan(this, 'Graph', plan, 'orders-etl-graph');

    // The CDK app reads these two: cdk deploy -c entraTenantId=... -c entraClientId=...
    new TerraformOutput(this, 'entra_tenant_id', { value: this.entraApplication.tenantId });
    new TerraformOutput(this, 'entra_client_id', { value: this.entraApplication.clientId });
  }
}

/** The CDKTF app of this example; `npm run synth` builds it here, no cdktf CLI needed. */
export function buildTerraformApp(outdir?: string, guardrails: KeylessGuardrailsProps = {}): App {
  const app = new App({ ...(outdir !== undefined ? { outdir } : {}) });
  // Fails synth on any fallback credential; writes keyless-report.json/.md into cdktf.out.
  KeylessTerraformGuardrails.enable(app, guardrails);
  new OrdersEtlTrustStack(app, 'orders-etl-trust');
  return app;
}

if (require.main === module) {
  buildTerraformApp().synth();
}
