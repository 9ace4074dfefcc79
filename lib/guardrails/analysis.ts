/**
 * The analysis of one check: everything the rules, the trust inventory and the identity index work out about the
 * resource sets of one `evaluate` call (parsed policy documents, SQL statements, expression references, indexes),
 * remembered for the rest of that check and dropped with it. Nothing is kept between checks: no module of the
 * guardrails holds state of its own (DESIGN §2).
 *
 * - {@link CheckAnalysis}: one per check. Holds what does not depend on a set (an expression's references, a SQL
 *   text's statements, a policy object's statements), the notes of the check, and one {@link AnalysisContext} per
 *   resource set. Cross-input analysis (the federation graph) reads every set of the check through it.
 * - {@link AnalysisContext}: what a rule sees besides the resource: the set it is in, the rule options, what was
 *   worked out about that set, and a way to say what it could not check ({@link AnalysisContext.note}).
 *
 * Memo tables are declared as constants ({@link Memo}) next to the code that fills them; their contents live on
 * the analysis. A table's entries are shared by every rule of the check: callers must not mutate them.
 */
import type { NormalizedResource, ResourceSet, RuleOptions } from './model';
import { DEFAULT_RULE_OPTIONS } from './model';

/**
 * The name of a memo table: what it remembers, keyed by what. A constant: the entries live on a
 * {@link CheckAnalysis} or an {@link AnalysisContext}, never on the table.
 */
export class Memo<K, V> {
  /** Never set: carries the key and value types. */
  declare private readonly types?: (key: K) => V;
  constructor(readonly name: string) {
    Object.freeze(this);
  }
}

/** Memo tables of one scope (a check, or one set of it). */
class MemoTables {
  private readonly tables = new Map<Memo<unknown, unknown>, Map<unknown, unknown>>();

  table<K, V>(memo: Memo<K, V>): Map<K, V> {
    let table = this.tables.get(memo as Memo<unknown, unknown>);
    if (table === undefined) {
      table = new Map();
      this.tables.set(memo as Memo<unknown, unknown>, table);
    }
    return table as Map<K, V>;
  }

  remember<K, V>(memo: Memo<K, V>, key: K, compute: () => V): V {
    const table = this.table(memo);
    const known = table.get(key);
    if (known !== undefined || table.has(key)) return known as V;
    const value = compute();
    table.set(key, value);
    return value;
  }
}

/** One check (one `evaluate` call): its rule options, its notes, and what was worked out about its sets. */
export class CheckAnalysis {
  readonly options: RuleOptions;
  private readonly memos = new MemoTables();
  private readonly contexts = new Map<ResourceSet, AnalysisContext>();
  private readonly noteList: string[] = [];
  private readonly noted = new Set<string>();

  constructor(options: Partial<RuleOptions> = {}) {
    this.options = Object.freeze({ ...DEFAULT_RULE_OPTIONS, ...options });
  }

  /** The context of one resource set of this check (made on first use, then the same object). */
  of(set: ResourceSet): AnalysisContext {
    let context = this.contexts.get(set);
    if (context === undefined) {
      context = new AnalysisContext(this, set);
      this.contexts.set(set, context);
    }
    return context;
  }

  /** Every set this check has a context for, in the order they were first analysed. */
  get sets(): readonly ResourceSet[] {
    return [...this.contexts.keys()];
  }

  /**
   * The value remembered under `key` in `memo` for this check, computed on first use. For what does not depend on
   * a set (a string or an object read on its own): every set of the check shares the answer.
   */
  remember<K, V>(memo: Memo<K, V>, key: K, compute: () => V): V {
    return this.memos.remember(memo, key, compute);
  }

  /** The whole table of `memo` for this check, for callers that read it in a hot loop. */
  table<K, V>(memo: Memo<K, V>): Map<K, V> {
    return this.memos.table(memo);
  }

  /** Records something the check could not verify (one line; the same line is kept once). */
  note(text: string): void {
    if (this.noted.has(text)) return;
    this.noted.add(text);
    this.noteList.push(text);
  }

  /** The notes recorded so far, in order. */
  get notes(): readonly string[] {
    return this.noteList;
  }
}

/** A Terraform resource instance address: the resource's address, then `[N]` or `["key"]`. */
const INSTANCE_KEY = /^(.*\.[A-Za-z_][A-Za-z0-9_-]*)\[(?:\d+|"(?:[^"\\]|\\.)*")\]$/;

/** What a rule sees besides the resource: its set within one check, the options, and the check's memo tables. */
export class AnalysisContext {
  private readonly memos = new MemoTables();
  private index: Map<string, NormalizedResource> | undefined;

  /** Use {@link CheckAnalysis.of} (or {@link analysisContext} for one set on its own). */
  constructor(readonly check: CheckAnalysis, readonly set: ResourceSet) {}

  get options(): RuleOptions {
    return this.check.options;
  }

  /** The resource at `address` in the set (`data.x.y` for data sources; the first one when several share it). */
  resource(address: string): NormalizedResource | undefined {
    if (this.index === undefined) {
      const index = new Map<string, NormalizedResource>();
      const resources = this.set.resources;
      // An instance of a Terraform resource with count / for_each (`aws_iam_user.ci[0]`, `...["ci"]`) also answers for
      // the address references name it by, the index dropped (`${aws_iam_user.ci[0].name}` reads as `aws_iam_user.ci`),
      // unless a resource has that address itself. Written last to first, so the first in set order is what stays
      // (one hash per resource instead of a lookup and an insert).
      for (let i = resources.length - 1; i >= 0; i--) {
        const address = resources[i].address;
        if (address.charCodeAt(address.length - 1) !== 0x5d /* ] */) continue;
        const base = INSTANCE_KEY.exec(address)?.[1];
        if (base !== undefined) index.set(base, resources[i]);
      }
      for (let i = resources.length - 1; i >= 0; i--) index.set(resources[i].address, resources[i]);
      this.index = index;
    }
    return this.index.get(address);
  }

  /** The value remembered under `key` in `memo` for this set, computed on first use (for what depends on the set). */
  remember<K, V>(memo: Memo<K, V>, key: K, compute: () => V): V {
    return this.memos.remember(memo, key, compute);
  }

  /** The whole table of `memo` for this set, for callers that read it in a hot loop. */
  table<K, V>(memo: Memo<K, V>): Map<K, V> {
    return this.memos.table(memo);
  }

  /**
   * Records something a rule could not check on this set (a value known only at deploy time, a policy it cannot
   * see), so the run says so instead of passing it silently. Notes reach the evaluation's `notes` (the CLI, the
   * report and the CDK/cdktf validations show them); prefix the line with the resource it is about.
   */
  note(text: string): void {
    this.check.note(text);
  }
}

/** A context for one set on its own, in a check of its own (tests, and callers outside `evaluate`). */
export function analysisContext(set: ResourceSet = { file: '', engine: 'terraform', resources: [] }, options: Partial<RuleOptions> = {}): AnalysisContext {
  return new CheckAnalysis(options).of(set);
}
