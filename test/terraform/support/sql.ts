/**
 * A small lexer for the Snowflake statements this library writes: string literals ('' and \x escapes),
 * quoted identifiers ("" escape), and everything else. Tests use it to prove a statement's shape does
 * not depend on the values interpolated into it.
 */
export interface LexedSql {
  /** The statement with each literal replaced by `?` and each quoted identifier by `"?"`. */
  readonly skeleton: string;
  /** Decoded string literal values, in order. */
  readonly literals: string[];
  /** Decoded quoted identifiers, in order. */
  readonly identifiers: string[];
}

export function lexSql(sql: string): LexedSql {
  let skeleton = '';
  const literals: string[] = [];
  const identifiers: string[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= sql.length) throw new Error(`unterminated literal in ${sql}`);
        if (sql[i] === '\\') {
          value += sql[i + 1];
          i += 2;
        } else if (sql[i] === "'" && sql[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (sql[i] === "'") {
          i++;
          break;
        } else {
          value += sql[i++];
        }
      }
      literals.push(value);
      skeleton += '?';
    } else if (c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= sql.length) throw new Error(`unterminated identifier in ${sql}`);
        if (sql[i] === '"' && sql[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (sql[i] === '"') {
          i++;
          break;
        } else {
          value += sql[i++];
        }
      }
      identifiers.push(value);
      skeleton += '"?"';
    } else {
      skeleton += c;
      i++;
    }
  }
  return { skeleton, literals, identifiers };
}

/** Words that would set a credential if they appeared outside a literal (KL-SF-06). */
export const CREDENTIAL_WORDS = /RSA_PUBLIC_KEY|PASSWORD|PROGRAMMATIC\s+ACCESS\s+TOKEN/i;
