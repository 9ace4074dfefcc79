/**
 * A small Snowflake SQL reader for `snowflake_execute`: finds credentials set through SQL and
 * workload identities, in any case, spacing, line breaks and comments, without being fooled by
 * string literals (`COMMENT = 'PASSWORD = x'` sets no password).
 *
 * Decisions:
 * - A credential clause is `PASSWORD`, `RSA_PUBLIC_KEY`, `RSA_PUBLIC_KEY_2` followed by `=` (or
 *   directly by a value), and `ADD`/`ROTATE` `PROGRAMMATIC ACCESS TOKEN` / `PAT`. Stage and
 *   integration credentials (`AWS_SECRET_KEY`, `AZURE_SAS_TOKEN`) are static keys too.
 * - `UNSET PASSWORD` / `UNSET RSA_PUBLIC_KEY` remove a credential: not a finding. So are
 *   `RESET PASSWORD`, `REMOVE PAT`, `MUST_CHANGE_PASSWORD = TRUE` and `SET PASSWORD POLICY`.
 * - `SET WORKLOAD_IDENTITY = (...)` is the federated path: never a finding.
 * - SQL inside `EXECUTE IMMEDIATE '...'` and `$$ ... $$` bodies is read too.
 * - Terraform interpolations `${...}` are opaque name tokens.
 */
import type { AnalysisContext } from '../analysis';
import { Memo } from '../analysis';

export type TokenKind = 'word' | 'quoted' | 'string' | 'dollar' | 'interp' | 'number' | 'punct';

export interface SqlToken {
  readonly kind: TokenKind;
  /** Raw text; for `string`/`dollar` the unescaped content, for `quoted` the name without quotes. */
  readonly text: string;
  /** Upper-case text for `word` tokens. */
  readonly upper: string;
}

const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;

/** Splits SQL into tokens, dropping whitespace and comments (`--`, `//`, `/* *\/`). */
export function tokenize(sql: string): SqlToken[] {
  const out: SqlToken[] = [];
  let i = 0;
  const n = sql.length;
  const push = (kind: TokenKind, text: string): void => {
    out.push({ kind, text, upper: kind === 'word' ? text.toUpperCase() : text });
  };
  while (i < n) {
    const c = sql[i];
    const code = sql.charCodeAt(i);
    if (code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code > 0x7f && /\s/.test(c))) {
      i++;
      continue;
    }
    if ((c === '-' && sql[i + 1] === '-') || (c === '/' && sql[i + 1] === '/')) {
      while (i < n && sql[i] !== '\n' && sql[i] !== '\r') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      continue;
    }
    if (c === "'") {
      let text = '';
      i++;
      while (i < n) {
        if (sql[i] === '\\' && i + 1 < n) {
          text += sql[i + 1];
          i += 2;
        } else if (sql[i] === "'" && sql[i + 1] === "'") {
          text += "'";
          i += 2;
        } else if (sql[i] === "'") {
          i++;
          break;
        } else {
          // A run of ordinary characters at once, not one concatenation per character.
          let j = i + 1;
          while (j < n && sql[j] !== "'" && sql[j] !== '\\') j++;
          text += sql.slice(i, j);
          i = j;
        }
      }
      push('string', text);
      continue;
    }
    if (c === '"') {
      let text = '';
      i++;
      while (i < n) {
        if (sql[i] === '"' && sql[i + 1] === '"') {
          text += '"';
          i += 2;
        } else if (sql[i] === '"') {
          i++;
          break;
        } else {
          let j = i + 1;
          while (j < n && sql[j] !== '"') j++;
          text += sql.slice(i, j);
          i = j;
        }
      }
      push('quoted', text);
      continue;
    }
    if (c === '$' && sql[i + 1] === '$') {
      const end = sql.indexOf('$$', i + 2);
      push('dollar', sql.slice(i + 2, end === -1 ? n : end));
      i = end === -1 ? n : end + 2;
      continue;
    }
    if (c === '$' && sql[i + 1] === '{') {
      let depth = 1;
      let j = i + 2;
      for (; j < n && depth > 0; j++) {
        if (sql[j] === '{') depth++;
        else if (sql[j] === '}') depth--;
      }
      push('interp', sql.slice(i, j));
      i = j;
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(sql);
    if (word) {
      // At most 300 characters per word token (longer runs continue as further tokens).
      const text = word[0].length > 300 ? word[0].slice(0, 300) : word[0];
      push('word', text);
      i += text.length;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(sql.slice(i, i + 50));
    if (num) {
      push('number', num[0]);
      i += num[0].length;
      continue;
    }
    push('punct', c);
    i++;
  }
  return out;
}

/** Splits tokens into statements at `;`. */
export function statements(tokens: SqlToken[]): SqlToken[][] {
  const out: SqlToken[][] = [[]];
  for (const t of tokens) {
    if (t.kind === 'punct' && t.text === ';') out.push([]);
    else out[out.length - 1].push(t);
  }
  return out.filter((s) => s.length > 0);
}

/**
 * The statements of a SQL text. With a context, each text is read once per check: the same `snowflake_execute`
 * text is read by the Snowflake auth state, the identity index and KL-SF-06. The result is shared: do not mutate it.
 */
function sqlStatements(sql: string, context: AnalysisContext | undefined): SqlToken[][] {
  if (context === undefined) return statements(tokenize(sql));
  return context.check.remember(SQL_STATEMENTS, sql, () => statements(tokenize(sql)));
}

/** The statements of each SQL text read in a check (see {@link sqlStatements}). */
const SQL_STATEMENTS = new Memo<string, SqlToken[][]>('statements of a SQL text');

/** A credential clause found in SQL. */
export interface SqlCredential {
  /** `PASSWORD`, `RSA_PUBLIC_KEY`, `RSA_PUBLIC_KEY_2`, `PROGRAMMATIC ACCESS TOKEN`, `AWS_SECRET_KEY`, `AZURE_SAS_TOKEN`. */
  readonly clause: string;
  /** `ADD` / `ROTATE` for tokens, `SET` for properties. */
  readonly verb: string;
  /** The user the statement targets, as written (name, quoted name or `${...}`), if any. */
  readonly user?: string;
}

const PROPERTY_CREDENTIALS = new Set(['PASSWORD', 'RSA_PUBLIC_KEY', 'RSA_PUBLIC_KEY_2', 'AWS_SECRET_KEY', 'AZURE_SAS_TOKEN']);
const VALUE_KINDS: readonly TokenKind[] = ['string', 'dollar', 'interp', 'quoted'];

const isPunct = (t: SqlToken | undefined, p: string): boolean => t !== undefined && t.kind === 'punct' && t.text === p;
const isWord = (t: SqlToken | undefined, ...w: string[]): boolean => t !== undefined && t.kind === 'word' && w.includes(t.upper);

/**
 * The user a statement targets: `ALTER USER [IF EXISTS] <name>` or
 * `CREATE [OR REPLACE] USER [IF NOT EXISTS] <name>`. Names may be dotted, quoted or `${...}`.
 */
export function statementUser(stmt: SqlToken[]): string | undefined {
  let i = 0;
  while (isWord(stmt[i], 'BEGIN', 'THEN', 'ELSE', 'DO')) i++; // first statement of a scripting block
  if (isWord(stmt[i], 'ALTER')) i++;
  else if (isWord(stmt[i], 'CREATE')) {
    i++;
    if (isWord(stmt[i], 'OR') && isWord(stmt[i + 1], 'REPLACE')) i += 2;
  } else return undefined;
  if (!isWord(stmt[i], 'USER')) return undefined;
  i++;
  if (isWord(stmt[i], 'IF') && isWord(stmt[i + 1], 'EXISTS')) i += 2;
  else if (isWord(stmt[i], 'IF') && isWord(stmt[i + 1], 'NOT') && isWord(stmt[i + 2], 'EXISTS')) i += 3;
  const parts: string[] = [];
  while (i < stmt.length) {
    const t = stmt[i];
    if (t.kind === 'interp') parts.push(t.text);
    else if (t.kind === 'quoted') parts.push(`"${t.text.replace(/"/g, '""')}"`);
    else if (t.kind === 'word' && parts.length === 0) parts.push(t.text);
    else if (t.kind === 'word' && isPunct(stmt[i - 1], '.')) parts.push(t.text);
    else break;
    i++;
    if (isPunct(stmt[i], '.')) {
      parts.push('.');
      i++;
    } else break;
  }
  if (parts.length === 0) return undefined;
  // ALTER USER SET ... (no name) targets the current user; `SET` is then not a name.
  if (parts.length === 1 && /^(SET|UNSET|ADD|ROTATE|REMOVE|MODIFY|RESET|RENAME)$/i.test(parts[0])) return undefined;
  return parts.join('');
}

function scanStatement(stmt: SqlToken[], depth: number, out: SqlCredential[], context: AnalysisContext | undefined): void {
  const user = statementUser(stmt);
  const userPart = user !== undefined ? { user } : {};
  for (let i = 0; i < stmt.length; i++) {
    const t = stmt[i];
    if (t.kind === 'word' && PROPERTY_CREDENTIALS.has(t.upper)) {
      const prev = stmt[i - 1];
      // `UNSET PASSWORD`, `UNSET A, PASSWORD` remove; a property preceded by `.` or `:` is not a clause.
      if (isPunct(prev, '.')) continue;
      const next = stmt[i + 1];
      const setsValue = isPunct(next, '=') || (next !== undefined && VALUE_KINDS.includes(next.kind));
      if (!setsValue) continue;
      if (unsetContext(stmt, i)) continue;
      out.push({ clause: t.upper, verb: 'SET', ...userPart });
      continue;
    }
    if (isWord(t, 'ADD', 'ROTATE')) {
      if (isWord(stmt[i + 1], 'PAT') || (isWord(stmt[i + 1], 'PROGRAMMATIC') && isWord(stmt[i + 2], 'ACCESS') && isWord(stmt[i + 3], 'TOKEN'))) {
        out.push({ clause: 'PROGRAMMATIC ACCESS TOKEN', verb: t.upper, ...userPart });
      }
      continue;
    }
    if (depth < 3 && isWord(t, 'EXECUTE') && isWord(stmt[i + 1], 'IMMEDIATE')) {
      const body = stmt[i + 2];
      if (body && (body.kind === 'string' || body.kind === 'dollar')) scan(body.text, depth + 1, out, context);
      continue;
    }
    if (depth < 3 && t.kind === 'dollar') scan(t.text, depth + 1, out, context);
  }
}

/** True when the property at `i` is in an `UNSET a, b, c` list. */
function unsetContext(stmt: SqlToken[], i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const t = stmt[j];
    if (isWord(t, 'UNSET')) return true;
    if (t.kind === 'punct' && t.text === ',') continue;
    if (t.kind === 'word' && isPunct(stmt[j + 1], ',')) continue;
    if (t.kind === 'word' && j === i - 1) continue;
    return false;
  }
  return false;
}

function scan(sql: string, depth: number, out: SqlCredential[], context: AnalysisContext | undefined): void {
  for (const stmt of sqlStatements(sql, context)) scanStatement(stmt, depth, out, context);
}

/** Credential clauses in SQL text (see module doc for what counts). `context`: see {@link sqlStatements}. */
export function findSqlCredentials(sql: string, context?: AnalysisContext): SqlCredential[] {
  const out: SqlCredential[] = [];
  scan(sql, 0, out, context);
  return out;
}

/** A `WORKLOAD_IDENTITY = (...)` set on a user. */
export interface SqlWorkloadIdentity {
  readonly user?: string;
  /** Upper-case property names with their values (strings unquoted), e.g. `{TYPE: 'AWS', ARN: '...', ISSUER: '...'}`. */
  readonly properties: Record<string, string>;
}

/** `SET WORKLOAD_IDENTITY = (...)` (ALTER USER) and `WORKLOAD_IDENTITY = (...)` (CREATE USER) in SQL text. */
export function findWorkloadIdentities(sql: string, context?: AnalysisContext): SqlWorkloadIdentity[] {
  const out: SqlWorkloadIdentity[] = [];
  for (const stmt of sqlStatements(sql, context)) {
    const user = statementUser(stmt);
    for (let i = 0; i < stmt.length; i++) {
      if (!isWord(stmt[i], 'WORKLOAD_IDENTITY') || isWord(stmt[i - 1], 'UNSET') || !isPunct(stmt[i + 1], '=') || !isPunct(stmt[i + 2], '(')) continue;
      const properties: Record<string, string> = {};
      let j = i + 3;
      for (; j < stmt.length && !isPunct(stmt[j], ')'); j++) {
        const key = stmt[j];
        if (key.kind === 'word' && isPunct(stmt[j + 1], '=') && stmt[j + 2] !== undefined) {
          const v = stmt[j + 2];
          properties[key.upper] = v.kind === 'word' ? v.upper : v.text;
          j += 2;
        }
      }
      out.push(user !== undefined ? { user, properties } : { properties });
      i = j;
    }
  }
  return out;
}

/** `ALTER USER <u> SET AUTHENTICATION POLICY <p>` in SQL text: the user and the policy as written. */
export function findPolicyAttachments(sql: string, context?: AnalysisContext): { user?: string; policy: string }[] {
  const out: { user?: string; policy: string }[] = [];
  for (const stmt of sqlStatements(sql, context)) {
    const user = statementUser(stmt);
    for (let i = 0; i < stmt.length; i++) {
      if (isWord(stmt[i], 'SET') && isWord(stmt[i + 1], 'AUTHENTICATION') && isWord(stmt[i + 2], 'POLICY') && stmt[i + 3]) {
        const parts: string[] = [];
        let j = i + 3;
        while (j < stmt.length && (['word', 'quoted', 'interp'].includes(stmt[j].kind) || isPunct(stmt[j], '.'))) {
          const t = stmt[j];
          parts.push(t.kind === 'quoted' ? `"${t.text}"` : t.text);
          j++;
        }
        const policy = parts.join('');
        out.push(user !== undefined ? { user, policy } : { policy });
      }
    }
  }
  return out;
}
