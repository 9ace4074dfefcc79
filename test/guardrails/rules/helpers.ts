/** Small builders for rule tests: NormalizedResource objects as the normalizers produce them. */
import { analysisContext } from '../../../lib/guardrails/analysis';
import { NormalizedResource, ResourceSet, Rule, RuleHit, RuleOptions, ruleAppliesTo } from '../../../lib/guardrails/model';

/** A CloudFormation resource (address = logical id). */
export function cfn(type: string, logicalId: string, properties: Record<string, unknown> = {}): NormalizedResource {
  return { engine: 'cloudformation', kind: 'resource', type, address: logicalId, properties, file: 'Stack.template.json' };
}

/** A Terraform managed resource (address = `type.name`). */
export function tf(type: string, name: string, properties: Record<string, unknown> = {}): NormalizedResource {
  return { engine: 'terraform', kind: 'resource', type, address: `${type}.${name}`, properties, file: 'cdk.tf.json' };
}

/** A Terraform data source (address = `data.type.name`). */
export function tfData(type: string, name: string, properties: Record<string, unknown> = {}): NormalizedResource {
  return { engine: 'terraform', kind: 'data', type, address: `data.${type}.${name}`, properties, file: 'cdk.tf.json' };
}

/** A Terraform provider block (address = `provider.type[.alias]`). */
export function tfProvider(type: string, properties: Record<string, unknown> = {}, alias?: string): NormalizedResource {
  return { engine: 'terraform', kind: 'provider', type, address: `provider.${type}${alias ? `.${alias}` : ''}`, properties, file: 'cdk.tf.json' };
}

/** A set holding the resources (engine taken from the first). */
export function setOf(...resources: NormalizedResource[]): ResourceSet {
  const engine = resources[0]?.engine ?? 'terraform';
  return { file: resources[0]?.file ?? 'cdk.tf.json', engine, resources };
}

/** Runs a rule on one resource (alone in its set unless a set is given). */
export function check(rule: Rule, resource: NormalizedResource, set?: ResourceSet, options: Partial<RuleOptions> = {}): RuleHit[] {
  const s = set ?? setOf(resource);
  if (!s.resources.includes(resource)) throw new Error(`test bug: ${resource.address} is not in the set`);
  return rule.check(resource, analysisContext(s, options));
}

/** Runs a rule like the evaluator does: over every resource of the set whose type the rule applies to. */
export function checkSet(rule: Rule, set: ResourceSet, options: Partial<RuleOptions> = {}): { resource: string; hit: RuleHit }[] {
  const out: { resource: string; hit: RuleHit }[] = [];
  const context = analysisContext(set, options);
  for (const r of set.resources) {
    if (!ruleAppliesTo(rule, r.type)) continue;
    for (const hit of rule.check(r, context)) out.push({ resource: r.address, hit });
  }
  return out;
}

/** An IAM policy document. */
export function doc(...statements: Record<string, unknown>[]): Record<string, unknown> {
  return { Version: '2012-10-17', Statement: statements.length === 1 ? statements[0] : statements };
}

/** The strict minting statement cdk-keyless writes. */
export function strictMint(audience = 'snowflakecomputing.com', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Sid: 'MintSnowflake',
    Effect: 'Allow',
    Action: 'sts:GetWebIdentityToken',
    Resource: '*',
    Condition: {
      'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': [audience] },
      Null: { 'sts:IdentityTokenAudience': 'false' },
      StringEquals: { 'sts:SigningAlgorithm': 'ES384' },
      NumericLessThanEquals: { 'sts:DurationSeconds': 300 },
      ...extra,
    },
  };
}
