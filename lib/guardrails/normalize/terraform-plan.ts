/**
 * A Terraform plan or state as `terraform show -json` prints it: the resources Terraform plans (or holds), every
 * module expanded and every `count` / `for_each` instance at its own address (`module.etl[0].aws_iam_role.this`,
 * `aws_iam_user.ci["deploy"]`), with the values the plan knows: variables, locals and functions already applied. The
 * configuration's expressions are gone, so references between resources are the values they planned (a role's
 * `name`, not `aws_iam_role.this.name`). A top-level argument known only after apply (`subject = aws_iam_role.etl.arn`)
 * is read from the plan's `configuration` as the reference it was written with (`${aws_iam_role.etl.arn}`, with the
 * resource's module instance in front inside a module), so the rules and the federation graph follow it as in the
 * configuration; any other value known only after apply is absent, and a note says so once for the plan.
 *
 * Provider configurations come from the plan's `configuration.provider_config` (their literal arguments), and each
 * root-module resource uses the one its `provider_config_key` names; a resource of a called module uses the
 * configuration its calls pass, which the plan does not say plainly, so its account is not known.
 *
 * Engine-neutral; internal module of the readers.
 */
import { NormalizedResource, Writable } from '../model';
import { nestsDeeperThan, TOO_DEEP } from '../nesting';
import { INSTANCE_KEY_SOURCE, MODULE_ADDRESS_PREFIX } from '../policy/interpolation';
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
  const configured = configuredResources(configuration.root_module, '', 0);
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
      const unknown = afterUnknown.get(r.address);
      const config = configured.get(r.address.replace(INSTANCE_KEYS, ''));
      const properties = withReferences(isObject(r.values) ? r.values : {}, unknown, r.address, config?.expressions);
      if (nestsDeeperThan(properties)) throw new InputError(file, `${TOO_DEEP} (${r.address})`);
      const resource: Writable<NormalizedResource> = {
        engine: 'terraform', kind: r.mode === 'data' ? 'data' : 'resource', type: r.type, address: r.address, properties, file,
      };
      if (r.address.startsWith('module.')) {
        resource.provider = null;
      } else if (config?.providerKey !== undefined && !config.providerKey.includes(':')) {
        resource.provider = `provider.${config.providerKey}`;
      }
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

/** A plan address without instance keys (`module.bots[0].aws_iam_user.ci["a"]` → `module.bots.aws_iam_user.ci`): the configuration's. */
const INSTANCE_KEYS = new RegExp(INSTANCE_KEY_SOURCE, 'g');
/** The module instance a planned resource is in (`module.bots[0].`), whose resources its module's references name. */
const MODULE_INSTANCE = new RegExp(`^${MODULE_ADDRESS_PREFIX}`);

/** A reference to a resource's or data source's attribute, as `references` lists them (no index: it is not this instance's). */
const ATTRIBUTE_REFERENCE = /^(?:data\.)?[A-Za-z_][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_]*$/;

/** What the plan's `configuration` says of one resource: its argument expressions and its provider configuration key. */
interface ConfiguredResource {
  readonly expressions?: Record<string, unknown>;
  readonly providerKey?: string;
}

/** The configured resources of a module and the modules it calls, by configuration address (`module.etl.aws_iam_role.this`). */
function configuredResources(module: unknown, prefix: string, depth: number): Map<string, ConfiguredResource> {
  const out = new Map<string, ConfiguredResource>();
  if (!isObject(module) || depth > 100) return out;
  for (const r of Array.isArray(module.resources) ? module.resources : []) {
    if (!isObject(r) || typeof r.address !== 'string') continue;
    out.set(`${prefix}${r.address}`, {
      ...(isObject(r.expressions) ? { expressions: r.expressions } : {}),
      ...(typeof r.provider_config_key === 'string' ? { providerKey: r.provider_config_key } : {}),
    });
  }
  for (const [name, call] of Object.entries(isObject(module.module_calls) ? module.module_calls : {})) {
    if (!isObject(call)) continue;
    for (const [address, c] of configuredResources(call.module, `${prefix}module.${name}.`, depth + 1)) out.set(address, c);
  }
  return out;
}

/**
 * A planned resource's values with each top-level argument known only after apply set to the reference its
 * configuration wrote (see the module comment). The values themselves are never edited.
 */
function withReferences(values: Record<string, unknown>, unknown: unknown, address: string, configured: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!isObject(unknown) || configured === undefined) return values;
  const instance = MODULE_INSTANCE.exec(address)?.[0] ?? '';
  let out: Record<string, unknown> | undefined;
  for (const [name, isUnknown] of Object.entries(unknown)) {
    if (isUnknown !== true || values[name] !== undefined) continue;
    const expression = configured[name];
    const references = isObject(expression) && Array.isArray(expression.references) ? expression.references : [];
    const reference = references.find((ref): ref is string => typeof ref === 'string' && ATTRIBUTE_REFERENCE.test(ref));
    if (reference === undefined) continue;
    out ??= { ...values };
    out[name] = `\${${instance}${reference}}`;
  }
  return out ?? values;
}
