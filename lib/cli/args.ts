/**
 * Command line parsing for `keyless` (DESIGN §4). Engine-neutral; internal module.
 */
import { validateAccountId } from '../core/account';
import { KeylessValidationError } from '../core/errors';
import { validateIssuerUrl } from '../core/issuer';

/** A usage error: exit 2 with this one line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
    Object.setPrototypeOf(this, UsageError.prototype);
  }
}

export type Command = 'check' | 'report' | 'history';

export interface ParsedArgs {
  readonly command?: Command;
  readonly help: boolean;
  readonly version: boolean;
  readonly paths: string[];
  readonly format?: string;
  readonly exemptions?: string;
  readonly baseline?: string;
  readonly outputDir?: string;
  /** `--follow-downloaded-modules`: also read the modules `terraform init` downloaded. */
  readonly followDownloadedModules: boolean;
  /** `--plan FILE`: a plan.json that tells the federation graph its account's issuer and role ARNs. */
  readonly plan?: string;
  /** `--issuer ACCOUNT=URL` (repeatable): an account's outbound issuer, for the federation graph. */
  readonly issuers: readonly { readonly account: string; readonly url: string }[];
  /** `--git REPO` (history): read the snapshots from this git repository. */
  readonly git?: string;
  /** `--report PATH` (history, with --git): the report's path inside the repository. */
  readonly reportPath?: string;
  /** `--last N` (history, with --git): how many of the commits that changed the report to read. */
  readonly last?: number;
  /** `--codeowners FILE`: the CODEOWNERS file owners are read from (default: found walking up from each input). */
  readonly codeowners?: string;
  /** `--owner-tag KEY` (repeatable): resource tag keys that name an owner (default `owner`, `team`). */
  readonly ownerTags: readonly string[];
  /** `--default-owner NAME`: the owner of what nothing else attributes. */
  readonly defaultOwner?: string;
}

export const CHECK_FORMATS = ['text', 'json', 'sarif', 'markdown'];
export const REPORT_FORMATS = ['text', 'json', 'markdown'];
export const HISTORY_FORMATS = ['markdown', 'json'];
const FORMATS: Record<Command, readonly string[]> = { check: CHECK_FORMATS, report: REPORT_FORMATS, history: HISTORY_FORMATS };

/** Options each command accepts (besides --help). */
const OPTIONS: Record<Command, readonly string[]> = {
  check: ['--format', '--exemptions', '--follow-downloaded-modules', '--plan', '--issuer', '--codeowners', '--owner-tag', '--default-owner'],
  report: ['--format', '--exemptions', '--baseline', '--output-dir', '--follow-downloaded-modules', '--codeowners', '--owner-tag', '--default-owner'],
  history: ['--format', '--output-dir', '--git', '--report', '--last'],
};

/** Options that are switches: they take no value. */
const SWITCHES: readonly string[] = ['--follow-downloaded-modules'];

/** Options that may be given more than once. */
const REPEATABLE: readonly string[] = ['--issuer', '--owner-tag'];

export const USAGE = `Usage:
  keyless check PATH... [--format text|json|sarif|markdown] [--exemptions FILE] [--follow-downloaded-modules]
                [--plan plan.json] [--issuer ACCOUNT=URL]... [--codeowners FILE] [--owner-tag KEY]... [--default-owner NAME]
  keyless report PATH... [--baseline OLD.json] [--format text|json|markdown] [--exemptions FILE] [--output-dir DIR]
                 [--follow-downloaded-modules] [--codeowners FILE] [--owner-tag KEY]... [--default-owner NAME]
  keyless history SNAPSHOT... [--format markdown|json] [--output-dir DIR]
  keyless history --git REPO --report PATH_IN_REPO [--last N] [--format markdown|json] [--output-dir DIR]
  keyless --help | --version

PATH: a cdk.out or cdktf.out directory, a CloudFormation template (.json, .yaml, .yml), a Terraform JSON file
(*.tf.json), a Terraform HCL file (*.tf), a Terraform plan or state (terraform show -json, given as a file), a
trust manifest (*.json written by TrustManifest), a Kubernetes AuthenticationConfiguration (.yaml, .yml, .json;
read for the federation graph), or a directory of them.

keyless check    runs the guardrail rules (KL-AWS-*, KL-SF-*, KL-AZ-*, KL-TR-*) over PATH, and the cross-input
                 rules (KL-FED-*) over the federation graph of all PATHs together.
  --format F       text (default), json, sarif (SARIF 2.1.0 for GitHub code scanning) or markdown
  --exemptions F   JSON or YAML file: {"exemptions": [{"ruleId", "resource", "justification", "owner", "expires"}]}
  --follow-downloaded-modules
                   also read Terraform modules with a registry or git source from where terraform init downloaded
                   them (.terraform/modules/modules.json of the root module). Local modules (source = "./..." or
                   "../...") are always read; a module that cannot be read is named in a note.
  --plan F         a FederationPlan as JSON (plan.json): its account's issuer and role ARNs join the federation graph
  --issuer A=URL   account A's outbound issuer (repeatable), when no OutboundWebIdentityFederation is among PATHs
  --codeowners F   the CODEOWNERS file that attributes owners (default: .github/CODEOWNERS, CODEOWNERS,
                   docs/CODEOWNERS or .gitlab/CODEOWNERS found walking up from each input to the repository root);
                   check accepts it, the owners are shown by keyless report
  --owner-tag KEY  a resource tag key that names the owner (repeatable, tried in order; default owner, team)
  --default-owner N  the owner of findings and trusts no tag, exemption or CODEOWNERS line attributes
  Exit status: 0 no error findings; 1 error findings; 2 unusable input (unreadable or malformed file, not a
  template, no templates found in a directory, nonexistent path, unknown option), with one line on stderr.

keyless report   prints the inventory: federated identities, remaining credentials with their exemptions, counts
                 per rule and a Mermaid graph of who trusts whom.
  --baseline F     a keyless-report.json from before (keyless report PATH --format json > F): prints the migration
                   scoreboard (credentials retired and added, exemptions expiring within 30 days)
  --format F       text (default), json (the keyless-report.json document) or markdown
  --exemptions F   as for check
  --output-dir D   also write keyless-report.json and keyless-report.md into D
  --follow-downloaded-modules   as for check
  --codeowners F, --owner-tag KEY, --default-owner N
                   who owns each finding and trust (tags, then the exemption's owner, then CODEOWNERS matched against
                   the source file, then the default): an owner column and a per-owner table
  Exit status: 0; 1 when --baseline is given and error findings were added since the baseline; 2 unusable input.

keyless history  writes the trend over report snapshots: long-lived credentials and federated trusts per snapshot
                 (a Mermaid chart), by kind and by owner, what each step retired and added, and the last snapshot's
                 exemptions expiring within 30 days.
  SNAPSHOT         a keyless-report.json (keyless report PATH --format json), a directory holding one, or a directory
                   of snapshots (*.json, */keyless-report.json); ordered by each report's generatedAt
  --git REPO       instead: the report as committed at each of the last N commits that changed it, oldest first
  --report P       the report's path inside REPO (with --git)
  --last N         how many commits (with --git; default 10)
  --format F       markdown (default) or json (the keyless-trend.json document)
  --output-dir D   also write keyless-trend.md and keyless-trend.json into D
  Exit status: 0; 2 unusable input (a snapshot that is not a report, a newer report schema, an unreadable git
  revision, fewer than two snapshots).

Environment: KEYLESS_NOW=YYYY-MM-DD[THH:MM:SSZ] judges exemption expiry at that time instead of now.
`;

function optionName(arg: string): string {
  const eq = arg.indexOf('=');
  return eq === -1 ? arg : arg.slice(0, eq);
}

/** Parses `argv` (without `node` and the script). Throws {@link UsageError}. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  let command: Command | undefined;
  let help = false;
  let version = false;
  const paths: string[] = [];
  const values: Record<string, string> = {};
  const repeated: Record<string, string[]> = {};
  const switches = new Set<string>();
  let endOfOptions = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!endOfOptions && arg === '--') {
      endOfOptions = true;
      continue;
    }
    if (!endOfOptions && arg.startsWith('-') && arg !== '-') {
      const name = optionName(arg);
      if (name === '--help' || name === '-h') {
        help = true;
        continue;
      }
      if (name === '--version' || name === '-V') {
        version = true;
        continue;
      }
      const allowed = command ? OPTIONS[command] : [];
      if (!allowed.includes(name)) {
        const where = command ? `keyless ${command}` : 'keyless';
        const known = [...allowed, '--help'].join(', ');
        throw new UsageError(`${where}: unknown option ${JSON.stringify(name)} (options: ${known}; see keyless --help)`);
      }
      if (SWITCHES.includes(name)) {
        if (arg.includes('=')) throw new UsageError(`keyless ${command}: option ${name} takes no value`);
        if (switches.has(name)) throw new UsageError(`keyless ${command}: option ${name} given twice`);
        switches.add(name);
        continue;
      }
      let value: string | undefined;
      if (arg.includes('=')) {
        value = arg.slice(arg.indexOf('=') + 1);
      } else {
        value = argv[i + 1];
        if (value === undefined || (value.startsWith('--') && value.length > 2)) {
          throw new UsageError(`keyless ${command}: option ${name} needs a value`);
        }
        i++;
      }
      if (value === '') throw new UsageError(`keyless ${command}: option ${name} needs a value`);
      if (REPEATABLE.includes(name)) {
        (repeated[name] ??= []).push(value);
        continue;
      }
      if (name in values) throw new UsageError(`keyless ${command}: option ${name} given twice`);
      values[name] = value;
      continue;
    }
    if (command === undefined) {
      if (arg !== 'check' && arg !== 'report' && arg !== 'history') {
        throw new UsageError(`keyless: unknown command ${JSON.stringify(arg)}; expected "check", "report" or "history" (see keyless --help)`);
      }
      command = arg;
      continue;
    }
    paths.push(arg);
  }

  const format = values['--format'];
  if (format !== undefined && command !== undefined) {
    const formats = FORMATS[command];
    if (!formats.includes(format)) {
      throw new UsageError(`keyless ${command}: --format ${JSON.stringify(format)} is not one of ${formats.join(', ')}`);
    }
  }
  const last = values['--last'];
  if (last !== undefined && !/^[1-9]\d{0,5}$/.test(last)) {
    throw new UsageError(`keyless ${command}: --last ${JSON.stringify(last)} is not a positive whole number of commits`);
  }
  return {
    ...(command !== undefined ? { command } : {}),
    help,
    version,
    paths,
    ...(format !== undefined ? { format } : {}),
    ...(values['--exemptions'] !== undefined ? { exemptions: values['--exemptions'] } : {}),
    ...(values['--baseline'] !== undefined ? { baseline: values['--baseline'] } : {}),
    ...(values['--output-dir'] !== undefined ? { outputDir: values['--output-dir'] } : {}),
    followDownloadedModules: switches.has('--follow-downloaded-modules'),
    ...(values['--plan'] !== undefined ? { plan: values['--plan'] } : {}),
    issuers: (repeated['--issuer'] ?? []).map(parseIssuerOption),
    ...(values['--git'] !== undefined ? { git: values['--git'] } : {}),
    ...(values['--report'] !== undefined ? { reportPath: values['--report'] } : {}),
    ...(last !== undefined ? { last: Number(last) } : {}),
    ...(values['--codeowners'] !== undefined ? { codeowners: values['--codeowners'] } : {}),
    ownerTags: (repeated['--owner-tag'] ?? []).map((key) => {
      if (key.trim() === '' || key.length > 128) throw new UsageError(`keyless ${command}: --owner-tag ${JSON.stringify(key)} is not a tag key (1 to 128 characters)`);
      return key.trim();
    }),
    ...(values['--default-owner'] !== undefined ? { defaultOwner: nonBlank(values['--default-owner'], '--default-owner', command) } : {}),
  };
}

function nonBlank(value: string, option: string, command: Command | undefined): string {
  if (value.trim() === '') throw new UsageError(`keyless ${command}: option ${option} needs a value`);
  return value.trim();
}

/** `ACCOUNT=URL`, both validated as the constructs validate them. */
function parseIssuerOption(value: string): { account: string; url: string } {
  const eq = value.indexOf('=');
  if (eq === -1) throw new UsageError(`keyless check: --issuer ${JSON.stringify(value)} is not ACCOUNT=URL (e.g. --issuer 111122223333=https://<uuid>.tokens.sts.global.api.aws)`);
  const account = value.slice(0, eq);
  const url = value.slice(eq + 1);
  try {
    validateAccountId(account, { path: '--issuer', property: 'account' });
    validateIssuerUrl(url, { path: '--issuer', property: 'url' });
  } catch (e) {
    if (e instanceof KeylessValidationError) throw new UsageError(`keyless check: --issuer ${value}: ${e.reason}`);
    throw e;
  }
  return { account, url };
}
