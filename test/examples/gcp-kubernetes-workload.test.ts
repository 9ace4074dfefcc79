import * as fs from 'fs';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { buildCdkApp, writeKubernetesTrust } from '../../examples/gcp-kubernetes-workload/cdk-app';
import { exporter, plan } from '../../examples/gcp-kubernetes-workload/plan';
import { buildTerraformApp } from '../../examples/gcp-kubernetes-workload/terraform-app';
import { checkOutputs, errors, NOW, onlyResource, readJson, roleArnFromTemplate, roleNamed, stableTemplate, stableTerraform, tempDir } from './support';

describe('example gcp-kubernetes-workload: one role, trusted by a Google Cloud pool and a Kubernetes API server', () => {
  let dir: string;
  let template: any;
  let terraform: any;
  let files: string[];

  beforeAll(() => {
    dir = tempDir('gcp-k8s');
    buildCdkApp(path.join(dir, 'cdk.out'), { now: NOW }).synth();
    buildTerraformApp(path.join(dir, 'cdktf.out'), { now: NOW }).synth();
    files = writeKubernetesTrust(path.join(dir, 'kubernetes'));
    template = readJson(path.join(dir, 'cdk.out', 'ReportExporter.template.json'));
    terraform = readJson(path.join(dir, 'cdktf.out', 'stacks', 'report-exporter-gcp', 'cdk.tf.json'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('CloudFormation snapshot', () => {
    expect(stableTemplate(template)).toMatchSnapshot();
  });

  test('Terraform JSON snapshot', () => {
    expect(stableTerraform(terraform)).toMatchSnapshot();
  });

  test('the role CloudFormation creates is the subject the pool provider and the API server pin', () => {
    const roleArn = roleArnFromTemplate(roleNamed(template, exporter.roleName), plan.account);
    expect(roleArn).toBe('arn:aws:iam::111122223333:role/workloads/report-exporter');
    const provider = Object.values(terraform.resource.google_iam_workload_identity_pool_provider)[0] as any;
    expect(provider.attribute_condition).toBe(`assertion.sub == '${roleArn}'`);
    expect(provider.oidc).toEqual({ issuer_uri: plan.issuerUrl, allowed_audiences: ['https://iam.googleapis.com/aws-workloads'] });
    const member = Object.values(terraform.resource.google_service_account_iam_member)[0] as any;
    expect(member.member).toMatch(new RegExp(`/subject/${roleArn.replace(/\//g, '\\/')}$`));
    expect(member.service_account_id).toBe('projects/analytics-prod/serviceAccounts/report-exporter@analytics-prod.iam.gserviceaccount.com');
    const config = parse(fs.readFileSync(files[0], 'utf8'));
    expect(config.jwt[0].claimValidationRules).toEqual([{ claim: 'sub', requiredValue: roleArn }]);
    expect(config.jwt[0].issuer.url).toBe(plan.issuerUrl);
    const [binding] = parseAllDocuments(fs.readFileSync(files[1], 'utf8')).map((d) => d.toJS());
    expect(binding.subjects[0].name).toBe(`aws:${roleArn}`);
  });

  test('the role mints RS256 tokens for both audiences (Google verifies RS256 or ES256 only)', () => {
    const policy = roleNamed(template, exporter.roleName).Properties.Policies.find((p: any) => p.PolicyName === 'WebIdentityTokens');
    expect(policy.PolicyDocument.Statement.map((s: any) => [s.Condition['ForAllValues:StringEquals']['sts:IdentityTokenAudience'], s.Condition.StringEquals['sts:SigningAlgorithm']]))
      .toEqual([[['https://iam.googleapis.com/aws-workloads'], 'RS256'], [['https://kubernetes.reports.acme.example'], 'RS256']]);
    expect(onlyResource(template, 'Custom::KeylessOutboundWebIdentityFederation').Properties.ExpectedIssuerUrl).toBe(plan.issuerUrl);
  });

  test('the three cluster files', () => {
    expect(files.map((f) => path.basename(f))).toEqual(['authentication-config.yaml', 'rbac.yaml', 'kubernetes-trust.md']);
  });

  test('guardrails: zero findings over both apps', async () => {
    const evaluation = await checkOutputs([path.join(dir, 'cdk.out'), path.join(dir, 'cdktf.out')]);
    expect(errors(evaluation)).toEqual([]);
    expect(evaluation.findings).toEqual([]);
  });
});
