import * as fs from 'fs';
import * as path from 'path';
import { Application } from '@cdktf/provider-azuread/lib/application';
import { ApplicationFederatedIdentityCredential } from '@cdktf/provider-azuread/lib/application-federated-identity-credential';
import { ApplicationPasswordA } from '@cdktf/provider-azuread/lib/application-password';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { App, TerraformResource, TerraformStack, Testing } from 'cdktf';
import { KeylessValidationError } from '../../../lib/core/errors';
import { KeylessGuardrailsProps, KeylessTerraformGuardrails } from '../../../lib/guardrails';

const ISSUER = 'https://0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.tokens.sts.global.api.aws';
const ROLE = 'arn:aws:iam::111122223333:role/workloads/etl-role';

interface Options {
  readonly federated?: boolean;
  readonly password?: boolean;
  readonly providerSecret?: boolean;
}

/** An Entra application, optionally federated, with a client secret, under a provider. */
function entraStack(app: App, id: string, options: Options = {}): TerraformStack {
  const stack = new TerraformStack(app, id);
  new AzureadProvider(stack, 'azuread', options.providerSecret ? { clientId: 'x', clientSecret: 'y' } : { useOidc: true });
  const application = new Application(stack, 'etl', { displayName: 'etl-app' });
  if (options.federated) {
    new ApplicationFederatedIdentityCredential(stack, 'fic', {
      applicationId: application.id, displayName: 'etl-role', issuer: ISSUER, subject: ROLE, audiences: ['api://AzureADTokenExchange'],
    });
  }
  if (options.password) new ApplicationPasswordA(stack, 'ci', { applicationId: application.id });
  return stack;
}

function synthError(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected synth to fail');
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('KeylessTerraformGuardrails (cdktf)', () => {
  test('a violating stack fails app.synth() naming rule id, address, construct path and fix', () => {
    const app = Testing.app();
    const stack = entraStack(app, 'leaky', { password: true });
    KeylessTerraformGuardrails.enable(stack);
    const message = synthError(() => app.synth());
    expect(message).toContain('[KL-AZ-01] azuread_application_password.ci at leaky/ci: ');
    expect(message).toContain('client secret');
    expect(message).toContain('Fix: Delete the client secret');
    // the failing stack's Terraform is not written
    expect(fs.existsSync(path.join(app.outdir, 'stacks', 'leaky', 'cdk.tf.json'))).toBe(false);
  });

  test('a clean stack synthesizes and the report lands in the output directory', () => {
    const app = Testing.app();
    const guardrails = KeylessTerraformGuardrails.enable(entraStack(app, 'clean', { federated: true }), { now: '2026-03-01' });
    expect(() => app.synth()).not.toThrow();
    expect(guardrails.reportFile).toBe(path.join(app.outdir, 'keyless-report.json'));
    const report = readJson(guardrails.reportFile!);
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0, credentials: 0, federatedIdentities: 1 });
    expect(report.sources).toEqual(['stacks/clean/cdk.tf.json']);
    expect(report.identities[0]).toMatchObject({ targetKind: 'entra', issuer: ISSUER, subject: ROLE, audience: 'api://AzureADTokenExchange', resource: 'azuread_application_federated_identity_credential.fic' });
    expect(fs.readFileSync(path.join(app.outdir, 'keyless-report.md'), 'utf8')).toContain('```mermaid');
  });

  test('a fallback next to federation names both and cannot be exempted', () => {
    const app = Testing.app();
    KeylessTerraformGuardrails.enable(entraStack(app, 'both', { federated: true, password: true }), {
      exemptions: [{ ruleId: 'KL-AZ-01', resource: 'azuread_application_password.ci', justification: 'old job still uses the secret for a while', owner: 'data@example.com', expires: '2099-01-01' }],
    });
    const message = synthError(() => app.synth());
    expect(message).toContain('[KL-AZ-01] azuread_application_password.ci');
    expect(message).toContain('azuread_application.etl is federated (federated identity credential azuread_application_federated_identity_credential.fic');
    expect(message).toContain('The exemption for it is refused');
  });

  test('an active exemption lets synth pass; the report shows it', () => {
    const app = Testing.app();
    const guardrails = KeylessTerraformGuardrails.enable(entraStack(app, 'exempt', { password: true }), {
      now: '2026-03-01',
      exemptions: [{ ruleId: 'KL-AZ-01', resource: 'exempt/ci', justification: 'vendor connector needs a secret until its WIF release', owner: 'data@example.com', expires: '2026-03-20' }],
    });
    expect(() => app.synth()).not.toThrow();
    const report = readJson(guardrails.reportFile!);
    expect(report.findings[0]).toMatchObject({ ruleId: 'KL-AZ-01', severity: 'warning', exemption: { status: 'active', daysLeft: 19 } });
    expect(report.summary.expiringExemptions).toBe(1);
  });

  test('warnings become warning annotations and do not fail synth', () => {
    const app = Testing.app();
    KeylessTerraformGuardrails.enable(entraStack(app, 'warn', { federated: true, providerSecret: true }));
    expect(() => app.synth()).not.toThrow();
    const manifest = readJson(path.join(app.outdir, 'manifest.json'));
    const warnings = manifest.stacks.warn.annotations.filter((a: any) => a.level === '@cdktf/warn').map((a: any) => [a.constructPath, a.message.slice(0, 40)]);
    expect(warnings).toEqual([['warn/azuread', '[KL-AZ-04] provider.azuread at warn/azur']]);
  });

  test('maxTokenLifetimeSeconds lowers the KL-TR-04 bound (the settings reach the rules as in the CDK plugin)', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const build = (props: KeylessGuardrailsProps) => {
      const app = Testing.app();
      const stack = new TerraformStack(app, 'mint');
      new TerraformResource(stack, 'p', { terraformResourceType: 'aws_iam_policy' }).addOverride('policy', JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow', Action: 'sts:GetWebIdentityToken', Resource: '*',
          Condition: {
            'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['snowflakecomputing.com'] },
            'Null': { 'sts:IdentityTokenAudience': 'false' },
            'StringEquals': { 'sts:SigningAlgorithm': 'ES384' },
            'NumericLessThanEquals': { 'sts:DurationSeconds': 900 },
          },
        }],
      }));
      KeylessTerraformGuardrails.enable(stack, { writeReport: false, ...props });
      app.synth();
      return readJson(path.join(app.outdir, 'manifest.json')).stacks.mint.annotations
        .filter((a: any) => a.level === '@cdktf/warn').map((a: any) => a.message.slice(0, 32));
    };
    try {
      expect(build({})).toEqual([]);
      expect(build({ maxTokenLifetimeSeconds: 600 })).toEqual(['[KL-TR-04] aws_iam_policy.p at m']);
    } finally {
      warn.mockRestore();
    }
  });

  describe('the same address in two stacks (prod and dev)', () => {
    const exemption = {
      ruleId: 'KL-AZ-01', resource: 'azuread_application_password.ci', justification: 'vendor bridge needs a secret until its OIDC release', owner: 'platform@example.com', expires: '2026-06-30',
    };
    const twoStacks = (props: KeylessGuardrailsProps) => {
      const app = Testing.app();
      entraStack(app, 'prod', { password: true });
      entraStack(app, 'dev', { password: true });
      KeylessTerraformGuardrails.enable(app, { now: '2026-03-01', ...props });
      return app;
    };

    test('an exemption by address alone is refused: synth fails naming the entry, the stacks and the rule', () => {
      const message = synthError(() => twoStacks({ exemptions: [exemption] }).synth());
      expect(message).toContain('KeylessTerraformGuardrails: invalid exemptions[0].resource "azuread_application_password.ci": KL-AZ-01 on azuread_application_password.ci '
        + 'matches a resource in 2 stacks (prod, dev); an exemption names one resource: add "stack" with the one it is for (e.g. "stack": "prod"), one entry per stack [rule exemption.ambiguous]');
    });

    test('with "stack", only that stack\'s secret is exempted', () => {
      const message = synthError(() => twoStacks({ exemptions: [{ ...exemption, stack: 'prod' }] }).synth());
      expect(message).toContain('[KL-AZ-01] azuread_application_password.ci at dev/ci');
      expect(message).not.toContain('at prod/ci');
      expect(message).not.toContain('exemption.ambiguous');
    });
  });

  test('warnings are printed on the console at synth, once each', () => {
    const printed = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const app = Testing.app();
      KeylessTerraformGuardrails.enable(entraStack(app, 'warn', { federated: true, providerSecret: true }));
      app.synth();
      expect(printed.mock.calls.map((c) => c.join(' '))).toEqual([
        expect.stringMatching(/^\[Warning at warn\/azuread\] \[KL-AZ-04\] provider\.azuread at warn\/azuread: provider\.azuread logs in with client_secret .* Fix: /),
      ]);
    } finally {
      printed.mockRestore();
    }
  });

  test('enable(app) before the stacks exist: a late stack\'s warning is printed too', () => {
    const printed = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const app = Testing.app();
      KeylessTerraformGuardrails.enable(app);
      entraStack(app, 'late', { federated: true, providerSecret: true });
      app.synth();
      expect(printed.mock.calls.map((c) => String(c[0]).slice(0, 56))).toEqual(['[Warning at late/azuread] [KL-AZ-04] provider.azuread at']);
    } finally {
      printed.mockRestore();
    }
  });

  test('enable(app) before the stacks exist: the App validation fails synth', () => {
    const app = Testing.app();
    KeylessTerraformGuardrails.enable(app);
    entraStack(app, 'fine', { federated: true });
    entraStack(app, 'late', { password: true });
    const message = synthError(() => app.synth());
    expect(message).toContain('App-level validation failed');
    expect(message).toContain('[KL-AZ-01] azuread_application_password.ci at late/ci');
    expect(readJson(path.join(app.outdir, 'keyless-report.json')).sources).toEqual(['stacks/fine/cdk.tf.json', 'stacks/late/cdk.tf.json']);
  });

  test('enable(app) after the stacks exist: each stack fails its own synthesis', () => {
    const app = Testing.app();
    entraStack(app, 'early', { password: true });
    KeylessTerraformGuardrails.enable(app);
    expect(synthError(() => app.synth())).toMatch(/^Validation failed with the following errors:\n\s+\[early\] \[KL-AZ-01\]/);
  });

  test('Testing.synth(stack, true) runs the guardrails; Testing.synth(stack) runs no validations', () => {
    const app = Testing.app();
    const stack = entraStack(app, 'unit', { password: true });
    KeylessTerraformGuardrails.enable(stack);
    expect(synthError(() => Testing.synth(stack, true))).toContain('[KL-AZ-01]');
    expect(() => Testing.synth(stack)).not.toThrow();
  });

  test('one report over every stack of the app', () => {
    const app = Testing.app();
    const a = entraStack(app, 'a', { federated: true });
    const b = entraStack(app, 'b', { providerSecret: true });
    const guardrails = new KeylessTerraformGuardrails({ writeReport: true });
    guardrails.visit(a);
    guardrails.visit(b);
    app.synth();
    const report = readJson(path.join(app.outdir, 'keyless-report.json'));
    expect(report.sources).toEqual(['stacks/a/cdk.tf.json', 'stacks/b/cdk.tf.json']);
    expect(report.findings.map((f: any) => `${f.ruleId} ${f.file}`)).toEqual(['KL-AZ-04 stacks/b/cdk.tf.json']);
  });

  test('writeReport: false writes nothing', () => {
    const app = Testing.app();
    KeylessTerraformGuardrails.enable(entraStack(app, 'x'), { writeReport: false });
    app.synth();
    expect(fs.existsSync(path.join(app.outdir, 'keyless-report.json'))).toBe(false);
  });

  test('props are validated with the aspect as the site', () => {
    let error: KeylessValidationError | undefined;
    try {
      new KeylessTerraformGuardrails({ exemptions: [{ ruleId: 'KL-AZ-01', resource: 'a.b', justification: 'x', owner: 'y', expires: '2026-01-01' }] } as KeylessGuardrailsProps);
    } catch (e) {
      error = e as KeylessValidationError;
    }
    expect(error).toBeInstanceOf(KeylessValidationError);
    expect(error!.message).toMatch(/^KeylessTerraformGuardrails: invalid exemptions\[0\]\.justification /);
  });
});

describe('deep values (issue 11: no depth crashes a reader)', () => {
  const deepList = (levels: number, inner: string) => `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;

  function roleStack(app: App, assumeRolePolicy: string): TerraformStack {
    const stack = new TerraformStack(app, 'deep');
    new TerraformResource(stack, 'r', { terraformResourceType: 'aws_iam_role' }).addOverride('assume_role_policy', assumeRolePolicy);
    return stack;
  }

  test('a jsonencode argument nested 100,000 levels deep fails synth naming the file and the resource', () => {
    const app = Testing.app();
    KeylessTerraformGuardrails.enable(roleStack(app, `\${jsonencode(${deepList(100_000, '')})}`), { writeReport: false });
    const message = synthError(() => app.synth());
    expect(message).toContain(`cdk-keyless could not check the synthesized Terraform of stack deep: ${path.join(app.outdir, 'stacks', 'deep', 'cdk.tf.json')}: nested deeper than 512 levels (aws_iam_role.r)`);
    expect(message).not.toMatch(/call stack/i);
  });

  test('a policy JSON string nested 100,000 levels deep: error findings fail synth', () => {
    const app = Testing.app();
    const policy = `{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", "Principal": {"Federated": ${deepList(100_000, '"x"')}}}]}`;
    KeylessTerraformGuardrails.enable(roleStack(app, policy), { writeReport: false });
    const message = synthError(() => app.synth());
    expect(message).toContain('[KL-TR-01] aws_iam_role.r at deep/r: aws_iam_role.r could not be checked by KL-TR-01 (the policy JSON is nested deeper than 512 levels)');
    expect(message).not.toMatch(/call stack/i);
  });
});
