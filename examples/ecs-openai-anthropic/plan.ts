import { FederationPlan, TargetKind, WorkloadCompute } from '../../lib'; // in your project: from 'cdk-keyless'

/**
 * The federation plan of this example: one ECS service that calls OpenAI and Anthropic. Neither vendor
 * has a Terraform provider for its trust settings, so there is no CDKTF app: the CDK app builds the
 * task role and its token grants, and writes a trust manifest per target with the exact values to
 * register in each vendor's console.
 *
 * The account and issuer are fixed example values so that `npm run synth` works offline. In your
 * project, use your account id and the issuer that `aws iam get-outbound-web-identity-federation-info`
 * prints once outbound identity federation is enabled.
 */
export const plan = new FederationPlan({
  account: '111122223333',
  issuerUrl: 'https://4d2c6f1e-8b3a-4c5d-9e7f-1a2b3c4d5e6f.tokens.sts.global.api.aws',
  workloads: [
    {
      name: 'support-assistant',
      roleName: 'support-assistant',
      rolePath: '/workloads/',
      compute: WorkloadCompute.ECS_TASK,
      targets: [
        { name: 'openai', kind: TargetKind.OPENAI },
        { name: 'anthropic', kind: TargetKind.ANTHROPIC },
      ],
    },
  ],
});

/** The one workload of this example. */
export const assistant = plan.workload('support-assistant');

/**
 * Where the service runs and the ids the vendors assign when you follow the trust manifests (provider,
 * rule, service account and organization ids). Ids, not secrets: they say WHO the workload acts as, and
 * only a token signed for this role's ARN can use them. Pass the real ones with `cdk deploy -c`, e.g.
 * `-c openaiIdentityProviderId=...`.
 */
export const runtime = {
  region: 'eu-west-1',
  image: 'public.ecr.aws/acme/support-assistant:1.4.0',
  openaiIdentityProviderId: 'REPLACE_WITH_PROVIDER_ID',
  openaiServiceAccountId: 'REPLACE_WITH_SERVICE_ACCOUNT_ID',
  anthropicOrganizationId: '00000000-0000-0000-0000-000000000000',
  anthropicFederationRuleId: 'fdrl_REPLACE_ME',
  anthropicServiceAccountId: 'svac_REPLACE_ME',
} as const;
