// A CDK for Terraform app from the same plan as bin/app.ts: the Snowflake service user and the Entra
// application trust exactly the role ARN the CDK app creates. Run with ts-node (no cdktf CLI needed);
// app.synth() writes ../cdktf.out.
import * as path from 'path';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { SnowflakeProvider } from '@cdktf/provider-snowflake/lib/provider';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { EntraWorkloadApplication, KeylessTerraformGuardrails, SnowflakeWorkloadUser } from 'cdk-keyless';
import { etl, plan } from '../plan';

class OrdersEtlTrustStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    const snowflake = new SnowflakeProvider(this, 'snowflake', {
      organizationName: 'ACME',
      accountName: 'ORDERS',
      user: 'TERRAFORM_DEPLOY',
      role: 'SECURITYADMIN',
      authenticator: 'WORKLOAD_IDENTITY',
      workloadIdentityProvider: 'AWS',
    });
    SnowflakeWorkloadUser.enablePreviewFeatures(snowflake);
    new AzureadProvider(this, 'azuread', { useOidc: true });

    const user: SnowflakeWorkloadUser = SnowflakeWorkloadUser.fromPlan(this, 'Warehouse', plan, etl.name, 'warehouse', {
      policyDatabase: 'SECURITY',
      policySchema: 'POLICIES',
      defaultRole: 'ORDERS_ETL',
      defaultWarehouse: 'ETL_WH',
    });
    const graph: EntraWorkloadApplication = EntraWorkloadApplication.fromPlan(this, 'Graph', plan, 'orders-etl-graph');

    new TerraformOutput(this, 'snowflake_user', { value: user.user.name });
    new TerraformOutput(this, 'entra_client_id', { value: graph.clientId });
    new TerraformOutput(this, 'entra_tenant_id', { value: graph.tenantId });
  }
}

const app = new App({ outdir: path.join(__dirname, '..', 'cdktf.out') });
new OrdersEtlTrustStack(app, 'orders-etl-trust');
KeylessTerraformGuardrails.enable(app); // after the stacks: checks each one before anything is written
app.synth();
