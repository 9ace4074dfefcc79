import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, NestedStack, Stack, Stage, Validations, aws_iam as iam } from 'aws-cdk-lib';
import { KeylessValidationError } from '../../../lib/core/errors';
import { KeylessGuardrails, KeylessGuardrailsProps } from '../../../lib/guardrails';

// The built-in CloudFormation validation costs ~12 s on the first synth of a process; it is not what we test.
function newApp(): App {
  return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-cdk-')), builtinCloudFormationValidation: false });
}

function synthError(app: App): string {
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected synth to fail');
}

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** A validation report entry of our plugin, from cdk.out/validation-report.json. */
function keylessViolations(app: App): any[] {
  const report = readJson(path.join(app.outdir, 'validation-report.json'));
  const ours = report.pluginReports.find((r: any) => r.pluginName === 'cdk-keyless');
  return ours ? ours.violations : [];
}

const MINT = (extra: Record<string, unknown> = {}) => new iam.PolicyStatement({
  actions: ['sts:GetWebIdentityToken'],
  resources: ['*'],
  conditions: {
    'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['snowflakecomputing.com'] },
    'Null': { 'sts:IdentityTokenAudience': 'false' },
    'StringEquals': { 'sts:SigningAlgorithm': 'ES384' },
    ...extra,
  },
});

function leakyApp(props: KeylessGuardrailsProps = {}): App {
  const app = newApp();
  Validations.of(app).addPlugins(new KeylessGuardrails({ now: '2026-03-01', ...props }));
  const stack = new Stack(app, 'Top');
  const user = new iam.User(stack, 'Ci');
  new iam.CfnAccessKey(stack, 'Key', { userName: user.userName });
  return app;
}

// CDK prints the validation report of a passing synth with warnings on stderr; keep the test output readable.
beforeAll(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
afterAll(() => jest.restoreAllMocks());

describe('KeylessGuardrails (aws-cdk-lib policy validation plugin)', () => {
  test('a violating app fails synth naming the rule id, the resource path and the fix', () => {
    const message = synthError(leakyApp());
    expect(message).toContain('KL-AWS-01');
    expect(message).toContain('Top/Key');
    expect(message).toContain('IAM access key Key');
    expect(message).toContain('Delete the access key.');
    expect(message).toContain('(cdk-keyless)');
  });

  test('the validation report carries rule name, fix, severity, logical id, template and construct path', () => {
    const app = leakyApp();
    synthError(app);
    const [violation] = keylessViolations(app);
    expect(violation).toMatchObject({
      ruleName: 'KL-AWS-01',
      severity: 'fatal',
      suggestedFix: expect.stringContaining('Delete the access key.'),
      ruleMetadata: { resourceType: 'AWS::IAM::AccessKey', identity: expect.stringMatching(/^Ci/) },
      violatingConstructs: [{
        constructPath: 'Top/Key',
        cloudFormationResource: { templatePath: 'Top.template.json', logicalId: 'Key', propertyPaths: ['Type'] },
      }],
    });
  });

  test('a clean app passes and the inventory report is written next to the assembly', () => {
    const app = newApp();
    const plugin = KeylessGuardrails.enable(app, { now: '2026-03-01' });
    const stack = new Stack(app, 'Clean');
    const role = new iam.Role(stack, 'Workload', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(MINT({ NumericLessThanEquals: { 'sts:DurationSeconds': 900 } }));
    expect(() => app.synth()).not.toThrow();
    expect(plugin.reportFile).toBe(path.join(app.outdir, 'keyless-report.json'));
    const report = readJson(path.join(app.outdir, 'keyless-report.json'));
    expect(report.summary).toMatchObject({ files: 1, errors: 0, warnings: 0, credentials: 0 });
    expect(report.sources).toEqual(['Clean.template.json']);
    expect(report.identities.map((t: any) => [t.targetKind, t.audience])).toEqual([['snowflake', 'snowflakecomputing.com']]);
    expect(fs.readFileSync(path.join(app.outdir, 'keyless-report.md'), 'utf8')).toContain('# Keyless inventory report');
  });

  test('warnings are reported but do not fail synth', () => {
    const app = newApp();
    KeylessGuardrails.enable(app);
    const stack = new Stack(app, 'Warn');
    const role = new iam.Role(stack, 'Workload', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(MINT()); // no sts:DurationSeconds bound: KL-TR-04 (warning)
    expect(() => app.synth()).not.toThrow();
    const violations = keylessViolations(app);
    expect(violations.map((v) => [v.ruleName, v.severity])).toEqual([['KL-TR-04', 'warning']]);
    expect(violations[0].violatingConstructs[0].cloudFormationResource.propertyPaths).toEqual(['Properties/PolicyDocument']);
  });

  test('maxTokenLifetimeSeconds lowers the KL-TR-04 bound', () => {
    const build = (max?: number) => {
      const app = newApp();
      KeylessGuardrails.enable(app, max === undefined ? {} : { maxTokenLifetimeSeconds: max });
      const role = new iam.Role(new Stack(app, 'S'), 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      role.addToPolicy(MINT({ NumericLessThanEquals: { 'sts:DurationSeconds': 900 } }));
      app.synth();
      return keylessViolations(app).map((v) => v.ruleName);
    };
    expect(build()).toEqual([]);
    expect(build(600)).toEqual(['KL-TR-04']);
  });

  test('nested stack templates are checked (CDK does not list them in templatePaths)', () => {
    const app = newApp();
    KeylessGuardrails.enable(app);
    const nested = new NestedStack(new Stack(app, 'Parent'), 'Child');
    new iam.CfnAccessKey(nested, 'NestedKey', { userName: 'bob' });
    const message = synthError(app);
    expect(message).toContain('KL-AWS-01');
    expect(message).toContain('Parent/Child/NestedKey');
  });

  test('stacks inside a nested Stage are checked by a plugin on the App', () => {
    const app = newApp();
    KeylessGuardrails.enable(app);
    new Stack(app, 'Fine');
    const stage = new Stage(app, 'Prod');
    new iam.CfnAccessKey(new Stack(stage, 'Inner'), 'StageKey', { userName: 'alice' });
    const message = synthError(app);
    expect(message).toContain('Prod/Inner/StageKey');
  });

  test('a plugin registered on a Stage checks that Stage', () => {
    const app = newApp();
    const stage = new Stage(app, 'Team');
    KeylessGuardrails.enable(stage);
    new iam.CfnAccessKey(new Stack(stage, 'S'), 'TeamKey', { userName: 'carol' });
    expect(synthError(app)).toContain('Team/S/TeamKey');
  });

  describe('exemptions', () => {
    const exemption = {
      ruleId: 'KL-AWS-01',
      resource: 'Top/Key',
      justification: 'legacy deploy tool cannot assume roles until the Q2 migration',
      owner: 'platform@example.com',
      expires: '2026-06-30',
    };

    test('an active exemption (by construct path) lets synth pass and shows in the report', () => {
      const app = leakyApp({ exemptions: [exemption] });
      expect(() => app.synth()).not.toThrow();
      const [violation] = keylessViolations(app);
      expect(violation).toMatchObject({ ruleName: 'KL-AWS-01', severity: 'warning', ruleMetadata: { exemption: 'active', exemptionOwner: 'platform@example.com', exemptionExpires: '2026-06-30' } });
      const report = readJson(path.join(app.outdir, 'keyless-report.json'));
      expect(report.findings[0].exemption).toMatchObject({ status: 'active', expires: '2026-06-30', daysLeft: 121 });
    });

    test('an exemption by logical id works too', () => {
      expect(() => leakyApp({ exemptions: [{ ...exemption, resource: 'Key' }] }).synth()).not.toThrow();
    });

    test('an expired exemption fails synth and says so', () => {
      const message = synthError(leakyApp({ exemptions: [exemption], now: '2026-07-01' }));
      expect(message).toContain('KL-AWS-01');
      expect(message).toContain('The exemption expired on 2026-06-30');
    });

    describe('the same logical id in two stacks (prod and dev)', () => {
      function twoStacks(props: KeylessGuardrailsProps): App {
        const app = newApp();
        Validations.of(app).addPlugins(new KeylessGuardrails({ now: '2026-03-01', ...props }));
        for (const id of ['Prod', 'Dev']) {
          const stack = new Stack(app, id);
          new iam.CfnAccessKey(stack, 'Key', { userName: new iam.User(stack, 'Ci').userName });
        }
        return app;
      }

      test('an exemption by logical id alone is refused: synth fails naming the entry, the stacks and the rule', () => {
        const message = synthError(twoStacks({ exemptions: [{ ...exemption, resource: 'Key' }] }));
        expect(message).toContain('KeylessGuardrails: invalid exemptions[0].resource "Key": KL-AWS-01 on Key matches a resource in 2 stacks (Dev, Prod); '
          + 'an exemption names one resource: add "stack" with the one it is for (e.g. "stack": "Dev"), one entry per stack [rule exemption.ambiguous]');
        expect(message).toContain("Validation plugin 'cdk-keyless' failed");
      });

      test('from a file, the error names the file and its entry', () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-ex-')), 'exemptions.json');
        fs.writeFileSync(file, JSON.stringify({ exemptions: [{ ...exemption, resource: 'Key' }] }));
        expect(synthError(twoStacks({ exemptionsFile: file }))).toContain(`KeylessGuardrails: invalid exemptionsFile ${file}: exemptions[0].resource "Key": KL-AWS-01 on Key matches a resource in 2 stacks`);
      });

      test('with "stack", only that stack\'s key is exempted; a construct path needs no "stack"', () => {
        const app = twoStacks({ exemptions: [{ ...exemption, resource: 'Key', stack: 'Prod' }] });
        synthError(app);
        expect(keylessViolations(app).map((v) => [v.violatingConstructs[0].constructPath, v.severity])).toEqual([['Dev/Key', 'fatal'], ['Prod/Key', 'warning']]);
        expect(() => twoStacks({ exemptions: [{ ...exemption, resource: 'Prod/Key' }, { ...exemption, resource: 'Dev/Key' }] }).synth()).not.toThrow();
      });
    });

    test('exemptions from a file (the same file keyless check reads)', () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-ex-')), 'exemptions.json');
      fs.writeFileSync(file, JSON.stringify({ exemptions: [exemption] }));
      expect(() => leakyApp({ exemptionsFile: file }).synth()).not.toThrow();
    });

    test('Validations.acknowledge cannot silence a keyless error', () => {
      const app = leakyApp();
      Validations.of(app.node.findChild('Top')).acknowledge({ id: 'cdk-keyless::KL-AWS-01', reason: 'we promise' });
      const message = synthError(app);
      expect(message).toContain('KL-AWS-01');
      expect(message).toContain('Validations.acknowledge() at "Top" cannot silence a keyless error');
      expect(keylessViolations(app).map((v) => [v.ruleName, v.severity])).toEqual([['KL-AWS-01', 'fatal']]);
    });

    test('an error is reported as fatal (the CDK CLI prints no "Acknowledge with" hint for it) and says how to exempt instead', () => {
      const app = leakyApp();
      synthError(app);
      const [violation] = keylessViolations(app);
      // The CDK CLI prints "Acknowledge with 'cdk-keyless::KL-AWS-01'" under every violation that is not fatal;
      // acknowledging a keyless error never works, so none may be reported as a plain error.
      expect(violation.severity).toBe('fatal');
      expect(violation.description).toMatch(/\(Validations\.acknowledge\(\) cannot silence a keyless error; to let it stand for a while, add an exemption \{ ruleId, resource, justification, owner, expires \} to KeylessGuardrails \(exemptions or exemptionsFile\)\.\)$/);
    });

    test('an expired exemption: fatal, and the message says to renew it (no second hint)', () => {
      const app = leakyApp({ exemptions: [{ ruleId: 'KL-AWS-01', resource: 'Top/Key', justification: 'Vendor bridge needs a key until its OIDC release', owner: 'platform@example.com', expires: '2026-02-01' }] });
      synthError(app);
      const [violation] = keylessViolations(app);
      expect(violation.severity).toBe('fatal');
      expect(violation.description).toContain('The exemption expired on 2026-02-01');
      expect(violation.description).not.toContain('Validations.acknowledge()');
    });

    test('Validations.acknowledge may silence a warning', () => {
      const app = newApp();
      KeylessGuardrails.enable(app);
      const stack = new Stack(app, 'Warn');
      new iam.Role(stack, 'Workload', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }).addToPolicy(MINT());
      Validations.of(stack).acknowledge({ id: 'cdk-keyless::KL-TR-04', reason: 'lifetime reviewed' });
      expect(() => app.synth()).not.toThrow();
      const ours = readJson(path.join(app.outdir, 'validation-report.json')).pluginReports.find((r: any) => r.pluginName === 'cdk-keyless');
      expect(ours.violations).toEqual([]);
      expect(ours.suppressedViolations.map((v: any) => [v.ruleName, v.acknowledgedId, v.reason])).toEqual([['KL-TR-04', 'cdk-keyless::KL-TR-04', 'lifetime reviewed']]);
    });
  });

  describe('report options', () => {
    test('writeReport: false writes nothing', () => {
      const app = newApp();
      const plugin = KeylessGuardrails.enable(app, { writeReport: false });
      new Stack(app, 'S');
      app.synth();
      expect(fs.existsSync(path.join(app.outdir, 'keyless-report.json'))).toBe(false);
      expect(plugin.reportFile).toBeUndefined();
    });

    test('reportDirectory moves the report', () => {
      const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-rd-')), 'reports');
      const app = newApp();
      KeylessGuardrails.enable(app, { reportDirectory: dir });
      new Stack(app, 'S');
      app.synth();
      expect(fs.existsSync(path.join(dir, 'keyless-report.json'))).toBe(true);
      expect(fs.existsSync(path.join(app.outdir, 'keyless-report.json'))).toBe(false);
    });

    test('the failing run still writes the report', () => {
      const app = leakyApp();
      synthError(app);
      const report = readJson(path.join(app.outdir, 'keyless-report.json'));
      expect(report.findings.map((f: any) => [f.ruleId, f.resource, f.constructPath])).toEqual([['KL-AWS-01', 'Key', 'Top/Key']]);
    });
  });

  describe('props are validated when the plugin is created', () => {
    const error = (props: KeylessGuardrailsProps): KeylessValidationError => {
      try {
        new KeylessGuardrails(props);
      } catch (e) {
        return e as KeylessValidationError;
      }
      throw new Error('expected an error');
    };
    const good = { ruleId: 'KL-AWS-01', resource: 'Top/Key', justification: 'legacy deploy tool until the Q2 migration', owner: 'platform@example.com', expires: '2026-06-30' };

    test.each([
      [{ exemptions: [{ ...good, expires: '2026-02-30' }] }, 'exemptions[0].expires', 'exemption.expires'],
      [{ exemptions: [good, { ...good, ruleId: 'KL-NOPE' }] }, 'exemptions[1].ruleId', 'exemption.rule-id'],
      [{ exemptions: [{ ...good, justification: 'TODO' }] }, 'exemptions[0].justification', 'exemption.justification'],
      [{ exemptions: [{ ...good, resource: 'Top/*' }] }, 'exemptions[0].resource', 'exemption.resource'],
      [{ now: 'yesterday' }, 'now', 'guardrails.now'],
      [{ maxTokenLifetimeSeconds: 7200 }, 'maxTokenLifetimeSeconds', 'lifetime.range'],
      [{ exemptionsFile: '/nonexistent/exemptions.json' }, 'exemptionsFile', 'exemption.file'],
    ] as Array<[KeylessGuardrailsProps, string, string]>)('%j -> %s [%s]', (props, property, rule) => {
      const e = error(props);
      expect(e).toBeInstanceOf(KeylessValidationError);
      expect(e.path).toBe('KeylessGuardrails');
      expect(e.property).toBe(property);
      expect(e.rule).toBe(rule);
      expect(e.message).toMatch(new RegExp(`^KeylessGuardrails: invalid ${property.replace(/[[\]]/g, '\\$&')} `));
    });

    test('the same exemption in props and file is refused', () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-ex-')), 'exemptions.yaml');
      fs.writeFileSync(file, `exemptions:\n  - ruleId: KL-AWS-01\n    resource: Top/Key\n    justification: legacy deploy tool until the Q2 migration\n    owner: platform@example.com\n    expires: "2026-06-30"\n`);
      expect(error({ exemptions: [good], exemptionsFile: file }).rule).toBe('exemption.duplicate');
    });

    test('a malformed exemptions file names the file and the problem', () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-ex-')), 'exemptions.json');
      fs.writeFileSync(file, '{"exemptions": [');
      const e = error({ exemptionsFile: file });
      expect(e.rule).toBe('exemption.file');
      expect(e.reason).toMatch(/^malformed JSON/);
    });
  });

  test('plugin identity: name, version and the catalog rule ids', () => {
    const plugin = new KeylessGuardrails();
    expect(plugin.name).toBe('cdk-keyless');
    expect(plugin.version).toBe('0.1.0');
    expect(plugin.ruleIds).toContain('KL-AWS-01');
    expect(plugin.ruleIds).toContain('KL-TR-05');
  });
});

describe('confirmValidationPluginsDoNotMutate', () => {
  test('a report from an earlier synth into the same directory is left alone (and synth does not fail for it)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-mutate-'));
    const synth = () => {
      const app = new App({ outdir, builtinCloudFormationValidation: false, confirmValidationPluginsDoNotMutate: true });
      const plugin = KeylessGuardrails.enable(app, { now: '2026-03-01' });
      new Stack(app, 'S');
      app.synth();
      return plugin;
    };
    expect(synth().reportFile).toBe(path.join(outdir, 'keyless-report.json'));
    const first = fs.readFileSync(path.join(outdir, 'keyless-report.json'), 'utf8');
    let second: KeylessGuardrails | undefined;
    expect(() => { second = synth(); }).not.toThrow();
    expect(second!.reportFile).toBeUndefined();
    expect(fs.readFileSync(path.join(outdir, 'keyless-report.json'), 'utf8')).toBe(first);
  });
});

describe('deep values (issue 11: no depth crashes a reader)', () => {
  const deepList = (levels: number, inner: string) => `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;

  test('JSON nested 100,000 levels deep inside a template value: an error finding fails synth, no stack overflow', () => {
    // CDK itself refuses deep object trees when it resolves a stack; a string passes through to the template.
    const app = newApp();
    Validations.of(app).addPlugins(new KeylessGuardrails({ writeReport: false }));
    const stack = new Stack(app, 'Deep');
    const role = new iam.CfnRole(stack, 'R', { assumeRolePolicyDocument: {} });
    role.addPropertyOverride('AssumeRolePolicyDocument',
      `{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", "Principal": {"Federated": ${deepList(100_000, '"x"')}}}]}`);
    const message = synthError(app);
    expect(message).toContain('FATAL R could not be checked by KL-TR-01 (the policy JSON is nested deeper than 512 levels)');
    expect(message).not.toMatch(/call stack/i);
    expect(keylessViolations(app).map((v) => [v.ruleName, v.description.replace(/; treated as .*$/, '')])).toEqual([
      ['KL-TR-01', 'R could not be checked by KL-TR-01 (the policy JSON is nested deeper than 512 levels)'],
      ['KL-TR-02', 'R could not be checked by KL-TR-02 (the policy JSON is nested deeper than 512 levels)'],
    ]);
  });

  test('a template file nested 100,000 levels deep handed to the plugin is refused naming the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-cdk-'));
    const file = path.join(dir, 'Deep.template.json');
    fs.writeFileSync(file, `{"Resources": {"U": {"Type": "AWS::IAM::User", "Properties": {"Tags": ${deepList(100_000, '')}}}}}`);
    expect(() => new KeylessGuardrails({ writeReport: false }).validate({ templatePaths: [file] } as any))
      .toThrow(new Error(`${file}: nested deeper than 512 levels`));
  });
});

describe('KeylessGuardrails: the federation graph over the cloud assembly', () => {
  test('the roles get their ARN from the stack environment; with no relying party in a CDK app, a note says that side was not checked', () => {
    const app = newApp();
    KeylessGuardrails.enable(app, { now: '2026-03-01' });
    const stack = new Stack(app, 'Workloads', { env: { account: '111122223333', region: 'eu-west-1' } });
    const role = new iam.Role(stack, 'Etl', { roleName: 'orders-etl', path: '/workloads/', assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(MINT({ NumericLessThanEquals: { 'sts:DurationSeconds': 300 } }));
    const agnostic = new Stack(app, 'Agnostic');
    new iam.Role(agnostic, 'Other', { roleName: 'other', assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }).addToPolicy(MINT());
    expect(() => app.synth()).not.toThrow();
    const report = readJson(path.join(app.outdir, 'keyless-report.json'));
    expect(report.notes).toEqual(expect.arrayContaining([
      'no trust for audience "snowflakecomputing.com" is among the inputs (minted by arn:aws:iam::111122223333:role/workloads/orders-etl): that side of the federation was not checked',
      expect.stringMatching(/Other[0-9A-F]{8} may mint tokens, but its ARN is not known before deployment \(its stack or configuration has no known account\)/),
    ]));
    expect(keylessViolations(app).filter((v: any) => v.ruleName.startsWith('KL-FED-'))).toEqual([]);
  });
});
