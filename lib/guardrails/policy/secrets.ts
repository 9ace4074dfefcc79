/**
 * Telling credentials from configuration: names that mean "this is a secret" and values shaped
 * like a known key format. Built to avoid false positives: `SECRET_ARN`, `PASSWORD_SECRET_NAME`,
 * `TOKEN_AUDIENCE`, `TOKEN_DURATION_SECONDS`, `KEYLESS_SNOWFLAKE_AUDIENCE` and `MAX_TOKENS` are
 * configuration, not secrets; ARNs, URLs without user info, numbers and booleans are never
 * secret values.
 */
import type { AnalysisContext } from '../analysis';
import { Memo } from '../analysis';

/** Splits `dbPassword`, `DB_PASSWORD`, `/app/db-password` into upper-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toUpperCase());
}

const SECRET_WORDS = new Set([
  'PASSWORD', 'PASSWD', 'PWD', 'PASS', 'PASSPHRASE', 'SECRET', 'SECRETS', 'TOKEN', 'TOKENS', 'CREDENTIAL', 'CREDENTIALS', 'CREDS',
  'APIKEY', 'APIKEYS', 'ACCESSKEY', 'SECRETKEY', 'PRIVATEKEY', 'CLIENTSECRET', 'AUTHTOKEN', 'PAT', 'PSK', 'SAS',
]);
/** `KEY` is a secret word only after one of these (`API_KEY`, `PRIVATE_KEY`), not in `CACHE_KEY` or `S3_KEY`. */
const KEY_QUALIFIERS = new Set(['API', 'ACCESS', 'SECRET', 'PRIVATE', 'SIGNING', 'ENCRYPTION', 'MASTER', 'AUTH', 'CLIENT', 'SERVICE', 'ACCOUNT', 'SUBSCRIPTION', 'LICENSE', 'APP', 'HMAC', 'SSH', 'RSA', 'SHARED', 'DEPLOY', 'INGESTION', 'WEBHOOK', 'ADMIN']);
/** Words that make a name point to a secret or describe one, rather than hold it. */
const REFERENCE_WORDS = new Set([
  'ARN', 'ARNS', 'NAME', 'NAMES', 'ID', 'IDS', 'URL', 'URI', 'ENDPOINT', 'PATH', 'FILE', 'DIR', 'AUDIENCE', 'AUDIENCES', 'AUD',
  'DURATION', 'SECONDS', 'SECS', 'TTL', 'TIMEOUT', 'LIFETIME', 'EXPIRY', 'EXPIRES', 'EXPIRATION', 'REGION', 'PARAM', 'PARAMETER',
  'ALIAS', 'HEADER', 'TYPE', 'LENGTH', 'FIELD', 'VERSION', 'ROTATION', 'ENABLED', 'DISABLED', 'HOST', 'PORT', 'ISSUER', 'SCOPE', 'SCOPES',
  'POLICY', 'COUNT', 'LIMIT', 'MAX', 'MIN', 'NUM', 'SIZE', 'KEYLESS', 'SOURCE', 'PROVIDER', 'MODE', 'METHOD', 'ALGORITHM', 'ALG',
  'REF', 'REFERENCE', 'LOCATION', 'KMS', 'STORE', 'VAULT', 'MANAGER', 'SSM', 'FORMAT', 'PREFIX', 'SUFFIX',
]);

/**
 * True when a variable/parameter name says it holds a secret (`DB_PASSWORD`, `openAiApiKey`, `GITHUB_TOKEN`). With a
 * context, each name is classified once per check (names repeat across resources: every function's `DB_PASSWORD`).
 */
export function isSecretName(name: string, context?: AnalysisContext): boolean {
  if (context === undefined) return classifyName(name);
  const table = context.check.table(SECRET_NAMES);
  let secret = table.get(name);
  if (secret === undefined) {
    secret = classifyName(name);
    table.set(name, secret);
  }
  return secret;
}

/** Names classified in a check (see {@link isSecretName}). */
const SECRET_NAMES = new Memo<string, boolean>('whether a name says it holds a secret');

/**
 * Secret words that also end a run-together name written in one case (`MYSECRET`, `DBPASSWORD`, `githubtoken`). Only
 * long, singular ones: short ones end ordinary words (`COMPASS`, `BYPASS`), and `MAXTOKENS` is a setting.
 */
const SECRET_SUFFIXES = ['PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'TOKEN', 'CREDENTIAL', 'CREDENTIALS', 'APIKEY', 'PRIVATEKEY', 'SECRETKEY', 'ACCESSKEY'];

function classifyName(name: string): boolean {
  const words = nameWords(name);
  if (words.some((w) => REFERENCE_WORDS.has(w))) return false;
  // A bare `KEY` (`key: value` in a sample, a cache or object key) names nothing in particular; key-shaped values are still caught by shape.
  return words.some((w, i) => SECRET_WORDS.has(w) || (w === 'KEY' && i > 0 && KEY_QUALIFIERS.has(words[i - 1]))
    || SECRET_SUFFIXES.some((suffix) => w.length > suffix.length && w.endsWith(suffix) && !REFERENCE_WORDS.has(w.slice(0, -suffix.length))));
}

/** A known credential format. */
interface KeyShape {
  readonly label: string;
  readonly pattern: RegExp;
}

const KEY_SHAPES: readonly KeyShape[] = [
  { label: 'an AWS access key id', pattern: /(?<![A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/ },
  { label: 'a private key (PEM)', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  { label: 'an Anthropic API key', pattern: /(?<![\w-])sk-ant-[A-Za-z0-9_-]{20,}/ },
  { label: 'an OpenAI API key', pattern: /(?<![\w-])sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}/ },
  { label: 'an OpenAI-style secret key (sk-...)', pattern: /(?<![\w-])sk-[A-Za-z0-9]{32,}(?![\w-])/ },
  { label: 'a GitHub token', pattern: /(?<![\w])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/ },
  { label: 'a GitLab token', pattern: /(?<![\w-])glpat-[A-Za-z0-9_-]{20,}/ },
  { label: 'a Slack token', pattern: /(?<![\w-])xox[abposr]-[A-Za-z0-9-]{10,}/ },
  { label: 'a Stripe secret key', pattern: /(?<![\w])[sr]k_live_[A-Za-z0-9]{16,}/ },
  { label: 'a Google API key', pattern: /(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![\w-])/ },
  { label: 'an npm token', pattern: /(?<![\w])npm_[A-Za-z0-9]{36}(?![\w])/ },
  { label: 'a Hugging Face token', pattern: /(?<![\w])hf_[A-Za-z0-9]{30,}(?![\w])/ },
  { label: 'an Azure storage account key', pattern: /AccountKey=[A-Za-z0-9+/]{40,}={0,2}/ },
  { label: 'a signed bearer token (JWT, e.g. a Snowflake programmatic access token)', pattern: /(?<![\w-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/ },
];

/** Length of the shortest text any of {@link KEY_SHAPES} matches. */
const MIN_KEY_SHAPE_LENGTH = 15;

/** A URL carrying a password in its user info: `postgres://app:s3cret@db:5432/x`. */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:([^\s/@]+)@/i;

/** The label of a known credential format the text contains, or undefined. */
export function keyShape(text: string): string | undefined {
  // Most values are short configuration ("info", "table-0"): no key format fits in fewer than
  // MIN_KEY_SHAPE_LENGTH characters (the shortest is a Slack token, `xoxb-` and 10 more), so the
  // fourteen patterns are not tried on them.
  if (text.length >= MIN_KEY_SHAPE_LENGTH) {
    for (const shape of KEY_SHAPES) {
      if (shape.pattern.test(text)) return shape.label;
    }
  }
  const url = URL_WITH_PASSWORD.exec(text);
  if (url && !/^\u0000+$/.test(url[1]) && !url[1].includes('{{resolve:')) return 'a URL with a password in it';
  return undefined;
}

/**
 * True when a literal under a secret-looking name is configuration, not a secret: empty, a number,
 * a boolean, an ARN, a URL without a password, a Secrets Manager/SSM reference or parameter path.
 */
export function isBenignLiteral(text: string): boolean {
  const v = text.trim();
  if (v === '') return true;
  if (/^-?\d+(\.\d+)?$/.test(v)) return true;
  if (/^(true|false|yes|no|on|off|none|null|enabled|disabled)$/i.test(v)) return true;
  if (/^arn:aws[a-z-]*:/.test(v)) return true;
  if (/^\{\{resolve:/.test(v)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v) && !URL_WITH_PASSWORD.test(v)) return true;
  if (/^\/[\w.-]+(\/[\w.-]+)+\/?$/.test(v)) return true; // /prod/db/password: an SSM parameter name or a file path
  return false;
}
