import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { InputError, loadPath, loadTemplateFile } from '../../../lib/guardrails/normalize/load';

const INPUTS = path.join(__dirname, '..', '..', 'fixtures', 'inputs');
const at = (...parts: string[]) => path.join(INPUTS, ...parts);

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-load-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function inputError(p: string): Promise<InputError> {
  const error = await loadPath(p).then(() => undefined, (e) => e);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('cdk.out (cloud assembly)', () => {
  test('stack templates, nested stack templates and nested stage assemblies, one set each', async () => {
    const sets = await loadPath(at('synth-cdk'));
    expect(sets.map((s) => [path.relative(INPUTS, s.file), s.engine, s.resources.map((r) => r.address)])).toEqual([
      ['synth-cdk/Top.template.json', 'cloudformation', ['CiA080E7EE', 'Key', 'InnerNestedStackInnerNestedStackResource745E041B']],
      ['synth-cdk/TopInnerB4E0D425.nested.template.json', 'cloudformation', ['Legacy']],
      ['synth-cdk/assembly-Prod/ProdEtl1B21DACD.template.json', 'cloudformation', ['R1E9DB5A6']],
    ]);
  });

  test('construct paths: template metadata, else the metadata file, else inline manifest metadata', async () => {
    const sets = await loadPath(at('synth-cdk'));
    expect(sets.flatMap((s) => s.resources.map((r) => [r.address, r.constructPath]))).toEqual([
      ['CiA080E7EE', 'Top/Ci/Resource'],
      ['Key', 'Top/Key'],
      ['InnerNestedStackInnerNestedStackResource745E041B', 'Top/Inner.NestedStack/Inner.NestedStackResource'],
      ['Legacy', 'Top/Inner/Legacy'],
      ['R1E9DB5A6', 'Prod/Etl/R/Resource'],
    ]);
  });

  test('asset directories, tree.json and asset manifests are not read as templates', async () => {
    const files = (await loadPath(at('synth-cdk'))).map((s) => path.basename(s.file));
    expect(files).not.toContain('fixture.template.json');
    expect(files).not.toContain('tree.json');
    expect(files).not.toContain('Top.assets.json');
  });

  test('a template listed in the manifest but missing is unusable input', async () => {
    fs.writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts: { S: { type: 'aws:cloudformation:stack', properties: { templateFile: 'S.template.json' } } } }));
    const error = await inputError(tmp);
    expect(error.message).toBe(`${path.join(tmp, 'S.template.json')}: listed in manifest.json but missing`);
  });

  test('a stack artifact without templateFile, and a broken manifest, are unusable input', async () => {
    fs.writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify({ artifacts: { S: { type: 'aws:cloudformation:stack', properties: {} } } }));
    expect((await inputError(tmp)).message).toBe(`${path.join(tmp, 'manifest.json')}: artifact S has no templateFile`);
    fs.writeFileSync(path.join(tmp, 'manifest.json'), '{"artifacts": ');
    fs.writeFileSync(path.join(tmp, 'cdk.out'), '{"version":"55.0.0"}');
    expect((await inputError(tmp)).message).toMatch(/manifest\.json: malformed JSON: Unexpected end of JSON input$/);
  });

  test('a manifest-less directory of synthesized templates falls back to *.template.json', async () => {
    fs.copyFileSync(at('synth-cdk', 'Top.template.json'), path.join(tmp, 'Top.template.json'));
    fs.copyFileSync(at('synth-cdk', 'TopInnerB4E0D425.nested.template.json'), path.join(tmp, 'TopInnerB4E0D425.nested.template.json'));
    const sets = await loadPath(tmp);
    expect(sets.map((s) => path.basename(s.file))).toEqual(['Top.template.json', 'TopInnerB4E0D425.nested.template.json']);
  });
});

describe('cdktf.out', () => {
  test('one set per stack from manifest.json, with construct paths', async () => {
    const sets = await loadPath(at('synth-cdktf'));
    expect(sets.map((s) => [path.relative(INPUTS, s.file), s.engine, s.resources.length])).toEqual([
      ['synth-cdktf/stacks/etl/cdk.tf.json', 'terraform', 7],
      ['synth-cdktf/stacks/entra/cdk.tf.json', 'terraform', 3],
    ]);
    expect(sets[1].resources.map((r) => [r.address, r.constructPath])).toEqual([
      ['azuread_application.etl', 'entra/etl/app'],
      ['azuread_application_federated_identity_credential.etl', 'entra/etl/fic'],
      ['provider.azuread', undefined],
    ]);
    expect(sets[1].resources[0].properties).toEqual({ display_name: 'etl', password: { display_name: 'fallback' } });
  });

  test('a stack listed in the manifest but missing is unusable input', async () => {
    fs.writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify({ stacks: { a: { synthesizedStackPath: 'stacks/a/cdk.tf.json' } }, version: '0.21.0' }));
    expect((await inputError(tmp)).message).toBe(`${path.join(tmp, 'stacks/a/cdk.tf.json')}: listed in manifest.json but missing`);
  });
});

describe('single files', () => {
  test.each([
    ['cfn/pipeline-stack.template.json', 'cloudformation', 7],
    ['cfn/all-tags.yaml', 'cloudformation', 5],
    ['cfn/all-tags.json', 'cloudformation', 5],
    ['terraform-json/main.tf.json', 'terraform', 8],
    ['hcl/etl/network/main.tf', 'terraform', 2],
    ['synth-cdktf/stacks/entra/cdk.tf.json', 'terraform', 3],
  ])('%s', async (file, engine, count) => {
    const sets = await loadPath(at(file));
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatchObject({ file: at(file), engine });
    expect(sets[0].resources).toHaveLength(count);
  });

  test('a .json file is told apart by content: Terraform JSON not named .tf.json', async () => {
    const file = path.join(tmp, 'config.json');
    fs.writeFileSync(file, JSON.stringify({ resource: { aws_iam_access_key: { k: { user: 'u' } } } }));
    expect((await loadPath(file))[0]).toMatchObject({ engine: 'terraform', resources: [{ address: 'aws_iam_access_key.k' }] });
  });

  test('a .template file may be JSON or YAML', async () => {
    fs.writeFileSync(path.join(tmp, 'a.template'), '{"Resources": {"A": {"Type": "AWS::IAM::User"}}}');
    fs.writeFileSync(path.join(tmp, 'b.template'), 'Resources:\n  B:\n    Type: AWS::IAM::AccessKey\n    Properties:\n      UserName: !Ref A\n');
    expect((await loadPath(path.join(tmp, 'a.template')))[0].resources[0].address).toBe('A');
    expect((await loadPath(path.join(tmp, 'b.template')))[0].resources[0].properties).toEqual({ UserName: { Ref: 'A' } });
  });

  test('a UTF-8 byte order mark is ignored', async () => {
    const file = path.join(tmp, 'bom.json');
    fs.writeFileSync(file, '\uFEFF{"Resources": {"A": {"Type": "AWS::IAM::User"}}}');
    expect((await loadPath(file))[0].resources).toHaveLength(1);
  });

  test('loadTemplateFile reads CloudFormation and Terraform JSON synchronously, refuses HCL', () => {
    expect(loadTemplateFile(at('cfn', 'pipeline-stack.template.json')).resources).toHaveLength(7);
    expect(loadTemplateFile(at('terraform-json', 'main.tf.json')).engine).toBe('terraform');
    expect(() => loadTemplateFile(at('hcl', 'etl', 'main.tf'))).toThrow('main.tf: HCL files are read by loadPath (asynchronous)');
    expect(() => loadTemplateFile(path.join(tmp, 'nope.json'))).toThrow(`${path.join(tmp, 'nope.json')}: no such file or directory`);
  });
});

describe('directories', () => {
  test('an HCL module directory is one set; a module directory inside it is another, and is also read through its call', async () => {
    const sets = await loadPath(at('hcl', 'etl'));
    expect(sets.map((s) => [path.relative(INPUTS, s.file), s.resources.length])).toEqual([
      ['hcl/etl', 18],
      ['hcl/etl/network/main.tf', 2],
    ]);
    // module "network" { env = var.env }: the caller's own variable stays a variable
    expect(sets[0].resources.filter((r) => r.address.startsWith('module.')).map((r) => [r.address, path.relative(INPUTS, r.file), r.properties])).toEqual([
      ['module.network.aws_iam_user.bastion', 'hcl/etl/network/main.tf', { name: 'bastion-${var.env}' }],
      ['module.network.aws_iam_user_ssh_key.bastion', 'hcl/etl/network/main.tf', {
        username: '${module.network.aws_iam_user.bastion.name}', encoding: 'SSH', public_key: '${file("${path.module}/bastion.pub")}',
      }],
    ]);
    expect(sets[1].resources.map((r) => r.address)).toEqual(['aws_iam_user.bastion', 'aws_iam_user_ssh_key.bastion']);
    expect(sets[0].resources.find((r) => r.address === 'aws_iam_user_login_profile.legacy')!.file).toBe(at('hcl', 'etl', 'extra.tf.json'));
  });

  test('a mixed directory: templates, Terraform and assemblies found recursively; other files, hidden dirs and node_modules skipped', async () => {
    fs.cpSync(at('mixed'), tmp, { recursive: true });
    fs.mkdirSync(path.join(tmp, 'node_modules', 'lib'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'node_modules', 'lib', 'template.json'), '{"Resources": {"V": {"Type": "AWS::IAM::AccessKey"}}}');
    const sets = await loadPath(tmp);
    expect(sets.map((s) => [path.relative(tmp, s.file), s.resources.map((r) => `${r.address}:${r.type}`)])).toEqual([
      ['app/synth/App.template.json', ['Secret:AWS::SecretsManager::Secret']],
      ['infra/main.tf', ['aws_iam_access_key.deployer:aws_iam_access_key']],
      ['templates/network.yaml', ['Bastion:AWS::IAM::User', 'BastionKey:AWS::IAM::AccessKey']],
    ]);
  });

  test('an empty directory yields no sets', async () => {
    expect(await loadPath(tmp)).toEqual([]);
  });

  test('a directory walk fails on a file that looks like a template but does not parse, not on other JSON', async () => {
    const error = await inputError(at('malformed', 'walk-broken'));
    expect(error.file).toBe(at('malformed', 'walk-broken', 'stack.template.json'));
    expect(error.reason).toBe("malformed JSON: Expected ',' or '}' after property value in JSON at line 1, column 47");
  });

  test('a broken .tf file in a walked directory fails the walk', async () => {
    fs.writeFileSync(path.join(tmp, 'main.tf'), 'resource "a" {');
    const error = await inputError(tmp);
    expect(error.file).toBe(path.join(tmp, 'main.tf'));
    expect(error.reason).toMatch(/^malformed HCL: line 1, column/);
  });

  test('symlink loops do not recurse forever', async () => {
    fs.mkdirSync(path.join(tmp, 'a'));
    fs.writeFileSync(path.join(tmp, 'a', 'main.tf'), 'resource "aws_iam_access_key" "k" {\n  user = "u"\n}\n');
    fs.symlinkSync(tmp, path.join(tmp, 'a', 'loop'));
    const sets = await loadPath(tmp);
    expect(sets.map((s) => path.relative(tmp, s.file))).toEqual(['a/main.tf']);
  });
});

describe('unusable input: an InputError with the file and a one-line reason', () => {
  test.each([
    ['bad.json', 'malformed JSON: Expected double-quoted property name in JSON at line 3, column 36'],
    ['bad.yaml', 'malformed YAML: All mapping items must start at the same column at line 4, column 1'],
    ['bad.tf', 'malformed HCL: line 2, column 10: Invalid expression; Expected the start of an expression, but found an invalid expression token.'],
    ['not-a-template.json', 'not a CloudFormation template (no Resources section), a Terraform JSON configuration (no resource, data or provider block) or a Terraform plan (terraform show -json)'],
    ['missing-type.json', 'Resources.A has no Type'],
    ['bad-shape.tf.json', 'resource.aws_iam_user must be an object, got a string'],
    ['unknown-block.tf.json', 'not a Terraform JSON configuration: unknown top-level block "outputs"'],
    ['resources-list.yaml', 'not a CloudFormation template: Resources must be an object, got an array'],
    ['notes.txt', 'unsupported file type; expected a cdk.out or cdktf.out directory, a CloudFormation template (.json, .yaml, .yml), a Terraform file (.tf, .tf.json), a Terraform plan (terraform show -json, .json) or a directory of them'],
  ])('%s', async (name, reason) => {
    const error = await inputError(at('malformed', name));
    expect(error.file).toBe(at('malformed', name));
    expect(error.reason).toBe(reason);
    expect(error.message).toBe(`${at('malformed', name)}: ${reason}`);
    expect(error.message).not.toContain('\n');
  });

  test('a path that does not exist', async () => {
    const missing = path.join(tmp, 'does-not-exist');
    expect((await inputError(missing)).message).toBe(`${missing}: no such file or directory`);
  });
});

describe('directory walks are strict about template-shaped files', () => {
  test('a YAML template with a Resources section and a broken resource fails instead of being skipped', async () => {
    fs.writeFileSync(path.join(tmp, 'network.yaml'), 'Resources:\n  Bastion:\n    Typ: AWS::IAM::User\n');
    const error = await inputError(tmp);
    expect(error.message).toBe(`${path.join(tmp, 'network.yaml')}: Resources.Bastion has no Type`);
  });

  test('templates that use a Rain module (aws-cloudformation-templates\' Solutions, in YAML and JSON) are read; the module is a note', async () => {
    fs.writeFileSync(path.join(tmp, 'gitea.yaml'), [
      'Resources:',
      '  Network:',
      '    Type: !Rain::Module ../RainModules/vpc.yml',
      '    Properties:',
      '      Name: gitea-server',
      '  MirrorKey:',
      '    Type: AWS::IAM::AccessKey',
      '    Properties:',
      '      UserName: !Ref MirrorUser',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(tmp, 'gitea.json'), JSON.stringify({
      Resources: { Network: { Type: { 'Rain::Module': '../RainModules/vpc.yml' }, Properties: { Name: 'gitea-server' } } },
    }));
    const sets = await loadPath(tmp);
    expect(sets.map((s) => [path.basename(s.file), s.resources.map((r) => r.type), s.notes])).toEqual([
      ['gitea.json', [], [`${path.join(tmp, 'gitea.json')}: Resources.Network is a Rain module (../RainModules/vpc.yml), which rain pkg expands into resources before the template is deployed: those are not checked (check the packaged template)`]],
      ['gitea.yaml', ['AWS::IAM::AccessKey'], [`${path.join(tmp, 'gitea.yaml')}: Resources.Network is a Rain module (../RainModules/vpc.yml), which rain pkg expands into resources before the template is deployed: those are not checked (check the packaged template)`]],
    ]);
  });

  test('a file named like a template that parses and has no CloudFormation section (another tool\'s config template) is a note, not an error', async () => {
    // aws-cdk-examples' s3-kms-cross-account-replication keeps its settings in config/config.json.template
    fs.writeFileSync(path.join(tmp, 'config.json.template'), '{\n  "sourceAccountId": "replaceMeWithSourceAccountId",\n  "sourceRegion": "us-west-2"\n}\n');
    fs.writeFileSync(path.join(tmp, 'appsettings.template.json'), '{ "Logging": { "LogLevel": "Information" } }');
    fs.writeFileSync(path.join(tmp, 'stack.template'), '{"Parameters": {"Env": {"Type": "String"}}, "Resources": {"Key": {"Type": "AWS::IAM::AccessKey", "Properties": {"UserName": "ci"}}}}');
    const sets = await loadPath(tmp);
    expect(sets.map((s) => [path.basename(s.file), s.resources.map((r) => r.type)])).toEqual([['stack.template', ['AWS::IAM::AccessKey']]]);
    expect(sets[0].notes).toEqual([
      `${path.join(tmp, 'appsettings.template.json')}: named like a CloudFormation template but has none of its sections (Resources, Parameters, ...); skipped, not read`,
      `${path.join(tmp, 'config.json.template')}: named like a CloudFormation template but has none of its sections (Resources, Parameters, ...); skipped, not read`,
    ]);
    // given as a PATH it must be a template
    expect((await inputError(path.join(tmp, 'config.json.template'))).reason).toMatch(/^not a CloudFormation template \(no Resources section\)/);
    expect((await inputError(path.join(tmp, 'appsettings.template.json'))).reason).toMatch(/^not a CloudFormation template \(no Resources section\)/);
  });

  test('YAML without a top-level Resources section (compose files, CI configs) is skipped', async () => {
    fs.writeFileSync(path.join(tmp, 'docker-compose.yml'), 'services:\n  db:\n    image: postgres\n');
    fs.writeFileSync(path.join(tmp, 'serverless.yml'), 'service: x\nresources:\n  Resources: {}\n');
    expect(await loadPath(tmp)).toEqual([]);
  });
});

describe('FIFOs, sockets and devices are never opened (issue 11)', () => {
  const mkfifo = (p: string) => execFileSync('mkfifo', [p]);
  /** A Unix socket file at `p`; closing the server removes it. */
  function socketAt(p: string): Promise<net.Server> {
    return new Promise((resolve) => {
      const server = net.createServer().listen(p, () => resolve(server));
    });
  }

  test('in a walked directory: skipped without blocking, each named in a note on the loaded sets', async () => {
    fs.cpSync(at('cfn', 'all-tags.yaml'), path.join(tmp, 'all-tags.yaml'));
    mkfifo(path.join(tmp, 'main.tf'));
    fs.mkdirSync(path.join(tmp, 'sub'));
    mkfifo(path.join(tmp, 'sub', 'template.json'));
    const server = await socketAt(path.join(tmp, 'agent.sock'));
    try {
      const sets = await loadPath(tmp);
      expect(sets.map((s) => path.relative(tmp, s.file))).toEqual(['all-tags.yaml']);
      expect(sets.flatMap((s) => s.notes ?? [])).toEqual([
        `${path.join(tmp, 'agent.sock')}: not a regular file (socket); skipped, not read`,
        `${path.join(tmp, 'main.tf')}: not a regular file (FIFO); skipped, not read`,
        `${path.join(tmp, 'sub', 'template.json')}: not a regular file (FIFO); skipped, not read`,
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('a directory holding only a FIFO has no templates', async () => {
    mkfifo(path.join(tmp, 'main.tf'));
    expect(await loadPath(tmp)).toEqual([]);
  });

  test('a FIFO given as the path is unusable input', async () => {
    const fifo = path.join(tmp, 'main.tf.json');
    mkfifo(fifo);
    expect((await inputError(fifo)).message).toBe(`${fifo}: not a regular file (FIFO)`);
    expect(() => loadTemplateFile(fifo)).toThrow(new InputError(fifo, 'not a regular file (FIFO)'));
  });

  test('a character device given as the path is unusable input', async () => {
    expect((await inputError('/dev/null')).message).toBe('/dev/null: not a regular file (character device)');
  });

  test('a cdktf.out whose manifest lists a FIFO is unusable input', async () => {
    fs.writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify({ stacks: { app: { synthesizedStackPath: 'stacks/app/cdk.tf.json' } } }));
    fs.mkdirSync(path.join(tmp, 'stacks', 'app'), { recursive: true });
    const fifo = path.join(tmp, 'stacks', 'app', 'cdk.tf.json');
    mkfifo(fifo);
    expect((await inputError(tmp)).message).toBe(`${fifo}: not a regular file (FIFO)`);
  });
});
