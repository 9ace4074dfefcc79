import { NestingError, nestsDeeperThan } from '../nesting';
import { blocks, isObject } from '../policy/json';
import { abbreviate } from '../display';

/**
 * Builds the IAM policy JSON that `data "aws_iam_policy_document"` renders as its `json` attribute, from the
 * block's (already resolved) arguments: `version`, `policy_id`, `statement` blocks (`sid`, `effect`, `actions`,
 * `not_actions`, `resources`, `not_resources`, `principals`/`not_principals` {`type`, `identifiers`},
 * `condition` {`test`, `variable`, `values`}), `source_policy_documents` / `source_json` (statements first,
 * then this document's statements replace same-`Sid` ones) and `override_policy_documents` / `override_json`
 * (replace same-`Sid` statements or are appended).
 *
 * Like the provider, a one-element list renders as a single string and `principals { type = "*" }` as
 * `"Principal": "*"`. Values that are not statically known stay `${...}` strings. `problems` receives one line
 * per part that could not be read (a source document that is a variable, a `dynamic "statement"` block).
 */
export function buildPolicyDocument(body: Record<string, unknown>, problems: string[]): string {
  let statements: Record<string, unknown>[] = [];
  for (const source of documents(body.source_policy_documents, body.source_json)) {
    const parsed = statementsOf(source);
    if (parsed) statements.push(...parsed);
    else problems.push(`source policy document ${quoteDocument(source)} is not statically known`);
  }
  for (const block of blocks(body.statement)) {
    statements = upsert(statements, statement(block));
  }
  for (const override of documents(body.override_policy_documents, body.override_json)) {
    const parsed = statementsOf(override);
    if (parsed) for (const s of parsed) statements = upsert(statements, s);
    else problems.push(`override policy document ${quoteDocument(override)} is not statically known`);
  }
  if (isObject(body.dynamic) && body.dynamic.statement !== undefined) {
    problems.push('dynamic "statement" blocks whose for_each is not known statically are not expanded');
  }
  const doc: Record<string, unknown> = { Version: body.version ?? '2012-10-17' };
  if (body.policy_id !== undefined) doc.Id = body.policy_id;
  doc.Statement = statements;
  return JSON.stringify(doc);
}

function documents(list: unknown, single: unknown): unknown[] {
  const out: unknown[] = [];
  if (Array.isArray(list)) out.push(...list);
  else if (list !== undefined && list !== null) out.push(list);
  if (single !== undefined && single !== null) out.push(single);
  return out;
}

function statementsOf(doc: unknown): Record<string, unknown>[] | undefined {
  if (typeof doc !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(doc);
  } catch {
    return undefined;
  }
  // Reported by the normalizer as unusable input naming the file (see terraform-json.ts).
  if (nestsDeeperThan(parsed)) throw new NestingError('a source or override policy document');
  if (!isObject(parsed)) return undefined;
  const list = parsed.Statement;
  if (list === undefined) return [];
  return Array.isArray(list) ? list.filter(isObject) : isObject(list) ? [list] : undefined;
}

function upsert(statements: Record<string, unknown>[], s: Record<string, unknown>): Record<string, unknown>[] {
  const sid = s.Sid;
  if (typeof sid === 'string' && sid !== '') {
    const i = statements.findIndex((existing) => existing.Sid === sid);
    if (i >= 0) return statements.map((existing, j) => (j === i ? s : existing));
  }
  return [...statements, s];
}

function statement(block: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (block.sid !== undefined && block.sid !== '') out.Sid = block.sid;
  out.Effect = block.effect ?? 'Allow';
  const lists: Array<[string, string]> = [
    ['actions', 'Action'], ['not_actions', 'NotAction'], ['resources', 'Resource'], ['not_resources', 'NotResource'],
  ];
  for (const [from, to] of lists) {
    if (block[from] !== undefined) out[to] = single(block[from]);
  }
  if (block.principals !== undefined) out.Principal = principals(block.principals);
  if (block.not_principals !== undefined) out.NotPrincipal = principals(block.not_principals);
  if (block.condition !== undefined) out.Condition = conditions(block.condition);
  return out;
}

function principals(value: unknown): unknown {
  const list = blocks(value);
  if (list.length === 0) return value;
  if (list.length === 1 && list[0].type === '*' && isStar(list[0].identifiers)) return '*';
  const map: Record<string, unknown[]> = {};
  for (const p of list) {
    const type = String(p.type);
    map[type] = [...(map[type] ?? []), ...asList(p.identifiers)];
  }
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, single(v)]));
}

function conditions(value: unknown): unknown {
  const list = blocks(value);
  if (list.length === 0) return value;
  const map: Record<string, Record<string, unknown[]>> = {};
  for (const c of list) {
    const test = String(c.test);
    const variable = String(c.variable);
    map[test] = map[test] ?? {};
    map[test][variable] = [...(map[test][variable] ?? []), ...asList(c.values)];
  }
  return Object.fromEntries(Object.entries(map).map(([test, vars]) => [
    test, Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, single(v)])),
  ]));
}

function isStar(value: unknown): boolean {
  return value === '*' || (Array.isArray(value) && value.length === 1 && value[0] === '*');
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/** A one-element list renders as its element, like the provider does; unknown (`${...}`) values stay as they are. */
function single(value: unknown): unknown {
  return Array.isArray(value) && value.length === 1 ? value[0] : value;
}

function quoteDocument(value: unknown): string {
  return abbreviate(typeof value === 'string' ? value : JSON.stringify(value));
}
