/**
 * KL-TR-02 on CI/CD issuers beyond GitHub, through the CDK plugin (OidcTrustRole built from the typed factories:
 * clean; a raw CfnRole with an organization wildcard: flagged) and HCL through the CLI (jsonencode trust policies).
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { Stack } from 'aws-cdk-lib';
import { HcpTerraformRunPhase, OidcTrustRole, SubjectFilter } from '../../../lib';
import { ACCOUNT, anyInCase, at, cdkRoutes, hclRoutes, inCase, RouteResult } from './harness';

const HCP = 'app.terraform.io';
const BUILDKITE = 'agent.buildkite.com';
const provider = (host: string) => `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}`;

let cdk: RouteResult;
let hcl: RouteResult;

beforeAll(async () => {
  cdk = cdkRoutes((app) => {
    const clean = new Stack(app, 'CiClean', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    new OidcTrustRole(clean, 'Terraform', {
      providerArn: provider(HCP), audience: 'aws.workload.identity',
      subjects: [SubjectFilter.hcpTerraformWorkspace('acme', 'Default Project', 'networking-prod', HcpTerraformRunPhase.APPLY)],
    });
    new OidcTrustRole(clean, 'Buildkite', {
      providerArn: provider(BUILDKITE), audience: 'sts.amazonaws.com',
      subjects: [SubjectFilter.buildkiteBranch('acme-inc', 'deploy', 'main')],
    });
    const raw = new Stack(app, 'CiRaw', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    new iam.CfnRole(raw, 'AnyOrg', {
      assumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow', Principal: { Federated: provider(HCP) }, Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { [`${HCP}:aud`]: 'aws.workload.identity' }, StringLike: { [`${HCP}:sub`]: 'organization:acme*' } },
        }],
      },
    });
  });

  const trust = (host: string, sub: string) => `resource "aws_iam_role" "ci" {\n  name = "ci"\n  assume_role_policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Principal = { Federated = "${provider(host)}" }\n      Action    = "sts:AssumeRoleWithWebIdentity"\n      Condition = {\n        StringEquals = { "${host}:aud" = "sts.amazonaws.com" }\n        StringLike   = { "${host}:sub" = "${sub}" }\n      }\n    }]\n  })\n}\n`;
  hcl = await hclRoutes({
    'buildkite-any-pipeline/main.tf': trust(BUILDKITE, 'organization:acme-inc:pipeline:*'),
    'buildkite-clean/main.tf': trust(BUILDKITE, 'organization:acme-inc:pipeline:deploy:ref:refs/heads/main:commit:*:step:*'),
  });
}, 60_000);

test('CDK: roles built from the typed factories pass; a raw trust with "organization:acme*" is flagged', () => {
  expect(cdk.hits.filter((h) => h.constructPath?.startsWith('CiClean/'))).toEqual([]);
  const [hit] = at(cdk, 'KL-TR-02', 'CiRaw/AnyOrg');
  expect(hit.severity).toBe('error');
  expect(hit.message).toContain('wildcard in the HCP Terraform organization, so it matches workspaces of other organizations');
});

test('HCL: a Buildkite pipeline wildcard is flagged, a pinned pipeline and branch is not', () => {
  expect(inCase(hcl, 'KL-TR-02', 'buildkite-any-pipeline').map((h) => h.message)).toEqual([expect.stringContaining('every pipeline of the organization')]);
  expect(anyInCase(hcl, 'buildkite-clean')).toEqual([]);
});
