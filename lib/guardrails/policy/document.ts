/**
 * IAM policy documents as rules need them: statements from an object, a JSON string (Terraform
 * `policy` / `assume_role_policy`), an `Fn::Join` that builds JSON, or a reference to a Terraform
 * `aws_iam_policy_document` data source in the same configuration.
 */
import type { AnalysisContext } from '../analysis';
import { Memo } from '../analysis';
import type { Writable } from '../model';
import { NestingError, nestsDeeperThan } from '../nesting';
import { hasInterpolation, interpolations, tfReferences } from './interpolation';
import { conditionalAlternatives, isIntrinsic, whenText } from './intrinsics';
import { asArray, blocks, getCi, isObject, Obj } from './json';
import { flatten } from './static-value';

/** One condition entry: `operator: { key: values }` flattened to one key. Entries are ANDed. */
export interface Condition {
  /** Operator as written, e.g. `ForAllValues:StringEquals`. */
  readonly operator: string;
  /** Lower-case base operator without qualifier or `IfExists`, e.g. `stringequals`. */
  readonly base: string;
  /** Lower-case set qualifier, if any. */
  readonly qualifier?: 'forallvalues' | 'foranyvalue';
  /** True for `...IfExists` operators. */
  readonly ifExists: boolean;
  /** Condition key as written, e.g. `sts:IdentityTokenAudience`. */
  readonly key: string;
  /** Values (ORed for single-valued comparisons). */
  readonly values: unknown[];
}

/** A policy statement, normalized. */
export interface Statement {
  /** Position in the document (0-based). */
  readonly index: number;
  readonly sid?: string;
  /** `Allow`, `Deny`, or `unknown` when not a literal. */
  readonly effect: 'Allow' | 'Deny' | 'unknown';
  /** `Action` entries (undefined when the statement uses `NotAction`). */
  readonly actions?: unknown[];
  /** `NotAction` entries. */
  readonly notActions?: unknown[];
  /** `Principal` as written. */
  readonly principal?: unknown;
  readonly resources: unknown[];
  readonly conditions: Condition[];
  /** True when the Condition block itself (or an operator's body) is not statically known. */
  readonly conditionsUnresolved: boolean;
  /**
   * The CloudFormation condition outcomes under which the statement is deployed (`condition IsProd is true`), when an
   * `Fn::If` chooses the `Statement` list, the statement or its `Condition` block: each branch is a statement of its own.
   */
  readonly when?: readonly string[];
}

/** Result of reading a policy document. */
export interface PolicyDocument {
  readonly statements: Statement[];
  /** Set when the document (or part of it) could not be read statically; says why. */
  readonly unresolved?: string;
}

/** Splits an operator into qualifier, base and IfExists, all lower case. */
export function parseOperator(operator: string): { base: string; qualifier?: 'forallvalues' | 'foranyvalue'; ifExists: boolean } {
  let op = operator.trim().toLowerCase();
  let qualifier: 'forallvalues' | 'foranyvalue' | undefined;
  const colon = op.indexOf(':');
  if (colon !== -1) {
    const q = op.slice(0, colon);
    if (q === 'forallvalues' || q === 'foranyvalue') qualifier = q;
    op = op.slice(colon + 1);
  }
  let ifExists = false;
  if (op.endsWith('ifexists')) {
    ifExists = true;
    op = op.slice(0, -'ifexists'.length);
  }
  return qualifier ? { base: op, qualifier, ifExists } : { base: op, ifExists };
}

function parseConditions(block: unknown): { conditions: Condition[]; unresolved: boolean } {
  if (block === undefined || block === null) return { conditions: [], unresolved: false };
  if (!isObject(block) || isIntrinsic(block)) return { conditions: [], unresolved: true };
  const conditions: Condition[] = [];
  let unresolved = false;
  for (const [operator, body] of Object.entries(block)) {
    if (!isObject(body) || isIntrinsic(body)) {
      unresolved = true;
      continue;
    }
    const { base, qualifier, ifExists } = parseOperator(operator);
    for (const key of Object.keys(body)) {
      const values = asArray(body[key]);
      conditions.push(qualifier ? { operator, base, qualifier, ifExists, key, values } : { operator, base, ifExists, key, values });
    }
  }
  return { conditions, unresolved };
}

function effectOf(value: unknown): Statement['effect'] {
  if (typeof value !== 'string' || hasInterpolation(value)) return 'unknown';
  const v = value.trim().toLowerCase();
  if (v === 'allow') return 'Allow';
  if (v === 'deny') return 'Deny';
  return 'unknown';
}

/**
 * Case-insensitive reads of one object, same answers as {@link getCi}: the exact key first, else the first key
 * (in key order) whose lower case matches. The lower-cased keys are built once, not once per absent key.
 */
function ciReader(obj: Obj): (key: string) => unknown {
  let lower: Map<string, string> | undefined;
  return (key) => {
    if (key in obj) return obj[key];
    if (!lower) {
      lower = new Map();
      for (const k of Object.keys(obj)) {
        const l = k.toLowerCase();
        if (!lower.has(l)) lower.set(l, k);
      }
    }
    const k = lower.get(key.toLowerCase());
    return k === undefined ? undefined : obj[k];
  };
}

/**
 * The statement, or one per branch when an `Fn::If` chooses its `Condition` block (an `AWS::NoValue` branch is the
 * statement without conditions).
 */
function statementsFrom(raw: Obj, index: number, when: readonly string[], out: Statement[]): void {
  const get = ciReader(raw);
  const block = get('Condition');
  if (!isIntrinsic(block) || (block.Ref !== 'AWS::NoValue' && !Array.isArray(block['Fn::If']))) {
    out.push(statementFrom(get, index, block, when));
    return;
  }
  const choices = conditionalAlternatives(block, when, { keepNoValue: true });
  for (const choice of choices) out.push(statementFrom(get, index, choice.value, choice.when));
}

function statementFrom(get: (key: string) => unknown, index: number, block: unknown, when: readonly string[]): Statement {
  const { conditions, unresolved } = parseConditions(block);
  const action = get('Action');
  const notAction = get('NotAction');
  const sid = get('Sid');
  const principal = get('Principal');
  // field by field, in this order (one per statement of every policy read: see toFinding in evaluate.ts on spreads)
  const statement: Writable<Statement> = { index } as Statement;
  if (typeof sid === 'string' && sid !== '') statement.sid = sid;
  statement.effect = effectOf(get('Effect'));
  if (action !== undefined) statement.actions = asArray(action);
  if (notAction !== undefined) statement.notActions = asArray(notAction);
  if (principal !== undefined) statement.principal = principal;
  statement.resources = asArray(get('Resource'));
  statement.conditions = conditions;
  statement.conditionsUnresolved = unresolved;
  if (when.length > 0) statement.when = when;
  return statement;
}

/** Statements of a parsed JSON policy object. */
/**
 * An `Fn::If` around the `Statement` list or around one statement (CloudFormation) is two possible deployments: the
 * statements of each branch are read, each carrying the condition outcome that deploys it (`Statement.when`), and an
 * `AWS::NoValue` branch holds none. Rules judge statements one by one, so a finding in either branch is reported.
 */
function fromObject(doc: Obj): PolicyDocument {
  const statement = getCi(doc, 'Statement');
  if (statement === undefined) return { statements: [] };
  if (typeof statement === 'string') return { statements: [], unresolved: 'the Statement list is not a literal' };
  const statements: Statement[] = [];
  let unresolved: string | undefined;
  for (const list of isIntrinsic(statement) ? conditionalAlternatives(statement) : [{ value: statement, when: NO_CONDITION }]) {
    if (isIntrinsic(list.value) || typeof list.value === 'string') {
      unresolved = `the Statement list${whenText(list.when)} is not a literal`;
      continue;
    }
    asArray(list.value).forEach((raw, i) => {
      if (isObject(raw) && !isIntrinsic(raw)) {
        statementsFrom(raw, i, list.when, statements);
        return;
      }
      for (const choice of conditionalAlternatives(raw, list.when)) {
        if (isObject(choice.value) && !isIntrinsic(choice.value)) statementsFrom(choice.value, i, choice.when, statements);
        else unresolved = `statement ${i}${whenText(choice.when)} is not a literal object`;
      }
    });
  }
  return { statements, ...(unresolved ? { unresolved } : {}) };
}

const NO_CONDITION: readonly string[] = Object.freeze([]);

/**
 * A JSON policy built with `Fn::Join` / `Fn::Sub` is parsed with each value known only at deploy time replaced by a
 * marker of letters, digits and `_` (so the analysis treats it as an opaque word, whatever case a rule folds it to)
 * that carries the original expression in hex; {@link showUnresolved} turns markers in messages back into it.
 */
const UNRESOLVED_MARKER = /__keyless_unresolved_([0-9a-f]*)__/gi;
const MAX_SHOWN_EXPRESSION = 80;

function unresolvedMarker(expression: unknown): string {
  return `__KEYLESS_UNRESOLVED_${Buffer.from(expressionText(expression), 'utf8').toString('hex')}__`;
}

/** `${Name}` for a `Ref`, `${Res.Attr}` for an `Fn::GetAtt` (Fn::Sub's way of writing them), else the intrinsic. */
function expressionText(expression: unknown): string {
  if (typeof expression === 'string') return expression;
  if (isObject(expression)) {
    const ref = expression.Ref;
    if (typeof ref === 'string') return `\${${ref}}`;
    const att = expression['Fn::GetAtt'];
    if (Array.isArray(att) && att.every((a) => typeof a === 'string')) return `\${${att.join('.')}}`;
    if (typeof att === 'string') return `\${${att}}`;
  }
  const text = JSON.stringify(expression) ?? '';
  return text.length <= MAX_SHOWN_EXPRESSION ? text : 'a value known only at deploy time';
}

/** Puts the original expression back where a message shows a value of a policy built with intrinsics. */
export function showUnresolved(text: string): string {
  if (!text.includes('__') || !/__keyless_unresolved_/i.test(text)) return text;
  return text.replace(UNRESOLVED_MARKER, (_, hex: string) => Buffer.from(hex.toLowerCase(), 'hex').toString('utf8') || 'a value known only at deploy time');
}

/** Documents read from objects: they do not depend on the set (only strings can name a data source). */
const OBJECT_DOCUMENTS = new Memo<object, PolicyDocument>('policy document of an object');
/** Documents read from strings, per set (a string may name a data source of that set). */
const STRING_DOCUMENTS = new Memo<string, PolicyDocument>('policy document of a string');

/**
 * Reads a policy document from whatever the synthesized output holds.
 * `depth` guards against data sources that include each other.
 *
 * Top-level reads are remembered for the check (per input value, and per set for strings): findTrusts, KL-TR-03 and
 * KL-TR-04 all read the same documents. The result is shared: callers must not mutate it.
 */
export function readPolicyDocument(value: unknown, context: AnalysisContext, depth = 0): PolicyDocument {
  if (depth !== 0) return readUncached(value, context, depth);
  if (typeof value === 'object' && value !== null) {
    const table = context.check.table(OBJECT_DOCUMENTS);
    let doc = table.get(value);
    if (!doc) {
      doc = readUncached(value, context, depth);
      table.set(value, doc);
    }
    return doc;
  }
  if (typeof value === 'string') {
    const table = context.table(STRING_DOCUMENTS);
    let doc = table.get(value);
    if (!doc) {
      doc = readUncached(value, context, depth);
      table.set(value, doc);
    }
    return doc;
  }
  return readUncached(value, context, depth);
}

/** The answer for a document that certainly holds no statement granting the action asked about. */
const NO_STATEMENTS: PolicyDocument = Object.freeze({ statements: Object.freeze([]) as unknown as Statement[] });

const NON_ASCII_OR_ESCAPE = /[^\x00-\x7f]|\\/;

/** Characters a wildcard action pattern matching an IAM action can hold (letters, `:`, wildcards, padding). */
function actionPatternChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x3a || c === 0x2a || c === 0x3f
    || c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/**
 * True when some `*` or `?` of the text sits in a JSON string literal (no escapes: the caller checked) made only
 * of {@link actionPatternChar}s, i.e. a literal that could be a wildcard action such as `*`, `sts:*`, `STS:get*`.
 */
function hasWildcardLiteral(text: string): boolean {
  for (const wildcard of ['*', '?']) {
    for (let i = text.indexOf(wildcard); i !== -1; i = text.indexOf(wildcard, i + 1)) {
      let a = i - 1;
      while (a >= 0 && actionPatternChar(text.charCodeAt(a))) a--;
      if (a < 0 || text.charCodeAt(a) !== 0x22) continue;
      let b = i + 1;
      while (b < text.length && actionPatternChar(text.charCodeAt(b))) b++;
      if (b < text.length && text.charCodeAt(b) === 0x22) return true;
    }
  }
  return false;
}

/**
 * Conservative pre-check on a policy JSON string (trimmed, starting with `{`): false only when no statement of
 * it can grant `action` (see `grantOf`), so that it need not be parsed. True when the text holds the action
 * (any case), `NotAction` (any case), a string literal that could be a wildcard action (`*`, `sts:*`,
 * `STS:get*`, `s?s:*`...), or anything that could hide one of these from a plain text search: a backslash
 * (JSON escapes such as `\u0047`) or a non-ASCII character (case folding such as the Kelvin sign).
 */
export function mayGrantAction(text: string, action: string, mention: RegExp = actionMention(action)): boolean {
  if (NON_ASCII_OR_ESCAPE.test(text)) return true;
  return mention.test(text) || hasWildcardLiteral(text);
}

/** The action or `NotAction` anywhere in a text, any case (for {@link mayGrantAction}). */
function actionMention(action: string): RegExp {
  return new RegExp(`${action.toLowerCase().replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}|notaction`, 'i');
}

/**
 * The compiled mention per action, and pre-check answers per policy text, for the check (the answer does not depend
 * on the set): a trust policy string is read by the OIDC trust walk and by KL-TR-01. Policy objects are not
 * remembered: their pre-check walks a few keys, cheaper than a memo lookup, and each is read once per resource (the
 * token grants and trust entries of a resource are remembered).
 */
const GRANT_CHECKS = new Memo<string, { readonly mention: RegExp; readonly answers: Map<string, boolean> }>('whether a policy text may grant an action, per action');

function mayGrantCached(text: string, context: AnalysisContext, action: string): boolean {
  const { mention, answers } = context.check.remember(GRANT_CHECKS, action, () => ({ mention: actionMention(action), answers: new Map<string, boolean>() }));
  let may = answers.get(text);
  if (may === undefined) {
    may = mayGrantAction(text, action, mention);
    answers.set(text, may);
  }
  return may;
}

/**
 * {@link readPolicyDocument} for callers that only look at statements granting `action` (token minting, web
 * identity trusts): a policy JSON string that cannot grant it ({@link mayGrantAction}) is not parsed and reads as
 * having no statements (and no `unresolved` note). Anything else (objects, intrinsics, expressions, data source
 * references) is read in full.
 */
export function readPolicyDocumentFor(value: unknown, context: AnalysisContext, action: string): PolicyDocument {
  if (typeof value === 'string') {
    const start = value.search(/\S/);
    if (start !== -1 && value.charCodeAt(start) === 0x7b /* { */ && !mayGrantCached(value, context, action)) return NO_STATEMENTS;
  } else if (isObject(value) && !isIntrinsic(value) && !objectMayGrantAction(value, action)) {
    return NO_STATEMENTS;
  }
  return readPolicyDocument(value, context);
}

/**
 * Conservative pre-check on a policy document object (CloudFormation), before statements are normalized: false
 * only when every statement is a literal object whose `Action` entries (under any key that lower-cases to
 * `action`) are literal strings that are neither the action (any case, trimmed) nor hold a `*`/`?`, and no key
 * lower-cases to `notaction`. A `Statement` that is not a literal list of objects is read in full.
 */
export function objectMayGrantAction(doc: Obj, action: string): boolean {
  const wanted = action.toLowerCase();
  for (const key of Object.keys(doc)) {
    // only a 9-letter key can lower-case to `statement`: no lower-cased copy of `Version`, `Id`, ...
    if (key.length !== 9 || key.toLowerCase() !== 'statement') continue;
    const list = doc[key];
    if (isIntrinsic(list) || typeof list === 'string') return true;
    for (const raw of asArray(list)) {
      if (!isObject(raw) || isIntrinsic(raw)) return true;
      for (const k of Object.keys(raw)) {
        // Only keys of 6 (`Action`) or 9 (`NotAction`) letters can lower-case to either: no case folding for the rest.
        if (k.length !== 6 && k.length !== 9) continue;
        const lower = k.toLowerCase();
        if (lower === 'notaction') return true;
        if (lower !== 'action') continue;
        for (const entry of asArray(raw[k])) {
          if (typeof entry !== 'string') return true;
          if (entry.includes('*') || entry.includes('?') || (entry.length >= wanted.length && entry.trim().toLowerCase() === wanted)) return true;
        }
      }
    }
  }
  return false;
}

function readUncached(value: unknown, context: AnalysisContext, depth: number): PolicyDocument {
  if (value === undefined || value === null || value === '') return { statements: [] };
  if (depth > 5) return { statements: [], unresolved: 'policy documents nest too deeply' };
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (hasInterpolation(trimmed)) {
      // `${data.aws_iam_policy_document.x.json}` (whole-string reference to a data source).
      const exprs = interpolations(trimmed);
      if (exprs.length === 1 && trimmed.startsWith('${') && trimmed.endsWith('}')) {
        const refs = tfReferences(exprs[0], context);
        if (refs.length === 1 && refs[0].address.startsWith('data.aws_iam_policy_document.')) {
          const data = context.resource(refs[0].address);
          if (data) return fromDataSource(data.properties, context, depth + 1);
          return { statements: [], unresolved: `${refs[0].address} is not in this configuration` };
        }
      }
      // A JSON string with interpolations inside values, e.g. `"Resource": "${aws_s3_bucket.b.arn}"`.
      const parsed = parsePolicyJson(trimmed);
      if (parsed && isObject(parsed.value)) return fromObject(parsed.value);
      return { statements: [], unresolved: `the policy is an expression (${trimmed.length > 60 ? `${trimmed.slice(0, 57)}...` : trimmed})` };
    }
    const parsed = parsePolicyJson(trimmed);
    if (!parsed) return { statements: [], unresolved: 'the policy is not valid JSON' };
    if (isObject(parsed.value)) return fromObject(parsed.value);
    return { statements: [], unresolved: 'the policy JSON is not an object' };
  }
  if (isIntrinsic(value)) {
    const text = flatten(value, unresolvedMarker);
    if (text !== undefined && text.trim().startsWith('{')) {
      const parsed = parsePolicyJson(text);
      if (parsed && isObject(parsed.value)) return fromObject(parsed.value);
    }
    return { statements: [], unresolved: 'the policy document is built with an intrinsic function' };
  }
  if (isObject(value)) return fromObject(value);
  return { statements: [], unresolved: 'the policy document is not an object' };
}

/**
 * `JSON.parse` of policy text: `undefined` when it is not JSON. JSON nested deeper than 512 levels (`MAX_NESTING`)
 * throws `NestingError`, so that the rule reading it reports the resource as not checked instead of the walks over
 * its values overflowing the stack.
 */
function parsePolicyJson(text: string): { value: unknown } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (nestsDeeperThan(value)) throw new NestingError('the policy JSON');
  return { value };
}

/**
 * Converts a Terraform `data "aws_iam_policy_document"` block (its arguments) into statements,
 * including `source_policy_documents` / `override_policy_documents` it merges.
 */
export function fromDataSource(props: Obj, context: AnalysisContext, depth = 0): PolicyDocument {
  const statements: Statement[] = [];
  let unresolved: string | undefined;
  for (const key of ['source_policy_documents', 'source_json', 'override_policy_documents', 'override_json']) {
    const docs = props[key];
    if (docs === undefined) continue;
    if (typeof docs === 'string' && hasInterpolation(docs) && !docs.trim().startsWith('${data.')) {
      unresolved = `${key} is an expression`;
      continue;
    }
    for (const doc of asArray(docs)) {
      const inner = readPolicyDocument(doc, context, depth + 1);
      statements.push(...inner.statements);
      if (inner.unresolved) unresolved = inner.unresolved;
    }
  }
  if (typeof props.statement === 'string') unresolved = 'the statement blocks are an expression';
  const base = statements.length;
  blocks(props.statement).forEach((s, i) => {
    const conditions: Condition[] = [];
    let conditionsUnresolved = false;
    for (const c of blocks(s.condition)) {
      if (typeof c.test !== 'string' || typeof c.variable !== 'string') {
        conditionsUnresolved = true;
        continue;
      }
      const parsed = parseOperator(c.test);
      if (typeof c.values === 'string' && hasInterpolation(c.values)) conditionsUnresolved = true;
      conditions.push({ operator: c.test, ...parsed, key: c.variable, values: asArray(c.values) });
    }
    const principalOf = (value: unknown): Obj | undefined => {
      const list = blocks(value);
      if (list.length === 0) return undefined;
      const principal: Record<string, unknown[]> = {};
      for (const p of list) {
        const type = typeof p.type === 'string' ? p.type : 'Unknown';
        principal[type] = [...(principal[type] ?? []), ...asArray(p.identifiers)];
      }
      return principal;
    };
    const principal = principalOf(s.principals);
    statements.push({
      index: base + i,
      ...(typeof s.sid === 'string' && s.sid !== '' ? { sid: s.sid } : {}),
      effect: s.effect === undefined ? 'Allow' : effectOf(s.effect),
      ...(s.actions !== undefined ? { actions: asArray(s.actions) } : {}),
      ...(s.not_actions !== undefined ? { notActions: asArray(s.not_actions) } : {}),
      ...(principal ? { principal } : {}),
      resources: asArray(s.resources),
      conditions,
      conditionsUnresolved,
    });
  });
  return { statements, ...(unresolved ? { unresolved } : {}) };
}

/** How a statement is named in messages: `statement "Sid"` or `statement #2`. */
export function statementLabel(statement: Statement): string {
  return `${statement.sid ? `statement "${statement.sid}"` : `statement #${statement.index + 1}`}${whenText(statement.when)}`;
}
