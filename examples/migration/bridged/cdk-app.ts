/**
 * HALFWAY: the sync already runs in Lambda as the plan's federated role, so the IAM user and its access key are
 * gone (their exemption with them). The AWS side is done: this stage's CDK app is the federated stage's, unchanged.
 */
import { buildCdkApp } from '../federated/cdk-app';

export { buildCdkApp };

if (require.main === module) {
  buildCdkApp().synth();
}
