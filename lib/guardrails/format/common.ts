/**
 * Shared pieces of the `keyless check` output formats: which files were checked, the summary, and where in a
 * file a resource is declared. Engine-neutral; internal module.
 */
import * as fs from 'fs';
import { Evaluation, Finding, Rule } from '../model';
import { displayPath } from '../display';
import { escapeRegExp } from '../regexp';
import { INSTANCE_KEY_SOURCE, MODULE_ADDRESS_PREFIX } from '../policy/interpolation';

/** What every formatter gets. */
export interface FormatOptions {
  /** Paths are shown relative to this directory (default: the process's working directory). */
  readonly cwd?: string;
  /** The rule catalog (SARIF rules, titles, fixes). Default: the catalog. */
  readonly rules?: readonly Rule[];
  /** Files that were checked (for the summary). Default: the files of the findings. */
  readonly files?: readonly string[];
  /** Tool version for SARIF. Default: this package's version. */
  readonly version?: string;
  /** Reads a file for line numbers (injectable for tests). Default: `fs.readFileSync`; errors mean "line 1". */
  readonly readFile?: (file: string) => string | undefined;
}

/** The `summary` object of `--format json`. */
export interface CheckSummary {
  /** Files (templates, Terraform configurations) checked. */
  readonly files: number;
  /** Resources, data sources and provider blocks checked. */
  readonly resources: number;
  readonly findings: number;
  /** Findings that fail the check (exit 1). */
  readonly errors: number;
  readonly warnings: number;
  /** Findings under an active exemption (reported as warnings). */
  readonly exempted: number;
  readonly federatedIdentities: number;
  /** Findings per rule id, for rules with at least one finding. */
  readonly byRule: { readonly [ruleId: string]: number };
  /** What could not be checked statically, one line each. */
  readonly notes: readonly string[];
}

export function summarize(evaluation: Evaluation, options: FormatOptions = {}): CheckSummary {
  const byRule: Record<string, number> = {};
  for (const f of evaluation.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  const files = new Set(options.files ?? evaluation.findings.map((f) => f.file));
  return {
    files: files.size,
    resources: evaluation.resourceCount,
    findings: evaluation.findings.length,
    errors: evaluation.findings.filter((f) => f.severity === 'error').length,
    warnings: evaluation.findings.filter((f) => f.severity === 'warning').length,
    exempted: evaluation.findings.filter((f) => f.exemption?.status === 'active').length,
    federatedIdentities: evaluation.trusts.length,
    byRule,
    notes: [...evaluation.notes],
  };
}

/**
 * How one formatter run shows files: relative to `cwd` when inside it, `/` separators. Each file is worked out once
 * per run (a check's findings name few files, and resolving a path per finding cost more than the rest of the JSON
 * output).
 */
export function fileShower(options: FormatOptions): (file: string) => string {
  const cwd = options.cwd ?? process.cwd();
  const shown = new Map<string, string>();
  return (file) => {
    let text = shown.get(file);
    if (text === undefined) {
      text = displayPath(file, cwd);
      shown.set(file, text);
    }
    return text;
  };
}

/**
 * Which findings an output that cannot hold them all keeps first: 0 errors, 1 warnings, 2 findings under an active
 * exemption (which fail nothing).
 */
export function findingPriority(f: Finding): 0 | 1 | 2 {
  return f.exemption?.status === 'active' ? 2 : f.severity === 'error' ? 0 : 1;
}

/** Findings in a stable order: errors first, then by file, rule and resource. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const rank = (f: Finding) => (f.severity === 'error' ? 0 : 1);
  return [...findings].sort((a, b) => rank(a) - rank(b)
    || a.file.localeCompare(b.file) || a.ruleId.localeCompare(b.ruleId) || a.resource.localeCompare(b.resource));
}

/** Reads files once per formatter run. */
export class SourceLines {
  private readonly cache = new Map<string, string[] | undefined>();
  constructor(private readonly read: (file: string) => string | undefined = defaultRead) {}

  /**
   * The 1-based line where `finding`'s resource is declared, best effort: the logical id as a JSON/YAML key
   * (CloudFormation) or an HCL object key (a `jsonencode`d template in a `.tf` file), `resource "type" "name"` / `data ...` / `provider "name"` (HCL), or the name key after
   * its type key (Terraform JSON). 1 when it cannot be found.
   */
  line(finding: Pick<Finding, 'file' | 'resource' | 'resourceType' | 'engine'>): number {
    let lines = this.cache.get(finding.file);
    if (!this.cache.has(finding.file)) {
      const text = this.read(finding.file);
      lines = text === undefined ? undefined : text.split(/\r?\n/);
      this.cache.set(finding.file, lines);
    }
    if (!lines) return 1;
    const found = finding.engine === 'cloudformation' ? cfnLine(lines, finding.resource) : terraformLine(lines, finding.resource, finding.resourceType);
    return found === -1 ? 1 : found + 1;
  }
}

function defaultRead(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function cfnLine(lines: string[], logicalId: string): number {
  const id = escapeRegExp(logicalId);
  const json = new RegExp(`^\\s*"${id}"\\s*:`);
  const yaml = new RegExp(`^\\s*['"]?${id}['"]?\\s*:`);
  // a template a Terraform stack deploys, written with jsonencode in HCL: `CiKey = {`
  const hcl = new RegExp(`^\\s*"?${id}"?\\s*=`);
  for (const key of [json, yaml, hcl]) {
    const i = lines.findIndex((l) => key.test(l));
    if (i !== -1) return i;
  }
  return -1;
}

/** The module address in front of a resource of a called module (`module.etl[0].`), and an instance key after it. */
const MODULE_PREFIX = new RegExp(`^${MODULE_ADDRESS_PREFIX}`);
const INSTANCE_KEY = new RegExp(`${INSTANCE_KEY_SOURCE}$`);

function terraformLine(lines: string[], address: string, type: string): number {
  // The block as its own file writes it: `module.etl[0].aws_iam_user.ci["build"]` is `resource "aws_iam_user" "ci"`.
  const parts = address.replace(MODULE_PREFIX, '').replace(INSTANCE_KEY, '').split('.');
  let kind = 'resource';
  let name: string;
  if (parts[0] === 'data') {
    kind = 'data';
    name = parts.slice(2).join('.');
  } else if (parts[0] === 'provider') {
    kind = 'provider';
    name = parts.slice(2).join('.');
  } else {
    name = parts.slice(1).join('.');
  }
  const t = escapeRegExp(type);
  const n = escapeRegExp(name);
  // HCL
  const hcl = kind === 'provider'
    ? new RegExp(`^\\s*provider\\s+"?${t}"?\\s*\\{`)
    : new RegExp(`^\\s*${kind}\\s+"${t}"\\s+"${n}"`);
  const h = lines.findIndex((l) => hcl.test(l));
  if (h !== -1) {
    if (kind !== 'provider' || name === '') return h;
    // an aliased provider: the block whose alias matches
    for (let i = h; i < lines.length; i++) {
      if (new RegExp(`^\\s*alias\\s*=\\s*"${n}"`).test(lines[i])) {
        for (let j = i; j >= 0; j--) if (hcl.test(lines[j])) return j;
      }
    }
    return h;
  }
  // Terraform JSON: the type key, then the name key after it
  const typeKey = new RegExp(`^\\s*"${t}"\\s*:`);
  const start = lines.findIndex((l) => typeKey.test(l));
  if (start === -1) return -1;
  if (kind === 'provider') return start;
  const nameKey = new RegExp(`^\\s*"${n}"\\s*:`);
  for (let i = start + 1; i < lines.length; i++) if (nameKey.test(lines[i])) return i;
  return start;
}
