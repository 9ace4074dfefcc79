import * as fs from 'fs';
import * as path from 'path';
import { looksLikeCloudFormation, normalizeCloudFormation } from '../../../lib/guardrails/normalize/cloudformation';
import { InputError } from '../../../lib/guardrails/normalize/input-error';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'inputs', 'cfn');
const read = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));

describe('normalizeCloudFormation on a cdk synth template', () => {
  const template = read('pipeline-stack.template.json');
  const set = normalizeCloudFormation(template, 'cdk.out/PipelineStack.template.json');

  test('one resource per logical id, in template order, with type, construct path and file', () => {
    expect(set.file).toBe('cdk.out/PipelineStack.template.json');
    expect(set.engine).toBe('cloudformation');
    expect(set.resources.map((r) => [r.address, r.type, r.constructPath])).toEqual([
      ['CiUser5D8CD0C3', 'AWS::IAM::User', 'PipelineStack/CiUser/Resource'],
      ['CiUserKey', 'AWS::IAM::AccessKey', 'PipelineStack/CiUserKey'],
      ['GithubProvider', 'AWS::IAM::OIDCProvider', 'PipelineStack/GithubProvider/Resource'],
      ['DeployRole9CB5C9F3', 'AWS::IAM::Role', 'PipelineStack/DeployRole/Resource'],
      ['HandlerServiceRoleFCDC14AE', 'AWS::IAM::Role', 'PipelineStack/Handler/ServiceRole/Resource'],
      ['Handler886CB40B', 'AWS::Lambda::Function', 'PipelineStack/Handler/Resource'],
      ['CDKMetadata', 'AWS::CDK::Metadata', 'PipelineStack/CDKMetadata/Default'],
    ]);
    for (const r of set.resources) {
      expect(r).toMatchObject({ engine: 'cloudformation', kind: 'resource', file: 'cdk.out/PipelineStack.template.json' });
    }
  });

  test('properties are the Properties exactly, intrinsics kept in long form', () => {
    for (const r of set.resources) expect(r.properties).toEqual(template.Resources[r.address].Properties);
    expect(set.resources[1].properties).toEqual({ UserName: { Ref: 'CiUser5D8CD0C3' } });
    expect(set.resources[5].properties.Environment).toEqual({ Variables: { API_TOKEN: { Ref: 'ApiToken' }, STAGE: 'prod' } });
  });

  test('Metadata, Condition and DependsOn are not properties', () => {
    expect(set.resources[5].properties).not.toHaveProperty('DependsOn');
    expect(set.resources[6].properties).toEqual({ Analytics: expect.stringMatching(/^v2:deflate64:/) });
  });
});

describe('normalizeCloudFormation edge cases', () => {
  test('a resource without Properties gets {} and no construct path when there is no metadata', () => {
    const set = normalizeCloudFormation({ Resources: { U: { Type: 'AWS::IAM::User' } } }, 't.json');
    expect(set.resources).toEqual([{ engine: 'cloudformation', kind: 'resource', type: 'AWS::IAM::User', address: 'U', properties: {}, file: 't.json' }]);
  });

  test('construct paths from assembly metadata fill in, template metadata wins', () => {
    const set = normalizeCloudFormation({
      Resources: {
        A: { Type: 'AWS::IAM::User' },
        B: { Type: 'AWS::IAM::User', Metadata: { 'aws:cdk:path': 'S/FromTemplate/Resource' } },
      },
    }, 't.json', { constructPaths: new Map([['A', 'S/A/Resource'], ['B', 'S/FromManifest']]) });
    expect(set.resources.map((r) => r.constructPath)).toEqual(['S/A/Resource', 'S/FromTemplate/Resource']);
  });

  test('a stack with no resources (only Parameters/Rules, as CDK writes it) is an empty set', () => {
    expect(normalizeCloudFormation({ Parameters: { BootstrapVersion: { Type: 'String' } }, Rules: {} }, 'empty.json'))
      .toEqual({ file: 'empty.json', engine: 'cloudformation', resources: [], parameters: { BootstrapVersion: { Type: 'String' } } });
  });

  test.each([
    [[], 'x.json: not a CloudFormation template: expected a JSON/YAML object, got an array'],
    [null, 'x.json: not a CloudFormation template: expected a JSON/YAML object, got null'],
    ['Resources', 'x.json: not a CloudFormation template: expected a JSON/YAML object, got a string'],
    [{ name: 'pkg' }, 'x.json: not a CloudFormation template: no Resources section'],
    [{ Resources: [] }, 'x.json: not a CloudFormation template: Resources must be an object, got an array'],
    [{ Resources: { A: 'AWS::IAM::User' } }, 'x.json: Resources.A must be an object, got a string'],
    [{ Resources: { A: { Properties: {} } } }, 'x.json: Resources.A has no Type'],
    [{ Resources: { A: { Type: { 'Fn::Sub': 'AWS::${Service}::Role' } } } }, 'x.json: Resources.A.Type must be a resource type name (a string), got an object'],
    [{ Resources: { A: { Type: 7 } } }, 'x.json: Resources.A.Type must be a resource type name (a string), got a number'],
    [{ Resources: { A: { Type: 'AWS::IAM::User', Properties: [1] } } }, 'x.json: Resources.A.Properties must be an object, got an array'],
  ])('%j is rejected with an InputError naming the file and the reason', (doc, message) => {
    let error: unknown;
    try {
      normalizeCloudFormation(doc, 'x.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(message);
    expect((error as InputError).file).toBe('x.json');
  });

  test('a Rain module (Type: {"Rain::Module": path}, expanded by rain pkg before deploying) is a note, never a resource passed unread', () => {
    const set = normalizeCloudFormation({
      Resources: {
        Network: { Type: { 'Rain::Module': '../../modules/vpc.yml' }, Properties: { Name: 'gitea' } },
        DeployKey: { Type: 'AWS::IAM::AccessKey', Properties: { UserName: 'deployer' } },
      },
    }, 'gitea.json');
    expect(set.resources.map((r) => [r.address, r.type])).toEqual([['DeployKey', 'AWS::IAM::AccessKey']]);
    expect(set.notes).toEqual([
      'gitea.json: Resources.Network is a Rain module (../../modules/vpc.yml), which rain pkg expands into resources before the template is deployed: those are not checked (check the packaged template)',
    ]);
  });

  test('Properties: null is treated as no properties', () => {
    expect(normalizeCloudFormation({ Resources: { A: { Type: 'T', Properties: null } } }, 'x').resources[0].properties).toEqual({});
  });

  test('looksLikeCloudFormation tells templates from other JSON', () => {
    expect(looksLikeCloudFormation({ Resources: { A: { Type: 'AWS::IAM::User' } } })).toBe(true);
    expect(looksLikeCloudFormation({ AWSTemplateFormatVersion: '2010-09-09' })).toBe(true);
    expect(looksLikeCloudFormation({ Resources: { A: { Image: 'x' } } })).toBe(false);
    expect(looksLikeCloudFormation({ resource: {} })).toBe(false);
    expect(looksLikeCloudFormation([])).toBe(false);
  });
});

describe('normalizeCloudFormation dialects', () => {
  test('Fn::ForEach loops become the resources they create: ${Id} and &{Id} in logical ids, Ref and Fn::Sub in values, nested loops', () => {
    const set = normalizeCloudFormation({
      Transform: 'AWS::LanguageExtensions',
      Resources: {
        'Fn::ForEach::Topics': ['Topic', ['orders', 'us-east-1'], {
          'Fn::ForEach::Kinds': ['Kind', ['Fifo'], {
            '&{Topic}${Kind}': { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::Sub': '${Topic}-${Kind}-${AWS::Region}' }, DisplayName: { Ref: 'Topic' } } },
          }],
        }],
        Plain: { Type: 'AWS::SQS::Queue' },
      },
    }, 't.json');
    expect(set.resources.map((r) => [r.address, r.properties])).toEqual([
      ['ordersFifo', { TopicName: { 'Fn::Sub': 'orders-Fifo-${AWS::Region}' }, DisplayName: 'orders' }],
      ['useast1Fifo', { TopicName: { 'Fn::Sub': 'us-east-1-Fifo-${AWS::Region}' }, DisplayName: 'us-east-1' }],
      ['Plain', {}],
    ]);
    expect(set.notes).toBeUndefined();
  });

  test('a loop over a parameter is read once with its identifier unresolved, and says so; a malformed loop is refused', () => {
    const set = normalizeCloudFormation({
      Parameters: { Names: { Type: 'CommaDelimitedList' } },
      Resources: { 'Fn::ForEach::Queues': ['Name', { Ref: 'Names' }, { '${Name}Queue': { Type: 'AWS::SQS::Queue' } }] },
    }, 't.json');
    expect(set.resources.map((r) => r.address)).toEqual(['${Name}Queue']);
    expect(set.notes).toEqual([expect.stringMatching(/^t\.json: Resources\.Fn::ForEach::Queues loops over the parameter Names, not a literal list: .*with Name unresolved/)]);
    expect(() => normalizeCloudFormation({ Resources: { 'Fn::ForEach::Bad': ['Name', ['a']] } }, 't.json'))
      .toThrow('t.json: Resources.Fn::ForEach::Bad must be [Identifier, Collection, {OutputKey: OutputValue}], got an array');
  });

  test('a loop inside Properties expands into the map that holds it (only under the AWS::LanguageExtensions transform)', () => {
    const template = (transform: unknown) => ({
      Transform: transform,
      Resources: {
        F: {
          Type: 'AWS::Lambda::Function',
          Properties: { Environment: { Variables: { STAGE: 'prod', 'Fn::ForEach::Vendors': ['Vendor', ['STRIPE', 'OPENAI'], { '${Vendor}_URL': { 'Fn::Sub': 'https://${Vendor}.example' } }] } } },
        },
      },
    });
    expect(normalizeCloudFormation(template(['AWS::LanguageExtensions', 'AWS::Serverless-2016-10-31']), 't.json').resources[0].properties)
      .toEqual({ Environment: { Variables: { STAGE: 'prod', STRIPE_URL: { 'Fn::Sub': 'https://STRIPE.example' }, OPENAI_URL: { 'Fn::Sub': 'https://OPENAI.example' } } } });
    expect(normalizeCloudFormation(template(undefined), 't.json').resources[0].properties).toEqual(template(undefined).Resources.F.Properties);
  });

  test('SAM Globals.Function merges into each AWS::Serverless::Function: maps merged, the function wins, lists appended', () => {
    const set = normalizeCloudFormation({
      Transform: 'AWS::Serverless-2016-10-31',
      Globals: { Function: { Runtime: 'python3.12', Layers: ['arn:layer:a'], Environment: { Variables: { A: 'global', B: 'global' } } } },
      Resources: {
        F: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'python3.13', Layers: ['arn:layer:b'], Environment: { Variables: { B: 'own' } } } },
        Q: { Type: 'AWS::SQS::Queue' },
      },
    }, 't.json');
    expect(set.resources[0].properties).toEqual({ Runtime: 'python3.13', Layers: ['arn:layer:a', 'arn:layer:b'], Environment: { Variables: { A: 'global', B: 'own' } } });
    expect(set.resources[1].properties).toEqual({});
  });

  describe('SAM IgnoreGlobals: a function inherits what it does not leave out', () => {
    const sam = (fn: Record<string, unknown>) => ({
      Transform: 'AWS::Serverless-2016-10-31',
      Globals: { Function: { Runtime: 'python3.12', Environment: { Variables: { DB_PASSWORD: 'from-globals' } } } },
      Resources: { F: { Type: 'AWS::Serverless::Function', Properties: { Handler: 'app.handler' }, ...fn } },
    });

    test('"*" inherits nothing; a list drops the properties it names and keeps the rest', () => {
      expect(normalizeCloudFormation(sam({ IgnoreGlobals: '*' }), 't.json').resources[0].properties).toEqual({ Handler: 'app.handler' });
      expect(normalizeCloudFormation(sam({ IgnoreGlobals: ['Environment'] }), 't.json').resources[0].properties).toEqual({ Handler: 'app.handler', Runtime: 'python3.12' });
      expect(normalizeCloudFormation(sam({ IgnoreGlobals: [] }), 't.json').resources[0].properties)
        .toEqual({ Handler: 'app.handler', Runtime: 'python3.12', Environment: { Variables: { DB_PASSWORD: 'from-globals' } } });
    });

    test('the Globals section itself is left as written for the next function', () => {
      const template = sam({ IgnoreGlobals: ['Environment'] });
      (template.Resources as Record<string, unknown>).G = { Type: 'AWS::Serverless::Function', Properties: {} };
      const [, g] = normalizeCloudFormation(template, 't.json').resources;
      expect(g.properties).toEqual({ Runtime: 'python3.12', Environment: { Variables: { DB_PASSWORD: 'from-globals' } } });
    });

    test.each([
      ['a string other than "*"', 'Environment', 'must be "*" or a list of Globals.Function property names, got "Environment"'],
      ['a list holding a non-string', ['Environment', 3], 'must be "*" or a list of Globals.Function property names, got ["Environment",3]'],
      ['an intrinsic', { Ref: 'Ignored' }, 'must be "*" or a list of Globals.Function property names, got {"Ref":"Ignored"}'],
      ['a property Globals.Function does not set', ['Layers'], 'lists "Layers", which Globals.Function does not set'],
    ])('%s is refused as the SAM transform refuses it, naming the attribute', (_, ignore, reason) => {
      let error: unknown;
      try {
        normalizeCloudFormation(sam({ IgnoreGlobals: ignore }), 'sam/template.json');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toBe(`sam/template.json: Resources.F.IgnoreGlobals ${reason} (the SAM transform refuses it)`);
    });

    test('without Globals, IgnoreGlobals changes nothing (SAM has nothing to leave out)', () => {
      const template = { Transform: 'AWS::Serverless-2016-10-31', Resources: { F: { Type: 'AWS::Serverless::Function', IgnoreGlobals: '*', Properties: { Handler: 'h' } } } };
      expect(normalizeCloudFormation(template, 't.json').resources[0].properties).toEqual({ Handler: 'h' });
    });
  });
});
