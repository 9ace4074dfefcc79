import * as fs from 'fs';
import * as path from 'path';
import { normalizeCloudFormation } from '../../../lib/guardrails/normalize/cloudformation';
import { parseCloudFormationYaml } from '../../../lib/guardrails/normalize/cloudformation-yaml';
import { InputError } from '../../../lib/guardrails/normalize/input-error';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'inputs', 'cfn');
const text = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

describe('parseCloudFormationYaml', () => {
  test('a YAML template using every short tag parses to exactly the long-form JSON template', () => {
    expect(parseCloudFormationYaml(text('all-tags.yaml'), 'all-tags.yaml')).toEqual(JSON.parse(text('all-tags.json')));
  });

  test('YAML and JSON templates normalize to identical resources', () => {
    const fromYaml = normalizeCloudFormation(parseCloudFormationYaml(text('all-tags.yaml'), 't'), 't');
    const fromJson = normalizeCloudFormation(JSON.parse(text('all-tags.json')), 't');
    expect(fromYaml).toEqual(fromJson);
    expect(fromYaml.resources.map((r) => r.address)).toEqual(['Legacy', 'LegacyKey', 'Worker', 'WorkerRole', 'Included']);
  });

  test.each([
    ['!Ref X', { Ref: 'X' }],
    ['!Ref "AWS::Region"', { Ref: 'AWS::Region' }],
    ['!Condition IsProd', { Condition: 'IsProd' }],
    ['!GetAtt Role.Arn', { 'Fn::GetAtt': ['Role', 'Arn'] }],
    ['!GetAtt Db.Endpoint.Address', { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] }],
    ['!GetAtt [Role, Arn]', { 'Fn::GetAtt': ['Role', 'Arn'] }],
    ['!Sub "arn:${AWS::Partition}:s3:::b"', { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::b' }],
    ['!Sub ["${A}-x", {A: !Ref B}]', { 'Fn::Sub': ['${A}-x', { A: { Ref: 'B' } }] }],
    ['!Join ["", [a, !Ref B]]', { 'Fn::Join': ['', ['a', { Ref: 'B' }]] }],
    ['!If [C, a, !Ref "AWS::NoValue"]', { 'Fn::If': ['C', 'a', { Ref: 'AWS::NoValue' }] }],
    ['!Equals [a, b]', { 'Fn::Equals': ['a', 'b'] }],
    ['!Not [!Condition C]', { 'Fn::Not': [{ Condition: 'C' }] }],
    ['!And [!Condition A, !Condition B]', { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!Or [!Condition A, !Condition B]', { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!FindInMap [M, k, v]', { 'Fn::FindInMap': ['M', 'k', 'v'] }],
    ['!Select [1, [a, b]]', { 'Fn::Select': [1, ['a', 'b']] }],
    ['!Split [",", "a,b"]', { 'Fn::Split': [',', 'a,b'] }],
    ['!Base64 abc', { 'Fn::Base64': 'abc' }],
    ['!Base64 {"Fn::Sub": x}', { 'Fn::Base64': { 'Fn::Sub': 'x' } }],
    ['!Cidr [10.0.0.0/16, 4, 8]', { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] }],
    ['!GetAZs ""', { 'Fn::GetAZs': '' }],
    ['!GetAZs {Ref: "AWS::Region"}', { 'Fn::GetAZs': { Ref: 'AWS::Region' } }],
    ['!ImportValue shared', { 'Fn::ImportValue': 'shared' }],
    ['!ImportValue {"Fn::Sub": "${Env}-x"}', { 'Fn::ImportValue': { 'Fn::Sub': '${Env}-x' } }],
    ['!Transform {Name: "AWS::Include", Parameters: {Location: s3://b/k}}', { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } }],
    ['!ValueOf [Subnets, VpcId]', { 'Fn::ValueOf': ['Subnets', 'VpcId'] }], // in Rules assertions
    ['!EachMemberEquals [!ValueOfAll ["AWS::EC2::Subnet::Id", VpcId], !Ref VpcId]', { 'Fn::EachMemberEquals': [{ 'Fn::ValueOfAll': ['AWS::EC2::Subnet::Id', 'VpcId'] }, { Ref: 'VpcId' }] }],
    ['!EachMemberIn [!RefAll "AWS::EC2::VPC::Id", [vpc-1]]', { 'Fn::EachMemberIn': [{ 'Fn::RefAll': 'AWS::EC2::VPC::Id' }, ['vpc-1']] }],
    // Rain's directives, replaced by rain pkg before deploying, in the long form Rain's JSON templates use
    ['!Rain::Module ../modules/vpc.yml', { 'Rain::Module': '../modules/vpc.yml' }],
    ['!Rain::Embed scripts/user-data.sh', { 'Rain::Embed': 'scripts/user-data.sh' }],
    ['!Rain::S3 {Path: lambda/, Zip: true}', { 'Rain::S3': { Path: 'lambda/', Zip: true } }],
  ])('%s → long form', (yaml, expected) => {
    expect(parseCloudFormationYaml(`V: ${yaml}\n`, 't.yaml')).toEqual({ V: expected });
  });

  test.each([
    ['Type: !Mystery AWS::IAM::User', 'unknown YAML tag: !Mystery at line 3, column 11'],
    ['Type: AWS::IAM::AccessKey\n    Properties:\n      UserName: !Vault secret/ci', 'unknown YAML tag: !Vault at line 5, column 17'],
  ])('a tag the parser does not know (%s) is unusable input, not read as its plain text', (body, reason) => {
    let error: unknown;
    try {
      parseCloudFormationYaml(`Resources:\n  Deployer:\n    ${body}\n`, 't.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`t.yaml: ${reason} (CloudFormation's short forms are !Ref, !GetAtt, !Sub, !Join, ...)`);
  });

  test('block scalars under a tag keep their text', () => {
    expect(parseCloudFormationYaml('V: !Sub |\n  line ${A}\n  two\n', 't')).toEqual({ V: { 'Fn::Sub': 'line ${A}\ntwo\n' } });
  });

  test('dates and yes/no stay strings (YAML 1.2), as policy Version must', () => {
    expect(parseCloudFormationYaml('Version: 2012-10-17\nFlag: yes\n', 't')).toEqual({ Version: '2012-10-17', Flag: 'yes' });
  });

  test.each([
    ['Resources:\n  A:\n    Type: AWS::IAM::User\n   Properties: {}\n', /^bad\.yaml: malformed YAML: All mapping items must start at the same column at line 4, column 1$/],
    ['a: [1\n', /^bad\.yaml: malformed YAML: Flow sequence in block collection must be sufficiently indented and end with a \] at line 2, column 1$/],
    ['a: 1\na: 2\n', /^bad\.yaml: malformed YAML: Map keys must be unique at line 2, column 1$/],
  ])('malformed YAML is an InputError with one line naming file and position: %j', (yaml, message) => {
    let error: unknown;
    try {
      parseCloudFormationYaml(yaml, 'bad.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(message);
    expect((error as InputError).message).not.toContain('\n');
  });
});
