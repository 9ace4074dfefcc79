// The negative case: a fallback credential (an IAM access key) next to the federated role.
// With guardrails on (the default) synth must fail with KL-AWS-01; with `-c guardrails=off` it synthesizes,
// and `keyless check` on the output must exit 1 with KL-AWS-01 on the key's logical id.
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { KeylessGuardrails } from 'cdk-keyless';
import { plan, region } from '../plan';

const app = new App();
if (app.node.tryGetContext('guardrails') !== 'off') {
  Validations.of(app).addPlugins(new KeylessGuardrails());
}
const stack = new Stack(app, 'Leaky', { env: { account: plan.account, region } });
const user = new iam.CfnUser(stack, 'Deployer', { userName: 'legacy-deployer' });
new iam.CfnAccessKey(stack, 'DeployerKey', { userName: user.ref });
app.synth();
