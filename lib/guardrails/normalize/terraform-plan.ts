/**
 * A Terraform plan or state as `terraform show -json` prints it: the resources Terraform plans (or holds), every
 * module expanded and every `count` / `for_each` instance at its own address (`module.etl[0].aws_iam_role.this`,
 * `aws_iam_user.ci["deploy"]`), with the values the plan knows: variables, locals and functions already applied. The
 * configuration's expressions are gone, so references between resources are the values they planned (a role's
 * `name`, not `aws_iam_role.this.name`); a value known only after apply (an ARN, a generated id) is absent, and a note
 * says so once for the plan.
 *
 * Provider configurations come from the plan's `configuration.provider_config` (their literal arguments), and each
 * root-module resource uses the one its `provider_config_key` names; a resource of a called module uses the
 * configuration its calls pass, which the plan does not say plainly, so its account is not known.
 *
 * Engine-neutral; internal module of the readers.
 */
import { NormalizedResource, Writable } from '../model';
import { nestsDeeperThan, TOO_DEEP } from '../nesting';
import { isObject } from '../policy/json';
import { jsonTypeOf } from './cloudformation';
import { InputError } from './input-error';
import type { NormalizedSet } from './set';

/** Whether a parsed JSON document is `terraform show -json` output: a plan (`planned_values`) or a state (`values`). */
export function looksLikeTerraformPlan(doc: unknown): boolean {
  return isObject(doc) && typeof doc.format_version === 'string' && typeof doc.terraform_version === 'string'
    && (isObject(doc.planned_values) || isObject(doc.values) || Array.isArray(doc.resource_changes));
}

/** The literal value of a configuration expression (`{"constant_value": ...}`), nested blocks as lists of objects. */
function literalArguments(expressions: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isObject(expressions)) return out;
  for (const [name, expression] of Object.entries(expressions)) {
    if (isObject(expression) && 'constant_value' in expression) out[name] = expression.constant_value;
    else if (Array.isArray(expression)) out[name] = expression.map(literalArguments);
  }
  return out;
}

/** Normalizes `terraform show -json` output (see above). Anything not shaped like it throws {@link InputError}. */
export function normalizeTerraformPlan(doc: unknown, file: string): NormalizedSet {
  if (!looksLikeTerraformPlan(doc)) throw new InputError(file, 'not a Terraform plan or state (terraform show -json)');
  const plan = doc as Record<string, unknown>;
  const values = isObject(plan.planned_values) ? plan.planned_values : plan.values;
  const resources: NormalizedResource[] = [];
  const configuration = isObject(plan.configuration) ? plan.configuration : {};
  const providerConfigs = isObject(configuration.provider_config) ? configuration.provider_config : {};
  for (const [key, config] of Object.entries(providerConfigs)) {
    // `module.etl:aws`: a provider configured inside a module (legacy); not one the root module names
    if (key.includes(':') || !isObject(config)) continue;
    resources.push({ engine: 'terraform', kind: 'provider', type: String(config.name ?? key.split('.')[0]), address: `provider.${key}`, properties: literalArguments(config.expressions), file });
  }
  const rootConfig = isObject(configuration.root_module) && Array.isArray(configuration.root_module.resources) ? configuration.root_module.resources : [];
  const providerKeys = new Map<string, string>();
  for (const r of rootConfig) {
    if (isObject(r) && typeof r.address === 'string' && typeof r.provider_config_key === 'string') providerKeys.set(r.address, r.provider_config_key);
  }
  let unknownAfterApply = 0;
  const afterUnknown = new Map<string, unknown>();
  for (const change of Array.isArray(plan.resource_changes) ? plan.resource_changes : []) {
    if (isObject(change) && typeof change.address === 'string' && isObject(change.change)) afterUnknown.set(change.address, change.change.after_unknown);
  }
  const visit = (module: unknown, where: string, depth: number): void => {
    if (module === undefined) return;
    if (!isObject(module)) throw new InputError(file, `${where} must be an object, got ${jsonTypeOf(module)}`);
    if (depth > 100) throw new InputError(file, `${TOO_DEEP} (${where})`);
    for (const [i, r] of (Array.isArray(module.resources) ? module.resources : []).entries()) {
      if (!isObject(r) || typeof r.address !== 'string' || typeof r.type !== 'string') {
        throw new InputError(file, `${where}.resources[${i}] is not a resource (needs address and type)`);
      }
      const properties = isObject(r.values) ? r.values : {};
      if (nestsDeeperThan(properties)) throw new InputError(file, `${TOO_DEEP} (${r.address})`);
      const resource: Writable<NormalizedResource> = {
        engine: 'terraform', kind: r.mode === 'data' ? 'data' : 'resource', type: r.type, address: r.address, properties, file,
      };
      if (r.address.startsWith('module.')) {
        resource.provider = null;
      } else {
        const key = providerKeys.get(r.address.replace(/\[[^\]]*\]$/, ''));
        if (key !== undefined && !key.includes(':')) resource.provider = `provider.${key}`;
      }
      const unknown = afterUnknown.get(r.address);
      if (isObject(unknown) && Object.values(unknown).some((v) => v !== false)) unknownAfterApply++;
      resources.push(resource);
    }
    for (const [i, child] of (Array.isArray(module.child_modules) ? module.child_modules : []).entries()) {
      visit(child, `${where}.child_modules[${i}]`, depth + 1);
    }
  };
  visit(isObject(values) ? values.root_module : undefined, `${isObject(plan.planned_values) ? 'planned_values' : 'values'}.root_module`, 0);
  const notes = unknownAfterApply > 0
    ? [`${file}: a Terraform plan: ${unknownAfterApply} resource${unknownAfterApply === 1 ? ' has' : 's have'} values known only after apply (ARNs, generated ids), which are not read; references between resources are read as the values they planned`]
    : [];
  return { file, engine: 'terraform', resources, ...(notes.length > 0 ? { notes } : {}) };
}
