import { App } from 'aws-cdk-lib';
import { KeylessGuardrails, KeylessGuardrailsProps } from '../../../lib'; // in your project: from 'cdk-keyless'
import { OrdersSyncStack } from '../federated/cdk-app';

/**
 * HALFWAY: the sync already runs in Lambda as the plan's federated role, so the IAM user and its access key are
 * gone (their exemption with them). The same stack as the federated stage: the AWS side is done.
 */
export function buildCdkApp(outdir?: string, guardrails: KeylessGuardrailsProps = {}): App {
  const app = new App({ ...(outdir !== undefined ? { outdir } : {}) });
  // Fails synth on any fallback credential or loose trust; nothing is exempted on the AWS side any more.
  KeylessGuardrails.enable(app, guardrails);
  new OrdersSyncStack(app, 'OrdersSync');
  return app;
}

if (require.main === module) {
  buildCdkApp().synth();
}
