/**
 * Exemptions (DESIGN §3): a finding may stand for a while only with a justification, an owner and an expiry
 * date. Validation, the `--exemptions FILE` format, matching and status. Engine-neutral.
 */
import { fail, ValidationSite } from '../core/errors';
import { quoteValue } from './display';
import { Exemption, ExemptionStatus, NormalizedResource, ResourceSet, Rule, ruleAppliesTo } from './model';
import { InputError, parseJson } from './normalize/input-error';
import { isObject } from './policy/json';
import { CATALOG } from './rules';
import { yaml } from './yaml';

/** Shortest justification accepted, in characters (after trimming). */
export const MIN_JUSTIFICATION_LENGTH = 20;

/** Exemptions expiring within this many days are listed in the report. */
export const EXPIRY_WARNING_DAYS = 30;

const FIELDS = ['ruleId', 'resource', 'justification', 'owner', 'expires', 'stack'] as const;
const FIELD_LIST = 'ruleId, resource, justification, owner, expires (and optionally stack)';
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

const STACK_MEANING = 'optional; names the one stack, template or configuration the resource is in: a stack name (Prod), '
  + 'a template or Terraform file, or its directory (envs/prod), a path or its trailing part, without wildcards';

/** Text that says nothing: rejected as a justification or owner. */
const PLACEHOLDER = /\b(todo|tbd|tbc|fixme|xxx+|lorem ipsum|placeholder|changeme|change me|fill me in|n\/a)\b|<[a-z _-]+>/i;
const PLACEHOLDER_OWNER = /^(todo|tbd|fixme|n\/a|na|none|nobody|unknown|someone|me|owner|team|-+|\?+|x+)$/i;

/** One thing wrong with an exemption entry. */
export interface ExemptionProblem {
  /** `exemptions[2].expires`. */
  readonly property: string;
  readonly value: unknown;
  /** Stable rule id, e.g. `exemption.expires`. */
  readonly rule: string;
  readonly reason: string;
}

/**
 * Checks one exemption entry; returns every problem (empty when valid).
 * `ruleIds` are the ids an exemption may name (the catalog's).
 */
export function checkExemption(entry: unknown, ruleIds: readonly string[] = catalogRuleIds(), property = 'exemption'): ExemptionProblem[] {
  if (!isObject(entry)) {
    return [{ property, value: entry, rule: 'exemption.shape', reason: `an exemption is an object with ${FIELD_LIST}` }];
  }
  const problems: ExemptionProblem[] = [];
  const at = (field: string) => `${property}.${field}`;
  for (const key of Object.keys(entry)) {
    if (!(FIELDS as readonly string[]).includes(key) && !key.startsWith('$') && !key.startsWith('//')) {
      problems.push({ property: at(key), value: entry[key], rule: 'exemption.unknown-field', reason: `unknown field; an exemption has ${FIELD_LIST} (comments: keys starting with "$" or "//")` });
    }
  }
  const { ruleId, resource, justification, owner, expires } = entry;
  if (typeof ruleId !== 'string' || !ruleIds.includes(ruleId)) {
    problems.push({ property: at('ruleId'), value: ruleId, rule: 'exemption.rule-id', reason: `must be a rule id of the catalog (${summarize(ruleIds)})` });
  }
  if (typeof resource !== 'string' || resource.trim() === '' || resource !== resource.trim() || /[*?]/.test(resource)) {
    problems.push({ property: at('resource'), value: resource, rule: 'exemption.resource', reason: 'must name one resource exactly: a CloudFormation logical id, a Terraform address (type.name) or a construct path, without wildcards or surrounding spaces' });
  }
  if ('stack' in entry && (typeof entry.stack !== 'string' || entry.stack.trim() === '' || entry.stack !== entry.stack.trim() || /[*?]/.test(entry.stack))) {
    problems.push({ property: at('stack'), value: entry.stack, rule: 'exemption.stack', reason: STACK_MEANING });
  }
  if (typeof justification !== 'string' || justification.trim().length < MIN_JUSTIFICATION_LENGTH) {
    problems.push({ property: at('justification'), value: justification, rule: 'exemption.justification', reason: `must say why the credential has to stay and until when, at least ${MIN_JUSTIFICATION_LENGTH} characters` });
  } else if (PLACEHOLDER.test(justification) || justification.trim().split(/\s+/).length < 3) {
    problems.push({ property: at('justification'), value: justification, rule: 'exemption.justification', reason: 'is a placeholder, not a justification: say why the credential has to stay and until when' });
  }
  if (typeof owner !== 'string' || owner.trim() === '' || PLACEHOLDER_OWNER.test(owner.trim()) || /\b(todo|tbd|fixme|placeholder|changeme)\b/i.test(owner)) {
    problems.push({ property: at('owner'), value: owner, rule: 'exemption.owner', reason: 'must name the team or person who removes the credential (e.g. "data-platform@example.com")' });
  }
  if (typeof expires !== 'string' || parseDate(expires) === undefined) {
    problems.push({ property: at('expires'), value: expires, rule: 'exemption.expires', reason: 'must be a real calendar date YYYY-MM-DD; the exemption lapses at the end of that day (UTC)' });
  }
  return problems;
}

/**
 * Validates exemptions given in code (CDK validation plugin / cdktf aspect props); throws a
 * `KeylessValidationError` for the first problem, naming the site (`path`, `property`), the value and the rule.
 */
export function validateExemptions(entries: readonly unknown[], site: ValidationSite, ruleIds: readonly string[] = catalogRuleIds()): Exemption[] {
  entries.forEach((entry, i) => {
    const problems = checkExemption(entry, ruleIds, `${site.property}[${i}]`);
    if (problems.length > 0) {
      const p = problems[0];
      fail({ path: site.path, property: p.property }, p.value, p.rule, p.reason);
    }
  });
  return entries as Exemption[];
}

/**
 * Parses an exemptions file (`keyless check --exemptions FILE`): JSON (or YAML for `.yaml`/`.yml`), either
 * `{"exemptions": [...]}` or a bare array. Any problem throws {@link InputError} naming the file, the entry and
 * the field, e.g. `exemptions.json: exemptions[1].expires "2026-02-30": must be a real calendar date ...`.
 */
export function parseExemptionsFile(text: string, file: string, ruleIds: readonly string[] = catalogRuleIds()): Exemption[] {
  let doc: unknown;
  if (/\.ya?ml$/i.test(file)) {
    try {
      doc = yaml().parse(text);
    } catch (e) {
      throw new InputError(file, `malformed YAML: ${(e as Error).message.split('\n')[0]}`);
    }
  } else {
    doc = parseJson(text, file);
  }
  let entries: unknown;
  if (Array.isArray(doc)) {
    entries = doc;
  } else if (isObject(doc) && Array.isArray(doc.exemptions)) {
    const extra = Object.keys(doc).filter((k) => k !== 'exemptions' && !k.startsWith('$') && !k.startsWith('//'));
    if (extra.length > 0) throw new InputError(file, `unknown top-level field "${extra[0]}"; expected {"exemptions": [...]}`);
    entries = doc.exemptions;
  } else {
    throw new InputError(file, 'not an exemptions file: expected {"exemptions": [...]} or an array of exemptions');
  }
  const list = entries as unknown[];
  list.forEach((entry, i) => {
    const problems = checkExemption(entry, ruleIds, `exemptions[${i}]`);
    if (problems.length > 0) {
      const p = problems[0];
      const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
      throw new InputError(file, `${p.property} ${render(p.value)}: ${p.reason} [rule ${p.rule}]${more}`);
    }
  });
  const seen = new Map<string, number>();
  list.forEach((entry, i) => {
    const e = entry as Exemption;
    const key = exemptionKey(e);
    if (seen.has(key)) {
      throw new InputError(file, `exemptions[${i}] repeats exemptions[${seen.get(key)}] (${describeExemption(e)}); keep one entry per rule and resource [rule exemption.duplicate]`);
    }
    seen.set(key, i);
  });
  return list.map((entry) => pick(entry as Exemption));
}

/** Only the model's fields (drops `$comment`-style keys). */
function pick(e: Exemption): Exemption {
  return { ruleId: e.ruleId, resource: e.resource, ...(e.stack !== undefined ? { stack: e.stack } : {}), justification: e.justification, owner: e.owner, expires: e.expires };
}

/** What makes two exemptions the same entry: rule, resource and stack. */
export function exemptionKey(e: Exemption): string {
  return `${e.ruleId}\u0000${e.resource}\u0000${e.stack ?? ''}`;
}

/** `KL-AWS-01 on CiUserKey` (`... in stack Prod`). */
export function describeExemption(e: Exemption): string {
  return `${e.ruleId} on ${e.resource}${e.stack !== undefined ? ` in stack ${e.stack}` : ''}`;
}

/** `YYYY-MM-DD` → UTC midnight of that day, or undefined when it is not a real date. */
export function parseDate(text: string): number | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const time = Date.UTC(y, mo - 1, d);
  const date = new Date(time);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return time;
}

/** Active until the end of the expiry day (UTC): `expires: 2026-03-31` is active through 2026-03-31T23:59:59.999Z. */
export function exemptionStatus(exemption: Exemption, now: Date): Exclude<ExemptionStatus, 'refused'> {
  const day = parseDate(exemption.expires);
  if (day === undefined) return 'expired';
  return now.getTime() < day + DAY_MS ? 'active' : 'expired';
}

/** Calendar days (UTC) from `now` until the expiry date: 0 on the expiry day itself, negative once expired. */
export function daysLeft(exemption: Exemption, now: Date): number {
  const day = parseDate(exemption.expires);
  if (day === undefined) return -Infinity;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((day - today) / DAY_MS);
}

/** Active and lapsing within `days` (default {@link EXPIRY_WARNING_DAYS}): the report lists these. */
export function expiresSoon(exemption: Exemption, now: Date, days = EXPIRY_WARNING_DAYS): boolean {
  const left = daysLeft(exemption, now);
  return left >= 0 && left <= days;
}

/**
 * Whether an exemption covers a resource: same rule id, in the exemption's `stack` when it names one (see
 * {@link inStack}), and `resource` equals the resource's address (logical id / Terraform address) or its construct
 * path. For a CDK L2 construct, its path without the `/Resource`
 * suffix also matches (`Stack/CiUser` covers `Stack/CiUser/Resource`); a leading `/` is ignored.
 */
export function exemptionMatches(exemption: Exemption, ruleId: string, resource: Pick<NormalizedResource, 'address' | 'constructPath'> & { readonly file?: string }): boolean {
  if (exemption.ruleId !== ruleId) return false;
  if (exemption.stack !== undefined && (resource.file === undefined || !inStack(exemption.stack, resource.file))) return false;
  if (exemption.resource === resource.address) return true;
  const path = resource.constructPath;
  if (path === undefined) return false;
  const wanted = exemption.resource.replace(/^\//, '');
  const actual = path.replace(/^\//, '');
  return wanted === actual || `${wanted}/Resource` === actual || `${wanted}/Default` === actual;
}

/**
 * Whether `file` (a template, Terraform file or directory of one checked set) is in the stack an exemption names:
 * the path itself or its trailing segments (`prod/main.tf`), its directory or that directory's trailing segments
 * (`envs/prod`; `prod` for `cdktf.out/stacks/prod/cdk.tf.json`), or a CloudFormation stack name (`Prod` for
 * `Prod.template.json`).
 */
export function inStack(stack: string, file: string): boolean {
  const wanted = stack.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  const path = file.replace(/\\/g, '/').replace(/\/+$/, '');
  const slash = path.lastIndexOf('/');
  const dir = slash === -1 ? '' : path.slice(0, slash);
  const base = path.slice(slash + 1);
  const endsWith = (p: string) => p === wanted || p.endsWith(`/${wanted}`);
  return wanted !== '' && (endsWith(path) || (dir !== '' && endsWith(dir)) || base === `${wanted}.template.json`);
}

/** How to name the stack of a set in an exemption: the stack name when the file shows one, else the file. */
export function stackNameOf(file: string): string {
  const path = file.replace(/\\/g, '/');
  const template = /(?:^|\/)([^/]+)\.template\.json$/.exec(path);
  if (template && !template[1].endsWith('.nested')) return template[1];
  const cdktf = /(?:^|\/)stacks\/([^/]+)\/cdk\.tf(?:\.json)?$/.exec(path);
  if (cdktf) return cdktf[1];
  return path;
}

/** An exemption without `stack` whose resource is in more than one checked set: refused, it must name one. */
export interface AmbiguousExemption {
  /** Position in the list given to {@link ambiguousExemptions}. */
  readonly index: number;
  readonly exemption: Exemption;
  /** The sets (files) that hold a resource the exemption names and its rule looks at. */
  readonly files: string[];
  /** Why, and how to fix it: `stack` with the candidates. */
  readonly reason: string;
}

/**
 * Exemptions that would cover the same resource id in more than one set (prod and dev templates both holding
 * `CiUserKey`): an exemption names ONE resource. Only resources the exemption's rule looks at count, so an
 * exemption that is unambiguous today stays valid. An exemption with `stack`, or naming a construct path (unique
 * in an app), is never ambiguous.
 */
export function ambiguousExemptions(exemptions: readonly Exemption[], sets: readonly ResourceSet[], rules: readonly Rule[] = CATALOG): AmbiguousExemption[] {
  const out: AmbiguousExemption[] = [];
  exemptions.forEach((exemption, index) => {
    if (exemption.stack !== undefined) return;
    const rule = rules.find((r) => r.id === exemption.ruleId);
    const files: string[] = [];
    for (const set of sets) {
      const holds = set.resources.some((r) => (rule === undefined || ruleAppliesTo(rule, r.type)) && exemptionMatches(exemption, exemption.ruleId, r));
      if (holds && !files.includes(set.file)) files.push(set.file);
    }
    if (files.length < 2) return;
    const names = files.map(stackNameOf);
    out.push({
      index,
      exemption,
      files,
      reason: `${describeExemption(exemption)} matches a resource in ${files.length} stacks (${names.join(', ')}); an exemption names one resource: `
        + `add "stack" with the one it is for (e.g. "stack": ${JSON.stringify(names[0])}), one entry per stack`,
    });
  });
  return out;
}

/** The catalog's rule ids: what an exemption may name. */
export function catalogRuleIds(): string[] {
  return CATALOG.map((r) => r.id);
}

function summarize(ids: readonly string[]): string {
  if (ids.length === 0) return 'no rules loaded';
  return ids.length <= 6 ? ids.join(', ') : `${ids.slice(0, 6).join(', ')}, ...`;
}

function render(value: unknown): string {
  return value === undefined ? '(missing)' : quoteValue(value);
}
