import { SnowflakeProvider } from '@cdktf/provider-snowflake/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { KeylessGuardrailsProps, KeylessTerraformGuardrails, SnowflakeWorkloadUser } from '../../../lib'; // in your project: from 'cdk-keyless'
import { plan, sync } from '../plan';

/** AFTER: a TYPE = SERVICE user that only the sync's role can log in as; no password exists to leak. */
export class OrdersSyncWarehouseStack extends TerraformStack {
  public readonly user: SnowflakeWorkloadUser;

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
    this.user = SnowflakeWorkloadUser.fromPlan(this, 'SyncUser', plan, sync.name, 'warehouse', {
      policyDatabase: 'SECURITY',
      policySchema: 'POLICIES',
      defaultRole: 'ORDERS_SYNC',
      defaultWarehouse: 'SYNC_WH',
    });
  }
}

/** The federated CDKTF app. */
export function buildTerraformApp(outdir?: string, guardrails: KeylessGuardrailsProps = {}): App {
  const app = new App({ ...(outdir !== undefined ? { outdir } : {}) });
  // Fails synth on any fallback credential; writes keyless-report.json/.md into cdktf.out.
  KeylessTerraformGuardrails.enable(app, guardrails);
  new OrdersSyncWarehouseStack(app, 'orders-sync');
  return app;
}

if (require.main === module) {
  buildTerraformApp().synth();
}
