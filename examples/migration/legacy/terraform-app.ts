import { SnowflakeProvider } from '@cdktf/provider-snowflake/lib/provider';
import { User } from '@cdktf/provider-snowflake/lib/user';
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { KeylessGuardrailsProps, KeylessTerraformGuardrails } from '../../../lib'; // in your project: from 'cdk-keyless'
import { EXEMPTIONS, LEGACY } from '../plan';

/** BEFORE: the sync logs in to Snowflake with a password that lives in a tfvars file and in the job. */
export class OrdersSyncLegacyWarehouseStack extends TerraformStack {
  public readonly user: User;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new SnowflakeProvider(this, 'snowflake', {
      organizationName: 'ACME',
      accountName: 'ORDERS',
      user: 'TERRAFORM_DEPLOY',
      role: 'SECURITYADMIN',
      authenticator: 'WORKLOAD_IDENTITY',
      workloadIdentityProvider: 'AWS',
    });
    const password = new TerraformVariable(this, 'orders_sync_password', { type: 'string', sensitive: true });
    // The long-lived credential the migration removes (KL-SF-01), allowed until its exemption expires.
    this.user = new User(this, 'SyncUser', {
      name: LEGACY.snowflakeUser,
      password: password.stringValue,
      defaultRole: 'ORDERS_SYNC',
      defaultWarehouse: 'SYNC_WH',
    });
  }
}

/** The legacy CDKTF app. */
export function buildTerraformApp(outdir?: string, guardrails: KeylessGuardrailsProps = {}): App {
  const app = new App({ ...(outdir !== undefined ? { outdir } : {}) });
  // Fails synth on any fallback credential; the two legacy ones are exempted until their expiry date.
  KeylessTerraformGuardrails.enable(app, { exemptionsFile: EXEMPTIONS, ...guardrails });
  new OrdersSyncLegacyWarehouseStack(app, 'orders-sync-legacy');
  return app;
}

if (require.main === module) {
  buildTerraformApp().synth();
}
