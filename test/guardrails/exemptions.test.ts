import { KeylessValidationError } from '../../lib/core/errors';
import {
  ambiguousExemptions, checkExemption, daysLeft, exemptionMatches, exemptionStatus, expiresSoon, inStack, parseDate, parseExemptionsFile,
  validateExemptions,
} from '../../lib/guardrails/exemptions';
import { Exemption, NormalizedResource, ResourceSet } from '../../lib/guardrails/model';
import { InputError } from '../../lib/guardrails/normalize/input-error';

const IDS = ['KL-AWS-01', 'KL-AZ-01', 'KL-SF-02'];
const valid: Exemption = {
  ruleId: 'KL-AWS-01',
  resource: 'CiUserKey',
  justification: 'Vendor X only supports access keys until their OIDC release in Q3',
  owner: 'platform-team@example.com',
  expires: '2026-03-31',
};

describe('checkExemption', () => {
  test('a complete entry has no problems', () => {
    expect(checkExemption(valid, IDS)).toEqual([]);
    expect(checkExemption({ ...valid, $comment: 'ticket SEC-123', '//': 'note' }, IDS)).toEqual([]);
  });

  test('every field is checked, each problem names property, value and rule', () => {
    expect(checkExemption({ ruleId: 'KL-NOPE', resource: '', justification: 'todo', owner: ' ', expires: '2026-02-30', expiry: 'x' }, IDS, 'exemptions[3]')).toEqual([
      { property: 'exemptions[3].expiry', value: 'x', rule: 'exemption.unknown-field', reason: 'unknown field; an exemption has ruleId, resource, justification, owner, expires (and optionally stack) (comments: keys starting with "$" or "//")' },
      { property: 'exemptions[3].ruleId', value: 'KL-NOPE', rule: 'exemption.rule-id', reason: 'must be a rule id of the catalog (KL-AWS-01, KL-AZ-01, KL-SF-02)' },
      { property: 'exemptions[3].resource', value: '', rule: 'exemption.resource', reason: 'must name one resource exactly: a CloudFormation logical id, a Terraform address (type.name) or a construct path, without wildcards or surrounding spaces' },
      { property: 'exemptions[3].justification', value: 'todo', rule: 'exemption.justification', reason: 'must say why the credential has to stay and until when, at least 20 characters' },
      { property: 'exemptions[3].owner', value: ' ', rule: 'exemption.owner', reason: 'must name the team or person who removes the credential (e.g. "data-platform@example.com")' },
      { property: 'exemptions[3].expires', value: '2026-02-30', rule: 'exemption.expires', reason: 'must be a real calendar date YYYY-MM-DD; the exemption lapses at the end of that day (UTC)' },
    ]);
  });

  test('missing fields and a non-object entry', () => {
    expect(checkExemption({}, IDS).map((p) => p.rule)).toEqual(['exemption.rule-id', 'exemption.resource', 'exemption.justification', 'exemption.owner', 'exemption.expires']);
    expect(checkExemption('KL-AWS-01', IDS)).toEqual([{ property: 'exemption', value: 'KL-AWS-01', rule: 'exemption.shape', reason: 'an exemption is an object with ruleId, resource, justification, owner, expires (and optionally stack)' }]);
  });

  test.each(['*', 'aws_iam_access_key.*', ' CiUserKey', 'Ci?serKey'])('resource %j is refused (no wildcards, exact names)', (resource) => {
    expect(checkExemption({ ...valid, resource }, IDS).map((p) => p.rule)).toEqual(['exemption.resource']);
  });

  test.each([
    'TODO: fill in the reason later please',
    'TBD once the migration plan exists',
    'placeholder placeholder placeholder',
    '<reason why this credential stays>',
    'Lorem ipsum dolor sit amet consectetur',
    'n/a for now, see the other ticket',
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    'short reason',
  ])('justification %j is refused', (justification) => {
    expect(checkExemption({ ...valid, justification }, IDS).map((p) => p.rule)).toEqual(['exemption.justification']);
  });

  test.each(['TODO', 'tbd', 'n/a', 'unknown', 'me', '-', '???', 'owner'])('owner %j is refused', (owner) => {
    expect(checkExemption({ ...valid, owner }, IDS).map((p) => p.rule)).toEqual(['exemption.owner']);
  });

  test('an owner with a display name and an address is accepted', () => {
    expect(checkExemption({ ...valid, owner: 'Data Platform <data-platform@example.com>' }, IDS)).toEqual([]);
  });

  test.each(['2026-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '26-01-01', '2026-1-1', '2026/01/01', '2026-01-01T00:00:00Z', ''])('expires %j is refused', (expires) => {
    expect(checkExemption({ ...valid, expires }, IDS).map((p) => p.rule)).toEqual(['exemption.expires']);
  });

  test('leap days and ends of months are real dates', () => {
    expect(parseDate('2028-02-29')).toBe(Date.UTC(2028, 1, 29));
    expect(parseDate('2026-12-31')).toBe(Date.UTC(2026, 11, 31));
    expect(parseDate('2027-02-29')).toBeUndefined();
  });
});

describe('validateExemptions (exemptions given in code)', () => {
  test('throws a KeylessValidationError naming construct path, property, value and rule', () => {
    let error: unknown;
    try {
      validateExemptions([valid, { ...valid, expires: '2026-02-30' }], { path: 'App/Stack', property: 'exemptions' }, IDS);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KeylessValidationError);
    expect((error as KeylessValidationError).message).toBe(
      'App/Stack: invalid exemptions[1].expires "2026-02-30": must be a real calendar date YYYY-MM-DD; the exemption lapses at the end of that day (UTC) [rule exemption.expires]',
    );
  });

  test('valid entries are returned', () => {
    expect(validateExemptions([valid], { property: 'exemptions' }, IDS)).toEqual([valid]);
  });
});

describe('parseExemptionsFile', () => {
  test('{"exemptions": [...]} and a bare array; comment keys are dropped', () => {
    expect(parseExemptionsFile(JSON.stringify({ $schema: 'x', exemptions: [{ ...valid, $comment: 'SEC-1' }] }), 'ex.json', IDS)).toEqual([valid]);
    expect(parseExemptionsFile(JSON.stringify([valid]), 'ex.json', IDS)).toEqual([valid]);
  });

  test('YAML for .yaml/.yml files, dates stay strings', () => {
    const yaml = `exemptions:\n  - ruleId: KL-AWS-01\n    resource: CiUserKey\n    justification: ${valid.justification}\n    owner: ${valid.owner}\n    expires: 2026-03-31\n`;
    expect(parseExemptionsFile(yaml, 'ex.yaml', IDS)).toEqual([valid]);
  });

  test.each([
    ['{"exemptions": [', 'ex.json: malformed JSON: Unexpected end of JSON input'],
    ['{"exemption": []}', 'ex.json: not an exemptions file: expected {"exemptions": [...]} or an array of exemptions'],
    ['{"exemptions": [], "extra": 1}', 'ex.json: unknown top-level field "extra"; expected {"exemptions": [...]}'],
    ['"KL-AWS-01"', 'ex.json: not an exemptions file: expected {"exemptions": [...]} or an array of exemptions'],
    [JSON.stringify([valid, { ...valid, ruleId: 'KL-AWS-9', owner: '' }]), 'ex.json: exemptions[1].ruleId "KL-AWS-9": must be a rule id of the catalog (KL-AWS-01, KL-AZ-01, KL-SF-02) [rule exemption.rule-id] (and 1 more problem)'],
    [JSON.stringify([{ ...valid, expires: undefined }]), 'ex.json: exemptions[0].expires (missing): must be a real calendar date YYYY-MM-DD; the exemption lapses at the end of that day (UTC) [rule exemption.expires]'],
    [JSON.stringify([valid, { ...valid, owner: 'sec@example.com' }]), 'ex.json: exemptions[1] repeats exemptions[0] (KL-AWS-01 on CiUserKey); keep one entry per rule and resource [rule exemption.duplicate]'],
  ])('%s → InputError', (text, message) => {
    let error: unknown;
    try {
      parseExemptionsFile(text, 'ex.json', IDS);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(message);
  });

  test('malformed YAML is an InputError', () => {
    expect(() => parseExemptionsFile('exemptions: [\n', 'ex.yml', IDS)).toThrow(/^ex\.yml: malformed YAML: /);
  });
});

describe('status with an injected clock', () => {
  test('active through the last millisecond of the expiry day (UTC), expired from the next', () => {
    expect(exemptionStatus(valid, new Date('2026-03-31T23:59:59.999Z'))).toBe('active');
    expect(exemptionStatus(valid, new Date('2026-04-01T00:00:00.000Z'))).toBe('expired');
    expect(exemptionStatus(valid, new Date('2020-01-01T00:00:00.000Z'))).toBe('active');
  });

  test('daysLeft counts UTC calendar days; expiresSoon is within 30 days and not expired', () => {
    expect(daysLeft(valid, new Date('2026-03-31T23:00:00Z'))).toBe(0);
    expect(daysLeft(valid, new Date('2026-03-30T00:00:01Z'))).toBe(1);
    expect(daysLeft(valid, new Date('2026-03-01T12:00:00Z'))).toBe(30);
    expect(daysLeft(valid, new Date('2026-04-01T00:00:00Z'))).toBe(-1);
    expect(expiresSoon(valid, new Date('2026-03-01T12:00:00Z'))).toBe(true);
    expect(expiresSoon(valid, new Date('2026-02-28T12:00:00Z'))).toBe(false);
    expect(expiresSoon(valid, new Date('2026-04-01T00:00:00Z'))).toBe(false);
    expect(expiresSoon(valid, new Date('2026-03-20T00:00:00Z'), 7)).toBe(false);
  });
});

describe('exemptionMatches', () => {
  const resource = { address: 'CiUserKey', constructPath: 'PipelineStack/CiUserKey/Resource' };
  test.each([
    ['CiUserKey', true],
    ['PipelineStack/CiUserKey/Resource', true],
    ['/PipelineStack/CiUserKey/Resource', true],
    ['PipelineStack/CiUserKey', true],
    ['PipelineStack', false],
    ['ciuserkey', false],
    ['CiUser', false],
  ])('resource %j → %s', (name, expected) => {
    expect(exemptionMatches({ ...valid, resource: name }, 'KL-AWS-01', resource)).toBe(expected);
  });

  test('the rule id must match too', () => {
    expect(exemptionMatches(valid, 'KL-AWS-02', resource)).toBe(false);
  });

  test('Terraform addresses and cdktf construct paths', () => {
    const tf = { address: 'azuread_application_password.etl', constructPath: 'entra/etl/password' };
    expect(exemptionMatches({ ...valid, ruleId: 'KL-AZ-01', resource: 'azuread_application_password.etl' }, 'KL-AZ-01', tf)).toBe(true);
    expect(exemptionMatches({ ...valid, ruleId: 'KL-AZ-01', resource: 'entra/etl/password' }, 'KL-AZ-01', tf)).toBe(true);
    expect(exemptionMatches({ ...valid, ruleId: 'KL-AZ-01', resource: 'entra/etl' }, 'KL-AZ-01', tf)).toBe(false);
  });
});

describe('exemption scope: "stack" and ambiguous entries', () => {
  const cfn = (file: string, ...resources: [string, string][]): ResourceSet => ({
    file,
    engine: 'cloudformation',
    resources: resources.map(([address, type]): NormalizedResource => ({ engine: 'cloudformation', kind: 'resource', type, address, properties: {}, file })),
  });
  const prod = cfn('cdk.out/Prod.template.json', ['CiUserKey', 'AWS::IAM::AccessKey'], ['Role', 'AWS::IAM::Role']);
  const dev = cfn('cdk.out/Dev.template.json', ['CiUserKey', 'AWS::IAM::AccessKey'], ['Role', 'AWS::IAM::Role']);
  const other = cfn('cdk.out/Other.template.json', ['OtherKey', 'AWS::IAM::AccessKey']);

  test('"stack" is optional; when given it is a non-empty name without wildcards or surrounding spaces', () => {
    expect(checkExemption({ ...valid, stack: 'Prod' }, IDS)).toEqual([]);
    for (const stack of ['', ' Prod', 'Pro*', 3]) {
      expect(checkExemption({ ...valid, stack }, IDS, 'exemptions[1]')).toEqual([{
        property: 'exemptions[1].stack', value: stack, rule: 'exemption.stack',
        reason: 'optional; names the one stack, template or configuration the resource is in: a stack name (Prod), a template or Terraform file, or its directory (envs/prod), a path or its trailing part, without wildcards',
      }]);
    }
  });

  test.each([
    ['Prod', 'cdk.out/Prod.template.json', true],
    ['Prod.template.json', 'cdk.out/Prod.template.json', true],
    ['cdk.out/Prod.template.json', '/abs/cdk.out/Prod.template.json', true],
    ['Prod', 'cdk.out/ProdX.template.json', false],
    ['prod', 'cdktf.out/stacks/prod/cdk.tf.json', true],
    ['envs/prod', 'infra/envs/prod', true],
    ['envs/prod/', 'infra/envs/prod/main.tf', true],
    ['prod', 'infra/envs/dev/main.tf', false],
    ['rod', 'infra/envs/prod/main.tf', false],
  ])('inStack(%j, %j) → %s', (stack, file, expected) => {
    expect(inStack(stack, file)).toBe(expected);
  });

  test('an exemption with "stack" covers only the resource in that stack', () => {
    const scoped = { ...valid, stack: 'Prod' };
    expect(exemptionMatches(scoped, 'KL-AWS-01', prod.resources[0])).toBe(true);
    expect(exemptionMatches(scoped, 'KL-AWS-01', dev.resources[0])).toBe(false);
  });

  test('an id held by one set stays valid; the same id in two sets without "stack" is refused, naming the stacks', () => {
    expect(ambiguousExemptions([valid], [prod, other])).toEqual([]);
    expect(ambiguousExemptions([{ ...valid, resource: 'OtherKey' }, valid], [prod, dev, other])).toEqual([{
      index: 1,
      exemption: valid,
      files: ['cdk.out/Prod.template.json', 'cdk.out/Dev.template.json'],
      reason: 'KL-AWS-01 on CiUserKey matches a resource in 2 stacks (Prod, Dev); an exemption names one resource: add "stack" with the one it is for (e.g. "stack": "Prod"), one entry per stack',
    }]);
    expect(ambiguousExemptions([{ ...valid, stack: 'Dev' }], [prod, dev])).toEqual([]);
  });

  test('only resources the rule looks at count: a KL-AWS-01 exemption on "Role" is not ambiguous', () => {
    expect(ambiguousExemptions([{ ...valid, resource: 'Role' }], [prod, dev])).toEqual([]);
  });

  test('an exemptions file may hold one entry per stack for the same id', () => {
    const text = JSON.stringify([{ ...valid, stack: 'Prod' }, { ...valid, stack: 'Dev' }]);
    expect(parseExemptionsFile(text, 'exemptions.json', IDS).map((e) => e.stack)).toEqual(['Prod', 'Dev']);
    expect(() => parseExemptionsFile(JSON.stringify([{ ...valid, stack: 'Prod' }, { ...valid, stack: 'Prod' }]), 'exemptions.json', IDS))
      .toThrow('exemptions.json: exemptions[1] repeats exemptions[0] (KL-AWS-01 on CiUserKey in stack Prod); keep one entry per rule and resource [rule exemption.duplicate]');
  });
});
