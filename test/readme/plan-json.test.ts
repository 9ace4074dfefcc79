/**
 * The `plan.json` section of README.md: its example is exactly what `FederationPlan.fromJson` reads, the values it
 * derives are the ones the README's snippets state, its field table lists every field of the plan's props
 * interfaces (read from lib/core/plan.ts) and nothing else, and the example shows every field.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { FederationPlan, TargetKind } from '../../lib';
import { codeBlocks, jsonBlockUnder, readReadme, REPO_ROOT, runModule } from './readme';

const readme = readReadme();
const block = jsonBlockUnder(readme, '`plan.json`');

/** The rows of the first table after the plan.json example: first cell without backticks -> the row's cells. */
function fieldTable(): Map<string, string[]> {
  const lines = readme.split('\n').slice(block.fenceLine);
  const start = lines.findIndex((l) => /^\|\s*field\s*\|/.test(l));
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    rows.set(cells[0].replace(/`/g, ''), cells);
  }
  return rows;
}

/** Property names of an interface of lib/core/plan.ts. */
function interfaceFields(name: string): string[] {
  const file = path.join(REPO_ROOT, 'lib', 'core', 'plan.ts');
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const decl = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (!decl) throw new Error(`lib/core/plan.ts has no interface ${name}`);
  return decl.members.filter(ts.isPropertySignature).map((m) => (m.name as ts.Identifier).text);
}

/** Every key path the example uses, in the table's spelling (`workloads[].rolePath`, `targets[].kind`). */
function exampleFields(json: any): Set<string> {
  const fields = new Set<string>(Object.keys(json));
  for (const w of json.workloads) {
    for (const k of Object.keys(w)) fields.add(`workloads[].${k}`);
    for (const t of w.targets) {
      for (const k of Object.keys(t)) fields.add(`targets[].${k}`);
    }
  }
  return fields;
}

describe('README.md plan.json', () => {
  const plan = FederationPlan.fromJson(block.code);

  test('the example is what FederationPlan.fromJson reads', () => {
    expect(plan.account).toBe('111122223333');
    expect(plan.partition).toBe('aws');
    expect(plan.workload('etl').roleArn).toBe('arn:aws:iam::111122223333:role/workloads/etl-job');
    expect(plan.workload('assistant').roleArn).toBe('arn:aws:iam::111122223333:role/workloads/support-assistant');
    expect(plan.workload('etl').compute).toBe('lambda');
    expect(plan.workload('assistant').compute).toBe('ecs-task');
    expect(plan.target('etl', 'warehouse').tokenRequest).toEqual({ audience: 'snowflakecomputing.com', signingAlgorithm: 'ES384', durationSeconds: 300 });
    expect(plan.target('etl', 'graph').tokenRequest).toEqual({ audience: 'api://AzureADTokenExchange', signingAlgorithm: 'RS256', durationSeconds: 300 });
    expect(plan.target('assistant', 'openai').tokenRequest).toEqual({ audience: 'https://api.openai.com/v1', signingAlgorithm: 'RS256', durationSeconds: 300 });
    expect(plan.target('assistant', 'anthropic').tokenRequest).toEqual({ audience: 'https://api.anthropic.com', signingAlgorithm: 'ES384', durationSeconds: 900 });
    expect(plan.target('assistant', 'directory').tokenRequest.audience).toBe('api://AzureADTokenExchangeUSGov');
    expect(plan.target('assistant', 'tickets').tokenRequest).toEqual({ audience: 'https://tickets.example.com', signingAlgorithm: 'RS256', durationSeconds: 600 });
  });

  test('its etl workload is the plan the model section builds in TypeScript', () => {
    const model = codeBlocks(readme).find((b) => b.lang === 'ts' && b.heading.startsWith('The model:'));
    expect(model).toBeDefined();
    const built = runModule(model!.code, model!).plan as FederationPlan;
    expect(built).toBeInstanceOf(FederationPlan);
    expect({ account: built.account, issuerUrl: built.issuerUrl, partition: built.partition })
      .toEqual({ account: plan.account, issuerUrl: plan.issuerUrl, partition: plan.partition });
    expect(built.workloads).toEqual([plan.workload('etl')]);
  });

  test('the field table lists exactly the fields of FederationPlanProps, WorkloadSpec and TargetSpec', () => {
    const expected = [
      ...interfaceFields('FederationPlanProps'),
      ...interfaceFields('WorkloadSpec').map((f) => `workloads[].${f}`),
      ...interfaceFields('TargetSpec').map((f) => `targets[].${f}`),
    ];
    expect([...fieldTable().keys()].sort()).toEqual(expected.sort());
  });

  test('the example shows every field of the table', () => {
    expect([...exampleFields(JSON.parse(block.code))].sort()).toEqual([...fieldTable().keys()].sort());
  });

  test('the defaults the table states are the ones the plan applies', () => {
    const table = fieldTable();
    const minimal = new FederationPlan({
      account: plan.account,
      issuerUrl: plan.issuerUrl,
      workloads: [{ name: 'w', roleName: 'r', targets: [{ name: 't', kind: TargetKind.ENTRA, entraApplication: 'app' }] }],
    });
    const w = minimal.workload('w');
    const t = minimal.target('w', 't');
    expect(table.get('partition')![3]).toBe(`\`${JSON.stringify(minimal.partition)}\``);
    expect(table.get('workloads[].rolePath')![3]).toBe(`\`${JSON.stringify(w.rolePath)}\``);
    expect(table.get('workloads[].compute')![3]).toBe(`\`${JSON.stringify(w.compute)}\``);
    expect(table.get('targets[].lifetimeSeconds')![3]).toBe(`\`${t.tokenRequest.durationSeconds}\``);
    expect(table.get('targets[].entraCloud')![3]).toBe(`\`${JSON.stringify(t.entraCloud)}\``);
  });
});
