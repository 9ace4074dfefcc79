/** Helpers for the example tests: synthesize once into a temp folder, read the outputs, make snapshots stable. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { evaluate } from '../../lib/guardrails/evaluate';
import { Evaluation, Exemption } from '../../lib/guardrails/model';
import { loadPath } from '../../lib/guardrails/normalize/load';

/** The clock every example test synthesizes with, so exemption status and reports never depend on today. */
export const NOW = '2026-06-01T00:00:00Z';

export function tempDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `keyless-example-${name}-`));
}

export function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** A CloudFormation template with asset hashes replaced, so the snapshot survives a rebuilt handler or a CDK bump. */
export function stableTemplate(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, '<asset-hash>'));
}

/**
 * A Terraform configuration with the checkout's location replaced: cdktf's default local backend writes an
 * absolute state path (under the working directory), which must not make the snapshot depend on where the
 * repository is checked out.
 */
export function stableTerraform(config: unknown): unknown {
  return JSON.parse(JSON.stringify(config).split(JSON.stringify(process.cwd()).slice(1, -1)).join('<checkout>'));
}

/** The resources of `type` in a template, by logical id. */
export function resourcesOfType(template: any, type: string): { [logicalId: string]: any } {
  return Object.fromEntries(Object.entries(template.Resources).filter(([, r]: [string, any]) => r.Type === type));
}

/** The only resource of `type` in a template. */
export function onlyResource(template: any, type: string): any {
  const found = Object.values(resourcesOfType(template, type));
  expect(found).toHaveLength(1);
  return found[0];
}

/** The role whose RoleName is `name` (a stack also holds custom resource handler roles). */
export function roleNamed(template: any, name: string): any {
  const found = Object.values(resourcesOfType(template, 'AWS::IAM::Role')).filter((r: any) => r.Properties.RoleName === name);
  expect(found).toHaveLength(1);
  return found[0];
}

/**
 * The ARN of an IAM role as AWS will compute it from the template: `arn:aws:iam::<account>:role<Path><RoleName>`.
 * Built from the CloudFormation properties, independently of the plan, so a drift between the two shows.
 */
export function roleArnFromTemplate(role: any, account: string): string {
  expect(typeof role.Properties.RoleName).toBe('string');
  return `arn:aws:iam::${account}:role${role.Properties.Path ?? '/'}${role.Properties.RoleName}`;
}

/** The values of `KEY = '...'` in a Snowflake statement, e.g. the ARN and ISSUER of `SET WORKLOAD_IDENTITY`. */
export function sqlStringProperty(sql: string, key: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`\\b${key}\\s*=\\s*'((?:[^'\\\\]|''|\\\\.)*)'`, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(sql)) !== null) out.push(m[1].replace(/''/g, "'").replace(/\\\\(.)/g, '$1'));
  return out;
}

/** Runs the guardrails the way `keyless check` does, over every synthesized output folder given. */
export async function checkOutputs(dirs: string[], exemptions: Exemption[] = []): Promise<Evaluation> {
  const sets = (await Promise.all(dirs.map((d) => loadPath(d)))).flat();
  expect(sets.length).toBeGreaterThan(0);
  return evaluate(sets, { exemptions, now: new Date(NOW) });
}

/** `ruleId resource` of each error finding: empty when an example is clean. */
export function errors(evaluation: Evaluation): string[] {
  return evaluation.findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.resource}: ${f.message}`);
}
