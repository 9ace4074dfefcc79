/**
 * The guardrail rule catalog (DESIGN §3), assembled from the rule files: every `kl-<area>-<nn>-<what>.ts` (`.js` once
 * compiled) in this directory exports one {@link Rule} that describes itself (id, severity, category, title, fix, the
 * types and properties it reads), so a new rule is its file, its test and its README row; nothing here lists rules.
 * IDs are a public contract and never change meaning.
 *
 * Catalog order: by area as DESIGN §3 lists them (AWS, Snowflake, Entra, trusts, Google Cloud, cross-input), an area
 * it does not list after those (alphabetically), then by number.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Rule } from '../model';

/** A rule file's name: `kl-aws-01-access-key.ts`, or `.js` compiled (declaration files are not rules). */
const RULE_FILE = /^(kl-([a-z]+)-(\d+))(?:-[a-z0-9-]+)?\.(ts|js)$/;
/** Areas in DESIGN §3 order. */
const AREA_ORDER: readonly string[] = ['aws', 'sf', 'az', 'tr', 'gcp', 'fed'];
const SEVERITIES: readonly string[] = ['error', 'warning'];
const CATEGORIES: readonly string[] = ['credential', 'trust'];

/** A rule file that does not describe its rule fully, or a catalog with two rules of one id. */
export class RuleCatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleCatalogError';
    Object.setPrototypeOf(this, RuleCatalogError.prototype);
  }
}

/**
 * Loads every rule file of `directory` (default: this one) and returns the rules in catalog order, frozen. A file
 * compiled next to its source counts once: the one with this module's own extension (`.ts` under ts-node and
 * the test suite, `.js` in the package). Throws a {@link RuleCatalogError} naming the file when a rule file exports no rule
 * or more than one, when a rule lacks a field or has one of the wrong kind, when its id does not match its file name,
 * and when two files declare the same id.
 */
export function loadRules(directory: string = __dirname): readonly Rule[] {
  const own = path.extname(__filename);
  const chosen = new Map<string, string>();
  for (const file of fs.readdirSync(directory).sort()) {
    const m = RULE_FILE.exec(file);
    if (!m || file.endsWith('.d.ts')) continue;
    const stem = file.slice(0, -path.extname(file).length);
    const prior = chosen.get(stem);
    if (prior === undefined || path.extname(file) === own) chosen.set(stem, file);
  }
  const rules: { rule: Rule; file: string }[] = [];
  const byId = new Map<string, string>();
  for (const file of chosen.values()) {
    const at = path.join(directory, file);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the catalog is the set of rule files, found at load time
    const exported = Object.values(require(at) as Record<string, unknown>).filter(isRuleShaped);
    if (exported.length !== 1) {
      throw new RuleCatalogError(`${at}: a rule file exports exactly one rule (an object with an id and a check function); found ${exported.length}`);
    }
    const rule = exported[0];
    validateRule(rule, at);
    const expected = RULE_FILE.exec(file)![1].toUpperCase();
    if (rule.id !== expected) throw new RuleCatalogError(`${at}: the rule's id ${JSON.stringify(rule.id)} does not match its file name (expected ${expected})`);
    const other = byId.get(rule.id);
    if (other !== undefined) throw new RuleCatalogError(`${at}: rule id ${rule.id} is already declared by ${other}; ids are unique`);
    byId.set(rule.id, at);
    rules.push({ rule, file });
  }
  return Object.freeze(rules.map((r) => r.rule).sort(byCatalogOrder));
}

function isRuleShaped(value: unknown): value is Rule {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'
    && typeof (value as { check?: unknown }).check === 'function';
}

/** Throws when a rule does not describe itself fully (see {@link Rule}). */
function validateRule(rule: Rule, at: string): void {
  const problem = (field: string, expected: string): never => {
    throw new RuleCatalogError(`${at}: rule ${rule.id} has no valid ${field} (expected ${expected}, got ${JSON.stringify((rule as unknown as Record<string, unknown>)[field]) ?? 'nothing'})`);
  };
  if (!/^KL-[A-Z]+-\d{2}$/.test(rule.id)) problem('id', 'KL-<AREA>-<nn>');
  if (!SEVERITIES.includes(rule.severity)) problem('severity', SEVERITIES.join(' or '));
  if (!CATEGORIES.includes(rule.category)) problem('category', CATEGORIES.join(' or '));
  if (typeof rule.title !== 'string' || rule.title.trim() === '') problem('title', 'one line saying what the rule catches');
  if (typeof rule.fix !== 'string' || rule.fix.trim() === '') problem('fix', 'the federated replacement');
  const crossInput = typeof rule.checkGraph === 'function';
  if (!Array.isArray(rule.appliesTo) || (rule.appliesTo.length === 0 && !crossInput) || !rule.appliesTo.every((t) => typeof t === 'string' && t !== '')) {
    problem('appliesTo', 'a non-empty list of resource types (empty only for a cross-input rule, which has checkGraph)');
  }
  const reads = rule.reads as unknown;
  if (typeof reads !== 'object' || reads === null || Array.isArray(reads)
    || !Object.values(reads).every((names) => Array.isArray(names) && names.every((n) => typeof n === 'string' && n !== ''))) {
    problem('reads', 'an object of resource type -> property names ({} when the rule reads no property)');
  }
}

function catalogKey(id: string): [number, string, number] {
  const [, area, number] = /^KL-([A-Z]+)-(\d+)$/.exec(id)!;
  const rank = AREA_ORDER.indexOf(area.toLowerCase());
  return [rank === -1 ? AREA_ORDER.length : rank, area, Number(number)];
}

function byCatalogOrder(a: Rule, b: Rule): number {
  const [ra, aa, na] = catalogKey(a.id);
  const [rb, ab, nb] = catalogKey(b.id);
  return ra - rb || (aa < ab ? -1 : aa > ab ? 1 : 0) || na - nb;
}

/** Every rule, in catalog order. */
export const CATALOG: readonly Rule[] = loadRules();

const BY_ID: ReadonlyMap<string, Rule> = new Map(CATALOG.map((r) => [r.id, r]));

/** The rule with this id, or undefined. */
export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
