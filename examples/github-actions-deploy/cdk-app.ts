import { App, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { KeylessGuardrails, KeylessGuardrailsProps, OidcTrustRole, SubjectFilter } from '../../lib'; // in your project: from 'cdk-keyless'
import { deployment } from './plan';

/**
 * The role GitHub Actions deploys with: trusted only for workflow jobs of one repository that run in its
 * `production` environment (so environment protection rules — reviewers, branch policy — gate every
 * deployment), with an audience pin, and allowed only to hand over to the CDK bootstrap roles.
 */
export class DeployRoleStack extends Stack {
  public readonly role: OidcTrustRole;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { env: { account: deployment.account, region: deployment.region }, ...props });

    // One per account: if your account already has it, pass
    // iam.OidcProviderNative.fromOidcProviderArn(...) instead.
    const github = new iam.OidcProviderNative(this, 'GitHubOidc', {
      url: 'https://token.actions.githubusercontent.com',
      clientIds: ['sts.amazonaws.com'],
    });

    this.role = OidcTrustRole.forGitHubActions(this, 'DeployRole', {
      provider: github,
      roleName: deployment.roleName,
      description: `GitHub Actions: ${deployment.owner}/${deployment.repository}, environment ${deployment.environment}`,
      subjects: [
        SubjectFilter.gitHubEnvironment(deployment.owner, deployment.repository, deployment.environment, {
          ownerId: deployment.ownerId,
          repositoryId: deployment.repositoryId,
        }),
      ],
    });

    // `cdk deploy` works by assuming the bootstrap roles; the deploy role needs nothing else.
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'AssumeCdkBootstrapRoles',
      actions: ['sts:AssumeRole', 'sts:TagSession'],
      resources: [`arn:${this.partition}:iam::${deployment.account}:role/cdk-${deployment.bootstrapQualifier}-*`],
    }));

    new CfnOutput(this, 'RoleArn', { value: this.role.roleArn, description: 'role-to-assume of aws-actions/configure-aws-credentials' });
  }
}

/** The CDK app of this example; `npm run synth` builds it here. */
export function buildCdkApp(outdir?: string, guardrails: KeylessGuardrailsProps = {}): App {
  const app = new App({ ...(outdir !== undefined ? { outdir } : {}) });
  // Fails synth on any fallback credential or loose trust; writes keyless-report.json/.md into cdk.out.
  KeylessGuardrails.enable(app, guardrails);
  new DeployRoleStack(app, 'OrdersDeployRole');
  return app;
}

if (require.main === module) {
  buildCdkApp().synth();
}
