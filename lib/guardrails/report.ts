/**
 * The inventory report (DESIGN §3): what is federated, what long-lived credentials remain, under which
 * exemption and until when, counts per rule, and a Mermaid graph of who trusts whom. Written as
 * `keyless-report.json` (machine-readable, usable as a baseline) and `keyless-report.md` (for people).
 *
 * {@link diffReports} compares a baseline report with a current one: the migration scoreboard.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import * as fs from 'fs';
import * as path from 'path';
import { daysLeft, EXPIRY_WARNING_DAYS, exemptionStatus } from './exemptions';
import { Engine, Evaluation, ExemptionStatus, FederatedTrust, Finding, Rule, Severity } from './model';
import { CATALOG } from './rules';

/** Identifies the report format; a baseline with another schema is refused. */
export const REPORT_SCHEMA = 'cdk-keyless/report@1';
/** File names the report is written under. */
export const REPORT_JSON = 'keyless-report.json';
export const REPORT_MARKDOWN = 'keyless-report.md';

/** What a finding is about: a credential (a fallback path) or a trust/policy fault. */
export type FindingCategory = 'credential' | 'trust';

/** An exemption as the report shows it. */
export interface ReportExemption {
  readonly justification: string;
  readonly owner: string;
  /** `YYYY-MM-DD`. */
  readonly expires: string;
  readonly status: ExemptionStatus;
  /** Calendar days until the expiry date when the report was built (0 on the day, negative once expired). */
  readonly daysLeft: number;
}

/** One finding in the report. */
export interface ReportFinding {
  readonly ruleId: string;
  readonly category: FindingCategory;
  readonly severity: Severity;
  readonly file: string;
  readonly resource: string;
  readonly resourceType: string;
  readonly engine: Engine;
  readonly constructPath?: string;
  readonly identity?: string;
  readonly federatedIdentity?: boolean;
  readonly message: string;
  readonly exemption?: ReportExemption;
}

/** One federated trust in the report. */
export interface ReportIdentity {
  readonly workload: string;
  readonly target: string;
  readonly targetKind: FederatedTrust['targetKind'];
  readonly issuer?: string;
  readonly subject?: string;
  readonly audience?: string;
  readonly file: string;
  readonly resource: string;
}

/** Findings of one rule. */
export interface RuleCount {
  readonly ruleId: string;
  readonly title: string;
  readonly category: FindingCategory;
  /** Findings that fail the build. */
  readonly errors: number;
  /** Findings reported only (warning rules, exempted findings). */
  readonly warnings: number;
  /** Findings under an active exemption (counted in `warnings` too). */
  readonly exempted: number;
}

/** Totals of a report. */
export interface ReportSummary {
  readonly files: number;
  readonly resources: number;
  readonly federatedIdentities: number;
  /** Findings of credential rules (fallback credentials still present). */
  readonly credentials: number;
  /** Findings of trust/policy rules. */
  readonly trustFindings: number;
  readonly errors: number;
  readonly warnings: number;
  readonly exempted: number;
  /** Active exemptions lapsing within 30 days. */
  readonly expiringExemptions: number;
  readonly expiredExemptions: number;
}

/** The inventory report (`keyless-report.json`). */
export interface InventoryReport {
  readonly schema: typeof REPORT_SCHEMA;
  /** ISO timestamp of the clock the report was built with. */
  readonly generatedAt: string;
  readonly tool: { readonly name: string; readonly version: string };
  /** Files (templates, Terraform configurations) the report covers, relative to the report's root. */
  readonly sources: string[];
  readonly summary: ReportSummary;
  readonly identities: ReportIdentity[];
  readonly findings: ReportFinding[];
  /** One entry per rule of the catalog, in catalog order, plus any rule id seen that the catalog lacks. */
  readonly rules: RuleCount[];
  /** What could not be checked, one line each. */
  readonly notes: string[];
  /** Mermaid `graph LR` source: workloads → what trusts them; fallback credentials → their identity. */
  readonly mermaid: string;
}

/** Options of {@link buildReport}. */
export interface BuildReportOptions {
  /** The clock (exemption days left, `generatedAt`). Default: now. */
  readonly now?: Date;
  /** The rule catalog (titles, per-rule counts). Default: the catalog. */
  readonly rules?: readonly Rule[];
  /** File paths in the report are made relative to this directory (when inside it). Default: keep as given. */
  readonly root?: string;
  /** Files checked (so files without findings are listed too). Default: files of findings and trusts. */
  readonly sources?: readonly string[];
}

/** Trust/policy rules; every other rule finds a credential. */
export function categoryOf(ruleId: string): FindingCategory {
  return ruleId.startsWith('KL-TR-') || ruleId === 'KL-SF-05' || ruleId === 'KL-GCP-03' ? 'trust' : 'credential';
}

/** A path as reports show it: relative to `root` when inside it, with `/` separators. */
export function displayPath(file: string, root?: string): string {
  if (root === undefined) return file.split(path.sep).join('/');
  const absolute = path.resolve(root, file);
  const relative = path.relative(path.resolve(root), absolute);
  const shown = relative === '' ? path.basename(absolute) : relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
  return shown.split(path.sep).join('/');
}

/** The version of this package (for reports and SARIF). */
export function toolVersion(): string {
  for (const candidate of [path.join(__dirname, '..', '..', 'package.json'), path.join(__dirname, '..', 'package.json')]) {
    try {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cdk-keyless' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}

/** Builds the inventory report from an evaluation. */
export function buildReport(evaluation: Evaluation, options: BuildReportOptions = {}): InventoryReport {
  const now = options.now ?? new Date();
  const catalog = options.rules ?? CATALOG;
  const shown = (file: string) => displayPath(file, options.root);

  const findings: ReportFinding[] = evaluation.findings.map((f) => reportFinding(f, now, shown));
  const identities: ReportIdentity[] = dedupeTrusts(evaluation.trusts).map((t) => ({
    workload: t.workload,
    target: t.target,
    targetKind: t.targetKind,
    ...(t.issuer !== undefined ? { issuer: t.issuer } : {}),
    ...(t.subject !== undefined ? { subject: t.subject } : {}),
    ...(t.audience !== undefined ? { audience: t.audience } : {}),
    file: shown(t.file),
    resource: t.resource,
  }));

  const sourceSet = new Set<string>((options.sources ?? [
    ...evaluation.findings.map((f) => f.file),
    ...evaluation.trusts.map((t) => t.file),
  ]).map(shown));
  const sources = [...sourceSet].sort();

  const rules = countPerRule(findings, catalog);
  const exempted = findings.filter((f) => f.exemption?.status === 'active');
  const summary: ReportSummary = {
    files: sources.length,
    resources: evaluation.resourceCount,
    federatedIdentities: identities.length,
    credentials: findings.filter((f) => f.category === 'credential').length,
    trustFindings: findings.filter((f) => f.category === 'trust').length,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    exempted: exempted.length,
    expiringExemptions: exempted.filter((f) => f.exemption!.daysLeft <= EXPIRY_WARNING_DAYS).length,
    expiredExemptions: findings.filter((f) => f.exemption?.status === 'expired').length,
  };
  return {
    schema: REPORT_SCHEMA,
    generatedAt: now.toISOString(),
    tool: { name: 'cdk-keyless', version: toolVersion() },
    sources,
    summary,
    identities,
    findings,
    rules,
    notes: [...evaluation.notes],
    mermaid: mermaidGraph(identities, findings),
  };
}

function reportFinding(f: Finding, now: Date, shown: (file: string) => string): ReportFinding {
  return {
    ruleId: f.ruleId,
    category: categoryOf(f.ruleId),
    severity: f.severity,
    file: shown(f.file),
    resource: f.resource,
    resourceType: f.resourceType,
    engine: f.engine,
    ...(f.constructPath !== undefined ? { constructPath: f.constructPath } : {}),
    ...(f.identity !== undefined ? { identity: f.identity } : {}),
    ...(f.federatedIdentity ? { federatedIdentity: true } : {}),
    message: f.message,
    ...(f.exemption ? {
      exemption: {
        justification: f.exemption.justification,
        owner: f.exemption.owner,
        expires: f.exemption.expires,
        status: f.exemption.status,
        daysLeft: daysLeft(f.exemption, now),
      },
    } : {}),
  };
}

function dedupeTrusts(trusts: readonly FederatedTrust[]): FederatedTrust[] {
  const seen = new Set<string>();
  // A trust is often seen from both sides: the IAM grant that lets a role mint the token (named by role name,
  // no subject) and the relying party that trusts the role's ARN (Entra FIC, Snowflake user). IAM role names
  // are unique per account whatever the path, so the relying-party row stands for both.
  const trustedByRelyingParty = new Set(trusts.flatMap((t) => {
    const role = t.subject !== undefined ? ROLE_ARN_NAME.exec(t.subject)?.[1] : undefined;
    return role !== undefined ? [JSON.stringify([role, t.targetKind, t.audience])] : [];
  }));
  return trusts.filter((t) => {
    const mintingSide = t.subject === undefined && t.issuer === undefined && t.targetKind !== 'aws-role';
    if (mintingSide && trustedByRelyingParty.has(JSON.stringify([t.workload, t.targetKind, t.audience]))) return false;
    const key = JSON.stringify([t.workload, t.target, t.targetKind, t.issuer, t.subject, t.audience, t.file, t.resource]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The role name at the end of an IAM role ARN (the token subject). */
const ROLE_ARN_NAME = /^arn:[^:]+:iam::\d{12}:role\/(?:[^\s]*\/)?([^/\s]+)$/;

function countPerRule(findings: readonly ReportFinding[], catalog: readonly Rule[]): RuleCount[] {
  const ids = [...catalog.map((r) => r.id)];
  for (const f of findings) if (!ids.includes(f.ruleId)) ids.push(f.ruleId);
  return ids.map((ruleId) => {
    const mine = findings.filter((f) => f.ruleId === ruleId);
    return {
      ruleId,
      title: catalog.find((r) => r.id === ruleId)?.title ?? ruleId,
      category: categoryOf(ruleId),
      errors: mine.filter((f) => f.severity === 'error').length,
      warnings: mine.filter((f) => f.severity === 'warning').length,
      exempted: mine.filter((f) => f.exemption?.status === 'active').length,
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Mermaid

/** Mermaid label text: no quotes, pipes, brackets or line breaks that would end the label early. */
export function mermaidText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/"/g, '#quot;')
    .replace(/\|/g, '#124;')
    .replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'))
    .replace(/[[\]{}]/g, (c) => `#${c.charCodeAt(0)};`);
}

const TARGET_LABELS: Record<FederatedTrust['targetKind'], string> = {
  'entra': 'Entra',
  'snowflake': 'Snowflake',
  'openai': 'OpenAI',
  'anthropic': 'Anthropic',
  'oidc': 'OIDC',
  'aws-role': 'AWS role',
};

/**
 * `graph LR`: each workload points at what trusts it (edge label: the audience); each finding that belongs to
 * an identity points at it with a dotted edge (red when the identity is federated, i.e. the fallback defeats it).
 */
export function mermaidGraph(identities: readonly ReportIdentity[], findings: readonly ReportFinding[]): string {
  const lines = ['graph LR'];
  const ids = new Map<string, string>();
  const node = (key: string, label: string, shape: 'box' | 'round' | 'flag'): string => {
    let id = ids.get(key);
    if (id === undefined) {
      id = `n${ids.size}`;
      ids.set(key, id);
      const text = `"${mermaidText(label)}"`;
      lines.push(`  ${id}${shape === 'box' ? `[${text}]` : shape === 'round' ? `(${text})` : `>${text}]`}`);
    }
    return id;
  };
  const edges = new Set<string>();
  for (const t of identities) {
    const from = node(`w:${t.workload}`, t.workload, 'round');
    const to = node(`t:${t.target}`, `${TARGET_LABELS[t.targetKind] ?? t.targetKind}: ${t.target}`, 'box');
    const edge = `  ${from} -->|"${mermaidText(t.audience ?? 'trusts')}"| ${to}`;
    if (!edges.has(edge)) {
      edges.add(edge);
      lines.push(edge);
    }
  }
  const federated: string[] = [];
  const fallbacks: string[] = [];
  for (const f of findings) {
    const cred = node(`f:${f.ruleId}:${f.file}:${f.resource}`, `${f.ruleId} ${f.resource}`, 'flag');
    (f.federatedIdentity ? federated : fallbacks).push(cred);
    if (f.identity !== undefined) {
      const id = f.identity;
      const targetKey = [...ids.keys()].find((k) => k === `t:${id}` || k.startsWith(`t:${id} (`) || k === `w:${id}`);
      const to = targetKey !== undefined ? ids.get(targetKey)! : node(`i:${id}`, id, 'box');
      // a trust finding (KL-TR-05 on an application's federated credential) is a fault of the trust, not a fallback
      const label = f.federatedIdentity ? 'defeats federation' : (f.category ?? categoryOf(f.ruleId)) === 'trust' ? 'trust fault' : 'fallback';
      lines.push(`  ${cred} -.->|"${label}"| ${to}`);
    }
  }
  if (identities.length === 0 && findings.length === 0) lines.push('  none["no federated identities or credentials found"]');
  lines.push('  classDef credential fill:#fff3cd,stroke:#b58100');
  lines.push('  classDef defeats fill:#f8d7da,stroke:#b02a37');
  if (fallbacks.length > 0) lines.push(`  class ${fallbacks.join(',')} credential`);
  if (federated.length > 0) lines.push(`  class ${federated.join(',')} defeats`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown

/** Markdown table cell: pipes escaped, line breaks removed. */
export function cell(text: string | number | undefined): string {
  if (text === undefined || text === '') return '—';
  return String(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

function code(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ');
  const fence = clean.includes('`') ? '``' : '`';
  return `${fence}${clean.replace(/\|/g, '\\|')}${fence}`;
}

function exemptionCell(e: ReportExemption | undefined): string {
  if (!e) return '—';
  if (e.status === 'active') return `active until ${e.expires} (${e.daysLeft} day${e.daysLeft === 1 ? '' : 's'} left), ${cell(e.owner)}`;
  if (e.status === 'expired') return `**expired** ${e.expires}, ${cell(e.owner)}`;
  return `**refused** (identity is federated), ${cell(e.owner)}`;
}

/** `keyless-report.md`. */
export function renderReportMarkdown(report: InventoryReport): string {
  const s = report.summary;
  const out: string[] = [];
  out.push('# Keyless inventory report', '');
  out.push(`Generated ${report.generatedAt} by ${report.tool.name} ${report.tool.version} over ${s.files} file${s.files === 1 ? '' : 's'} (${s.resources} resources).`, '');
  out.push('| | count |', '|---|---:|');
  out.push(`| Federated identities | ${s.federatedIdentities} |`);
  out.push(`| Remaining credentials | ${s.credentials} |`);
  out.push(`| Trust / policy findings | ${s.trustFindings} |`);
  out.push(`| Errors (fail the build) | ${s.errors} |`);
  out.push(`| Warnings | ${s.warnings} |`);
  out.push(`| Exempted | ${s.exempted} |`);
  out.push(`| Exemptions expiring within ${EXPIRY_WARNING_DAYS} days | ${s.expiringExemptions} |`);
  out.push(`| Expired exemptions | ${s.expiredExemptions} |`, '');

  out.push('## Federated identities', '');
  if (report.identities.length === 0) {
    out.push('None found.', '');
  } else {
    out.push('| workload | target | kind | issuer | subject | audience | resource |', '|---|---|---|---|---|---|---|');
    for (const t of report.identities) {
      out.push(`| ${cell(t.workload)} | ${cell(t.target)} | ${t.targetKind} | ${cell(t.issuer)} | ${cell(t.subject)} | ${cell(t.audience)} | ${code(t.resource)} (${cell(t.file)}) |`);
    }
    out.push('');
  }

  out.push('## Remaining credentials and findings', '');
  if (report.findings.length === 0) {
    out.push('None: no long-lived credential or unsafe trust was found.', '');
  } else {
    out.push('| rule | severity | resource | file | exemption |', '|---|---|---|---|---|');
    for (const f of report.findings) {
      const where = f.constructPath ? `${code(f.resource)}<br>${cell(f.constructPath)}` : code(f.resource);
      out.push(`| ${f.ruleId} | ${f.severity}${f.federatedIdentity ? ' (identity is federated)' : ''} | ${where} | ${cell(f.file)} | ${exemptionCell(f.exemption)} |`);
    }
    out.push('');
    out.push('<details><summary>Messages</summary>', '');
    for (const f of report.findings) out.push(`- **${f.ruleId}** ${code(f.resource)}: ${f.message.replace(/[\r\n]+/g, ' ')}`);
    out.push('', '</details>', '');
  }

  out.push('## Findings per rule', '');
  out.push('| rule | title | errors | warnings | exempted |', '|---|---|---:|---:|---:|');
  for (const r of report.rules) out.push(`| ${r.ruleId} | ${cell(r.title)} | ${r.errors} | ${r.warnings} | ${r.exempted} |`);
  out.push('');

  out.push('## Who trusts whom', '', '```mermaid', report.mermaid, '```', '');
  if (report.notes.length > 0) {
    out.push('## Not checked', '');
    for (const n of report.notes) out.push(`- ${n.replace(/[\r\n]+/g, ' ')}`);
    out.push('');
  }
  return out.join('\n');
}

/** Writes `keyless-report.json` and `keyless-report.md` into `dir` (created if missing); returns their paths. */
export function writeReport(report: InventoryReport, dir: string): { json: string; markdown: string } {
  fs.mkdirSync(dir, { recursive: true });
  const json = path.join(dir, REPORT_JSON);
  const markdown = path.join(dir, REPORT_MARKDOWN);
  fs.writeFileSync(json, `${JSON.stringify(report, undefined, 2)}\n`);
  fs.writeFileSync(markdown, renderReportMarkdown(report));
  return { json, markdown };
}

/**
 * Reads a baseline report. Throws an Error whose message is one line saying why the text is not a report
 * (the caller names the file).
 */
export function parseReport(text: string): InventoryReport {
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new Error(`malformed JSON: ${(e as Error).message}`);
  }
  const obj = doc as Partial<InventoryReport> | null;
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new Error('not a keyless report: expected a JSON object');
  if (obj.schema !== REPORT_SCHEMA) {
    throw new Error(`not a keyless report: "schema" is ${JSON.stringify(obj.schema)}, expected "${REPORT_SCHEMA}" (write one with \`keyless report PATH --format json\`)`);
  }
  if (!Array.isArray(obj.findings) || !Array.isArray(obj.identities)) throw new Error('not a keyless report: "findings" and "identities" must be arrays');
  for (const [i, f] of obj.findings.entries()) {
    if (f === null || typeof f !== 'object' || typeof f.ruleId !== 'string' || typeof f.resource !== 'string' || typeof f.file !== 'string') {
      throw new Error(`not a keyless report: findings[${i}] needs ruleId, resource and file strings`);
    }
  }
  for (const [i, t] of obj.identities.entries()) {
    if (t === null || typeof t !== 'object' || typeof t.workload !== 'string' || typeof t.target !== 'string') {
      throw new Error(`not a keyless report: identities[${i}] needs workload and target strings`);
    }
  }
  return obj as InventoryReport;
}

// ---------------------------------------------------------------------------------------------------------------
// Scoreboard

/** An exemption the scoreboard lists, judged by the diff's clock. */
export interface ExpiringExemption {
  readonly ruleId: string;
  readonly resource: string;
  readonly file: string;
  readonly owner: string;
  readonly expires: string;
  readonly daysLeft: number;
}

/** Baseline vs current: the migration scoreboard. */
export interface ReportDiff {
  readonly baselineGeneratedAt: string;
  readonly currentGeneratedAt: string;
  /** Findings in the baseline that are gone now. */
  readonly retired: ReportFinding[];
  /** Findings that are new since the baseline. */
  readonly added: ReportFinding[];
  /** Findings present in both. */
  readonly remaining: number;
  readonly identitiesAdded: ReportIdentity[];
  readonly identitiesRemoved: ReportIdentity[];
  /** Active exemptions of the current report that lapse within 30 days of `now`, soonest first. */
  readonly expiringExemptions: ExpiringExemption[];
  /** Exemptions of the current report that have lapsed by `now`. */
  readonly expiredExemptions: ExpiringExemption[];
  readonly counts: {
    readonly baselineCredentials: number;
    readonly currentCredentials: number;
    readonly retiredCredentials: number;
    readonly addedCredentials: number;
  };
}

/** Last two path segments: stable across checkouts (`cdk.out/Stack.template.json`, `stacks/app/cdk.tf.json`). */
function sourceKey(file: string): string {
  return file.split(/[\\/]+/).filter((s) => s !== '' && s !== '.').slice(-2).join('/');
}

/**
 * Matches findings by rule, resource and source file (last two path segments), then what is left by rule and
 * resource only (a renamed output directory), counting duplicates as a multiset.
 */
function matchFindings(baseline: readonly ReportFinding[], current: readonly ReportFinding[]) {
  const unmatchedBase = [...baseline];
  const unmatchedCurrent: ReportFinding[] = [];
  const pass = (items: readonly ReportFinding[], key: (f: ReportFinding) => string): ReportFinding[] => {
    const left: ReportFinding[] = [];
    for (const f of items) {
      const i = unmatchedBase.findIndex((b) => key(b) === key(f));
      if (i >= 0) unmatchedBase.splice(i, 1);
      else left.push(f);
    }
    return left;
  };
  let left = pass(current, (f) => `${f.ruleId}\u0000${f.resource}\u0000${sourceKey(f.file)}`);
  left = pass(left, (f) => `${f.ruleId}\u0000${f.resource}`);
  unmatchedCurrent.push(...left);
  return { retired: unmatchedBase, added: unmatchedCurrent };
}

function identityKey(t: ReportIdentity): string {
  return JSON.stringify([t.workload, t.target, t.targetKind, t.issuer ?? null, t.subject ?? null, t.audience ?? null]);
}

/** Compares a baseline report with the current one; exemption expiry is judged by `now`. */
export function diffReports(baseline: InventoryReport, current: InventoryReport, now: Date = new Date()): ReportDiff {
  const { retired, added } = matchFindings(baseline.findings, current.findings);
  const baseIds = new Set(baseline.identities.map(identityKey));
  const currentIds = new Set(current.identities.map(identityKey));
  const expiring: ExpiringExemption[] = [];
  const expired: ExpiringExemption[] = [];
  for (const f of current.findings) {
    if (!f.exemption || f.exemption.status === 'refused') continue;
    const ex = { ruleId: f.ruleId, resource: f.resource, justification: f.exemption.justification, owner: f.exemption.owner, expires: f.exemption.expires };
    const entry: ExpiringExemption = { ruleId: f.ruleId, resource: f.resource, file: f.file, owner: ex.owner, expires: ex.expires, daysLeft: daysLeft(ex, now) };
    if (exemptionStatus(ex, now) === 'expired') expired.push(entry);
    else if (entry.daysLeft <= EXPIRY_WARNING_DAYS) expiring.push(entry);
  }
  expiring.sort((a, b) => a.daysLeft - b.daysLeft || a.resource.localeCompare(b.resource));
  const credentials = (list: readonly ReportFinding[]) => list.filter((f) => (f.category ?? categoryOf(f.ruleId)) === 'credential').length;
  return {
    baselineGeneratedAt: baseline.generatedAt,
    currentGeneratedAt: current.generatedAt,
    retired,
    added,
    remaining: current.findings.length - added.length,
    identitiesAdded: current.identities.filter((t) => !baseIds.has(identityKey(t))),
    identitiesRemoved: baseline.identities.filter((t) => !currentIds.has(identityKey(t))),
    expiringExemptions: expiring,
    expiredExemptions: expired,
    counts: {
      baselineCredentials: credentials(baseline.findings),
      currentCredentials: credentials(current.findings),
      retiredCredentials: credentials(retired),
      addedCredentials: credentials(added),
    },
  };
}

/** The scoreboard as Markdown. */
export function renderDiffMarkdown(diff: ReportDiff): string {
  const out: string[] = ['# Keyless migration scoreboard', ''];
  const c = diff.counts;
  out.push(`Baseline ${diff.baselineGeneratedAt} → current ${diff.currentGeneratedAt}.`, '');
  out.push('| | count |', '|---|---:|');
  out.push(`| Credentials in baseline | ${c.baselineCredentials} |`);
  out.push(`| Credentials now | ${c.currentCredentials} |`);
  out.push(`| Credentials retired | ${c.retiredCredentials} |`);
  out.push(`| Credentials added | ${c.addedCredentials} |`);
  out.push(`| Federated identities added | ${diff.identitiesAdded.length} |`);
  out.push(`| Federated identities removed | ${diff.identitiesRemoved.length} |`);
  out.push(`| Exemptions expiring within ${EXPIRY_WARNING_DAYS} days | ${diff.expiringExemptions.length} |`);
  out.push(`| Expired exemptions | ${diff.expiredExemptions.length} |`, '');
  const list = (title: string, items: readonly ReportFinding[]) => {
    out.push(`## ${title}`, '');
    if (items.length === 0) out.push('None.');
    for (const f of items) out.push(`- **${f.ruleId}** ${code(f.resource)} (${cell(f.file)})`);
    out.push('');
  };
  list('Retired', diff.retired);
  list('Added', diff.added);
  out.push('## Exemptions expiring soon', '');
  if (diff.expiringExemptions.length === 0 && diff.expiredExemptions.length === 0) out.push('None.');
  for (const e of diff.expiredExemptions) out.push(`- **${e.ruleId}** ${code(e.resource)}: **expired** ${e.expires} (owner ${cell(e.owner)})`);
  for (const e of diff.expiringExemptions) out.push(`- **${e.ruleId}** ${code(e.resource)}: expires ${e.expires}, ${e.daysLeft} day${e.daysLeft === 1 ? '' : 's'} left (owner ${cell(e.owner)})`);
  out.push('');
  if (diff.identitiesAdded.length > 0 || diff.identitiesRemoved.length > 0) {
    out.push('## Federated identities', '');
    for (const t of diff.identitiesAdded) out.push(`- added: ${cell(t.workload)} → ${cell(t.target)} (${t.targetKind})`);
    for (const t of diff.identitiesRemoved) out.push(`- removed: ${cell(t.workload)} → ${cell(t.target)} (${t.targetKind})`);
    out.push('');
  }
  return out.join('\n');
}

/** The scoreboard as plain text. */
export function renderDiffText(diff: ReportDiff): string {
  const c = diff.counts;
  const out = [
    `credentials: ${c.baselineCredentials} in baseline, ${c.currentCredentials} now (${c.retiredCredentials} retired, ${c.addedCredentials} added)`,
    `federated identities: ${diff.identitiesAdded.length} added, ${diff.identitiesRemoved.length} removed`,
  ];
  for (const f of diff.retired) out.push(`retired ${f.ruleId} ${f.resource} (${f.file})`);
  for (const f of diff.added) out.push(`added   ${f.ruleId} ${f.resource} (${f.file})`);
  for (const e of diff.expiredExemptions) out.push(`expired exemption ${e.ruleId} ${e.resource}: ${e.expires} (owner ${e.owner})`);
  for (const e of diff.expiringExemptions) out.push(`expiring exemption ${e.ruleId} ${e.resource}: ${e.expires}, ${e.daysLeft} day(s) left (owner ${e.owner})`);
  return `${out.join('\n')}\n`;
}

/** The inventory as plain text. */
export function renderReportText(report: InventoryReport): string {
  const s = report.summary;
  const out = [
    `${s.federatedIdentities} federated identit${s.federatedIdentities === 1 ? 'y' : 'ies'}, ${s.credentials} remaining credential${s.credentials === 1 ? '' : 's'}, `
    + `${s.trustFindings} trust finding${s.trustFindings === 1 ? '' : 's'} in ${s.files} file${s.files === 1 ? '' : 's'} `
    + `(${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}, ${s.exempted} exempted)`,
  ];
  for (const t of report.identities) out.push(`federated ${t.workload} -> ${t.target} (${t.targetKind}${t.audience ? `, aud ${t.audience}` : ''})`);
  for (const f of report.findings) {
    const ex = f.exemption ? ` [exemption ${f.exemption.status}, expires ${f.exemption.expires}, owner ${f.exemption.owner}]` : '';
    out.push(`${f.severity} ${f.ruleId} ${f.file} ${f.resource}${ex}`);
  }
  return `${out.join('\n')}\n`;
}

