import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { AnnotationMetadataEntryType, TerraformOutput, TerraformVariable } from 'cdktf';
import { FederationPlan } from '../../lib/core/plan';
import { EntraCloud, TargetKind } from '../../lib/core/target';
import { EntraWorkloadApplication } from '../../lib/terraform/entra/workload-application';
import { ACCOUNT, expectKeylessError, expectNoResources, ISSUER, newStack, only, resourcesOf, samplePlan, synth } from './support/harness';

const ARN = (name: string, path = '/') => `arn:aws:iam::${ACCOUNT}:role${path}${name}`;

describe('EntraWorkloadApplication.fromPlan', () => {
  test('one credential per workload whose Entra target names the application, with exact fields', () => {
    const { stack } = newStack();
    const plan = samplePlan();
    const app = EntraWorkloadApplication.fromPlan(stack, 'DataPlatform', plan, 'data-platform');
    const json = synth(stack);
    const [appId, application] = resourcesOf(json, 'azuread_application')[0];
    expect(application).toEqual({ display_name: 'data-platform', sign_in_audience: 'AzureADMyOrg' });
    const credentials = resourcesOf(json, 'azuread_application_federated_identity_credential').map(([, c]) => c);
    expect(credentials).toEqual([
      {
        application_id: `\${azuread_application.${appId}.id}`,
        display_name: 'etl-graph',
        issuer: ISSUER,
        subject: plan.workload('etl').roleArn,
        audiences: ['api://AzureADTokenExchange'],
        description: 'cdk-keyless: AWS workload etl, target graph',
      },
      {
        application_id: `\${azuread_application.${appId}.id}`,
        display_name: 'reporting-graph',
        issuer: ISSUER,
        subject: plan.workload('reporting').roleArn,
        audiences: ['api://AzureADTokenExchange'],
        description: 'cdk-keyless: AWS workload reporting, target graph',
      },
    ]);
    expect(credentials[0].subject).toBe('arn:aws:iam::111122223333:role/workloads/etl-role');
    expect(app.credentialCount).toBe(2);
    // batch-app's workload is not trusted here
    expect(JSON.stringify(json)).not.toContain('batch-role');
  });

  test('trust() after fromPlan still sees the plan credentials (count, names, issuer and subject)', () => {
    const { stack } = newStack();
    const plan = samplePlan();
    const app = EntraWorkloadApplication.fromPlan(stack, 'App', plan, 'data-platform');
    expectKeylessError(() => app.trust({ credentialName: 'ETL-GRAPH', issuerUrl: ISSUER, roleArn: ARN('other') }), { rule: 'entra.fic-name-duplicate', property: 'trust[2].credentialName', path: 'Keyless/App' });
    expectKeylessError(() => app.trust({ credentialName: 'again', issuerUrl: ISSUER, roleArn: plan.workload('etl').roleArn }), { rule: 'entra.fic-duplicate-subject', property: 'trust[2].roleArn', path: 'Keyless/App' });
    app.trust({ credentialName: 'extra', issuerUrl: ISSUER, roleArn: ARN('extra') });
    expect(app.credentialCount).toBe(3);
    expect(resourcesOf(synth(stack), 'azuread_application_federated_identity_credential').map(([, c]) => c.display_name).sort()).toEqual(['etl-graph', 'extra', 'reporting-graph']);
  });

  test('application_id is the resource id (/applications/<objectId>), never the client id', () => {
    const { stack } = newStack();
    EntraWorkloadApplication.fromPlan(stack, 'App', samplePlan(), 'data-platform');
    const json = synth(stack);
    for (const [, c] of resourcesOf(json, 'azuread_application_federated_identity_credential')) {
      expect(c.application_id).toMatch(/^\$\{azuread_application\.[A-Za-z0-9_]+\.id\}$/);
      expect(c.application_id).not.toContain('client_id');
    }
  });

  test('service principal and client config; clientId and tenantId reference them', () => {
    const { stack } = newStack();
    const app = EntraWorkloadApplication.fromPlan(stack, 'App', samplePlan(), 'data-platform');
    new TerraformOutput(stack, 'client_id', { value: app.clientId });
    new TerraformOutput(stack, 'tenant_id', { value: app.tenantId });
    new TerraformOutput(stack, 'app_resource_id', { value: app.applicationResourceId });
    const json = synth(stack);
    const [appId] = resourcesOf(json, 'azuread_application')[0];
    expect(only(json, 'azuread_service_principal')).toEqual({ client_id: `\${azuread_application.${appId}.client_id}` });
    const [configId] = Object.keys(json.data.azuread_client_config);
    expect(json.output).toEqual({
      client_id: { value: `\${azuread_application.${appId}.client_id}` },
      tenant_id: { value: `\${data.azuread_client_config.${configId}.tenant_id}` },
      app_resource_id: { value: `\${azuread_application.${appId}.id}` },
    });
    expect(app.audience).toBe('api://AzureADTokenExchange');
  });

  test('no password or certificate anywhere', () => {
    const { stack } = newStack();
    EntraWorkloadApplication.fromPlan(stack, 'App', samplePlan(), 'data-platform');
    const json = synth(stack);
    expect(Object.keys(json.resource).sort()).toEqual(['azuread_application', 'azuread_application_federated_identity_credential', 'azuread_service_principal']);
    expect(JSON.stringify(json)).not.toMatch(/password|certificate/i);
  });

  test('sovereign cloud audience', () => {
    const plan = new FederationPlan({
      account: ACCOUNT,
      issuerUrl: ISSUER,
      workloads: [{ name: 'gov', roleName: 'gov-role', targets: [{ name: 'graph', kind: TargetKind.ENTRA, entraApplication: 'gov-app', entraCloud: EntraCloud.US_GOVERNMENT }] }],
    });
    const { stack } = newStack();
    const app = EntraWorkloadApplication.fromPlan(stack, 'Gov', plan, 'gov-app');
    expect(only(synth(stack), 'azuread_application_federated_identity_credential').audiences).toEqual(['api://AzureADTokenExchangeUSGov']);
    expect(app.cloud).toBe(EntraCloud.US_GOVERNMENT);
  });

  test('credential names can be chosen per workload; owners and provider pass through', () => {
    const { stack } = newStack();
    const other = new AzureadProvider(stack, 'other', { alias: 'other' });
    EntraWorkloadApplication.fromPlan(stack, 'App', samplePlan(), 'data-platform', { credentialNames: { etl: 'aws-etl' }, owners: ['00000000-0000-0000-0000-000000000001'], provider: other });
    const json = synth(stack);
    const names = resourcesOf(json, 'azuread_application_federated_identity_credential').map(([, c]) => c.display_name);
    expect(names).toEqual(['aws-etl', 'reporting-graph']);
    expect(only(json, 'azuread_application').owners).toEqual(['00000000-0000-0000-0000-000000000001']);
    expect(only(json, 'azuread_service_principal').owners).toEqual(['00000000-0000-0000-0000-000000000001']);
    for (const type of ['azuread_application', 'azuread_service_principal', 'azuread_application_federated_identity_credential']) {
      for (const [, r] of resourcesOf(json, type)) expect(r.provider).toBe('azuread.other');
    }
    expect(Object.values(json.data.azuread_client_config)[0]).toEqual({ provider: 'azuread.other' });
  });

  describe('errors name the construct path and leave nothing behind', () => {
    test('unknown application', () => {
      const { stack } = newStack();
      const err = expectKeylessError(() => EntraWorkloadApplication.fromPlan(stack, 'App', samplePlan(), 'nope'), { rule: 'entra.application-in-plan', property: 'applicationName', path: 'Keyless/App' });
      expect(err.reason).toContain('["data-platform","batch-app"]');
      expectNoResources(stack);
    });

    test('clouds disagree', () => {
      const plan = new FederationPlan({
        account: ACCOUNT,
        issuerUrl: ISSUER,
        workloads: [
          { name: 'a', roleName: 'a', targets: [{ name: 't', kind: TargetKind.ENTRA, entraApplication: 'app' }] },
          { name: 'b', roleName: 'b', targets: [{ name: 't', kind: TargetKind.ENTRA, entraApplication: 'app', entraCloud: EntraCloud.CHINA }] },
        ],
      });
      const { stack } = newStack();
      expectKeylessError(() => EntraWorkloadApplication.fromPlan(stack, 'App', plan, 'app'), { rule: 'entra.cloud-mismatch', property: 'applicationName', path: 'Keyless/App' });
      expectNoResources(stack);
    });

    test('credentialNames for a workload the application does not trust', () => {
      const { stack } = newStack();
      expectKeylessError(() => EntraWorkloadApplication.fromPlan(stack, 'App', samplePlan(), 'data-platform', { credentialNames: { batch: 'x-batch' } }), {
        rule: 'entra.application-in-plan',
        property: 'credentialNames.batch',
        path: 'Keyless/App',
      });
      expectNoResources(stack);
    });

    test('21 workloads on one application: the 21st credential is refused before anything is built', () => {
      const plan = new FederationPlan({
        account: ACCOUNT,
        issuerUrl: ISSUER,
        workloads: Array.from({ length: 21 }, (_, i) => ({ name: `w${i}`, roleName: `role-${i}`, targets: [{ name: 'graph', kind: TargetKind.ENTRA, entraApplication: 'busy' }] })),
      });
      const { stack } = newStack();
      const err = expectKeylessError(() => EntraWorkloadApplication.fromPlan(stack, 'Busy', plan, 'busy'), { rule: 'entra.fic-limit', property: 'trust[20].credentialName', path: 'Keyless/Busy' });
      expect(err.message).toBe(
        'Keyless/Busy: invalid trust[20].credentialName "w20-graph": Entra allows at most 20 federated identity credentials per application; this would be number 21. Split the workloads over several applications [rule entra.fic-limit]',
      );
      expectNoResources(stack);
    });

    test('a workload trusting the same application twice', () => {
      const plan = new FederationPlan({
        account: ACCOUNT,
        issuerUrl: ISSUER,
        workloads: [{ name: 'a', roleName: 'a', targets: [{ name: 't1', kind: TargetKind.ENTRA, entraApplication: 'app' }, { name: 't2', kind: TargetKind.ENTRA, entraApplication: 'app' }] }],
      });
      const { stack } = newStack();
      expectKeylessError(() => EntraWorkloadApplication.fromPlan(stack, 'App', plan, 'app'), { rule: 'entra.fic-duplicate-subject', property: 'trust[1].roleArn', path: 'Keyless/App' });
      expectNoResources(stack);
    });

    test('a role path Terraform would evaluate', () => {
      const plan = new FederationPlan({
        account: ACCOUNT,
        issuerUrl: ISSUER,
        workloads: [{ name: 'a', roleName: 'a', rolePath: '/${file("x")}/', targets: [{ name: 't', kind: TargetKind.ENTRA, entraApplication: 'app' }] }],
      });
      const { stack } = newStack();
      expectKeylessError(() => EntraWorkloadApplication.fromPlan(stack, 'App', plan, 'app'), { rule: 'terraform.template-sequence', property: 'trust[0].roleArn', path: 'Keyless/App' });
      expectNoResources(stack);
    });
  });
});

describe('EntraWorkloadApplication.trust', () => {
  const build = () => {
    const { stack } = newStack();
    const app = new EntraWorkloadApplication(stack, 'App', { displayName: 'Data Platform (prod)' });
    return { stack, app };
  };
  const ok = { credentialName: 'etl', issuerUrl: ISSUER, roleArn: ARN('etl-role') };

  test('adds a credential with exactly the given issuer and subject', () => {
    const { stack, app } = build();
    const fic = app.trust(ok);
    const json = synth(stack);
    const [appId] = resourcesOf(json, 'azuread_application')[0];
    expect(only(json, 'azuread_application_federated_identity_credential')).toEqual({
      application_id: `\${azuread_application.${appId}.id}`,
      display_name: 'etl',
      issuer: ISSUER,
      subject: ARN('etl-role'),
      audiences: ['api://AzureADTokenExchange'],
    });
    expect(fic.node.path).toBe('Keyless/App/Credential-etl');
  });

  test('the 21st credential throws naming the path and property; the 20 stay', () => {
    const { stack, app } = build();
    for (let i = 0; i < 20; i++) app.trust({ credentialName: `wl-${i}`, issuerUrl: ISSUER, roleArn: ARN(`r${i}`) });
    expectKeylessError(() => app.trust({ credentialName: 'wl-20', issuerUrl: ISSUER, roleArn: ARN('r20') }), { rule: 'entra.fic-limit', property: 'trust[20].credentialName', path: 'Keyless/App' });
    expect(resourcesOf(synth(stack), 'azuread_application_federated_identity_credential')).toHaveLength(20);
    expect(app.credentialCount).toBe(20);
    expect(EntraWorkloadApplication.MAX_FEDERATED_CREDENTIALS).toBe(20);
  });

  const cases: [string, object, string, string][] = [
    ['name with a space', { credentialName: 'etl job' }, 'entra.fic-name', 'credentialName'],
    ['name too short', { credentialName: 'ab' }, 'entra.fic-name', 'credentialName'],
    ['name too long', { credentialName: 'a'.repeat(121) }, 'entra.fic-name', 'credentialName'],
    ['name starting with -', { credentialName: '-etl' }, 'entra.fic-name', 'credentialName'],
    ['name with a quote', { credentialName: "etl'" }, 'entra.fic-name', 'credentialName'],
    ['issuer with trailing slash', { issuerUrl: `${ISSUER}/` }, 'issuer.trailing-slash', 'issuerUrl'],
    ['issuer over http', { issuerUrl: 'http://example.com' }, 'issuer.https', 'issuerUrl'],
    ['issuer with a newline', { issuerUrl: `${ISSUER}\n` }, 'issuer.characters', 'issuerUrl'],
    ['issuer with a quote', { issuerUrl: `${ISSUER}/a"b` }, 'issuer.characters', 'issuerUrl'],
    ['issuer longer than 600', { issuerUrl: `https://example.com/${'a'.repeat(600)}` }, 'issuer.length', 'issuerUrl'],
    ['user ARN', { roleArn: `arn:aws:iam::${ACCOUNT}:user/etl` }, 'role-arn.format', 'roleArn'],
    ['session ARN', { roleArn: `arn:aws:sts::${ACCOUNT}:assumed-role/etl/s` }, 'role-arn.format', 'roleArn'],
    ['ARN with a backslash in the name', { roleArn: ARN('etl\\x') }, 'role.name', 'roleArn.name'],
    ['ARN with a template sequence in the path', { roleArn: ARN('etl', '/%{if}/') }, 'terraform.template-sequence', 'roleArn'],
    ['subject longer than 600 (IAM allows 606)', { roleArn: ARN('n'.repeat(64), `/${'p'.repeat(510)}/`) }, 'entra.fic-subject-length', 'roleArn'],
    ['description with a template sequence', { description: 'see ${var.x}' }, 'terraform.template-sequence', 'description'],
    ['description longer than 600', { description: 'd'.repeat(601) }, 'entra.fic-description', 'description'],
  ];
  test.each(cases)('%s', (_name, change, rule, property) => {
    const { stack, app } = build();
    expectKeylessError(() => app.trust({ ...ok, ...change }), { rule, property: `trust[0].${property}`, path: 'Keyless/App' });
    expect(resourcesOf(synth(stack), 'azuread_application_federated_identity_credential')).toHaveLength(0);
  });

  test('duplicate names (case-insensitive) and duplicate issuer+subject', () => {
    const { app } = build();
    app.trust(ok);
    expectKeylessError(() => app.trust({ ...ok, credentialName: 'ETL', roleArn: ARN('other') }), { rule: 'entra.fic-name-duplicate', property: 'trust[1].credentialName', path: 'Keyless/App' });
    expectKeylessError(() => app.trust({ ...ok, credentialName: 'etl-2' }), { rule: 'entra.fic-duplicate-subject', property: 'trust[1].roleArn', path: 'Keyless/App' });
    // a different issuer with the same subject is a different pair
    app.trust({ ...ok, credentialName: 'etl-2', issuerUrl: 'https://0a1b2c3d-4e5f-4a6b-8c7d-000000000000.tokens.sts.global.api.aws' });
    expect(app.credentialCount).toBe(2);
  });

  test('tokens: refused for credential values, warned about for the display name', () => {
    const { stack } = newStack();
    const v = new TerraformVariable(stack, 'v', { type: 'string' });
    const app = new EntraWorkloadApplication(stack, 'App', { displayName: v.stringValue });
    expect(app.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => m.data)).toEqual([
      'cdk-keyless could not check displayName at synth time because they are tokens; resolve them to literals to have them validated',
    ]);
    expectKeylessError(() => app.trust({ ...ok, roleArn: v.stringValue }), { rule: 'keyless.token', property: 'trust[0].roleArn', path: 'Keyless/App' });
    expectKeylessError(() => app.trust({ ...ok, issuerUrl: `${v.stringValue}/x` }), { rule: 'keyless.token', property: 'trust[0].issuerUrl', path: 'Keyless/App' });
    expectKeylessError(() => new EntraWorkloadApplication(stack, 'App2', { displayName: `x-${v.stringValue}` }), { rule: 'keyless.token', property: 'displayName', path: 'Keyless/App2' });
  });

  test('invalid display name or cloud', () => {
    const { stack } = newStack();
    expectKeylessError(() => new EntraWorkloadApplication(stack, 'App', { displayName: 'bad\nname' }), { rule: 'entra.display-name', property: 'displayName', path: 'Keyless/App' });
    expectKeylessError(() => new EntraWorkloadApplication(stack, 'App', { displayName: 'ok', cloud: 'mars' as EntraCloud }), { rule: 'target.entra-cloud', property: 'cloud', path: 'Keyless/App' });
    expectKeylessError(() => new EntraWorkloadApplication(stack, 'App', { displayName: 'ok', owners: ['${x}'] }), { rule: 'terraform.template-sequence', property: 'owners[0]', path: 'Keyless/App' });
    expectNoResources(stack);
  });
});
