import { App } from 'cdktf';
import { KeylessGuardrailsProps, KeylessTerraformGuardrails } from '../../../lib'; // in your project: from 'cdk-keyless'
import { OrdersSyncWarehouseStack } from '../federated/terraform-app';
import { OrdersSyncLegacyWarehouseStack } from '../legacy/terraform-app';
import { BRIDGED_EXEMPTIONS } from '../plan';

/**
 * HALFWAY: the federated Snowflake service user (ORDERS_SYNC_SVC, trusting the Lambda role) is deployed, while the
 * legacy ORDERS_SYNC user keeps its password under its exemption until the last consumers have moved over.
 */
export function buildTerraformApp(outdir?: string, guardrails: KeylessGuardrailsProps = {}): App {
  const app = new App({ ...(outdir !== undefined ? { outdir } : {}) });
  // Fails synth on any fallback credential; the legacy password is exempted until its expiry date.
  KeylessTerraformGuardrails.enable(app, { exemptionsFile: BRIDGED_EXEMPTIONS, ...guardrails });
  new OrdersSyncWarehouseStack(app, 'orders-sync');
  new OrdersSyncLegacyWarehouseStack(app, 'orders-sync-legacy');
  return app;
}

if (require.main === module) {
  buildTerraformApp().synth();
}
