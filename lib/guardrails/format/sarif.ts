/**
 * `keyless check --format sarif`: SARIF 2.1.0 for GitHub code scanning (`github/codeql-action/upload-sarif`).
 *
 * - `runs[0].tool.driver.rules`: every catalog rule (`id` = the public rule id, short/full description, help with
 *   the fix, `defaultConfiguration.level`, `properties.security-severity` and `tags`).
 * - `results`: `ruleId` + `ruleIndex`, `level` `error` / `warning`, or `note` for a finding under an active
 *   exemption (which also carries an accepted external `suppressions` entry with the justification),
 *   `message.text`, one location with a RELATIVE `artifactLocation.uri` (`uriBaseId: %SRCROOT%`), a `region` with
 *   the line where the resource is declared, and a `logicalLocations` entry naming the resource (logical id or
 *   Terraform address; construct path as `fullyQualifiedName` when known); `partialFingerprints` keyed on rule,
 *   file and resource so alerts survive line moves.
 */
import { createHash } from 'crypto';
import { withThousands } from '../display';
import { Evaluation, Finding, Rule } from '../model';
import { categoryOf } from '../report/model';
import { CATALOG } from '../rules';
import { toolVersion } from '../version';
import { findingPriority, FormatOptions, fileShower, SourceLines, sortFindings } from './common';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
/**
 * GitHub code scanning rejects a SARIF run of more than 25,000 results (and keeps the top 5,000 by severity):
 * docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit.
 */
export const SARIF_MAX_RESULTS = 25_000;
export const INFORMATION_URI = 'https://github.com/cdk-keyless/cdk-keyless';

type Level = 'error' | 'warning' | 'note';

function ruleName(rule: Rule): string {
  // reportingDescriptor.name: an identifier-like name (PascalCase of the title)
  return rule.title
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('') || rule.id.replace(/-/g, '');
}

function descriptor(rule: Rule) {
  const level: Level = rule.severity === 'error' ? 'error' : 'warning';
  return {
    id: rule.id,
    name: ruleName(rule),
    shortDescription: { text: rule.title },
    fullDescription: { text: `${rule.title}. ${rule.fix}` },
    help: {
      text: `${rule.title}. Fix: ${rule.fix}`,
      markdown: `**${rule.id}: ${rule.title}**\n\nFix: ${rule.fix}`,
    },
    helpUri: `${INFORMATION_URI}#${rule.id.toLowerCase()}`,
    defaultConfiguration: { level },
    properties: {
      'tags': ['security', 'credentials', categoryOf(rule.id) === 'trust' ? 'federation-trust' : 'long-lived-credential'],
      'precision': 'high',
      'problem.severity': level === 'error' ? 'error' : 'warning',
      'security-severity': level === 'error' ? '8.0' : '5.0',
    },
  };
}

/** A relative path as a URI reference: each segment percent-encoded. */
function toUri(relativePath: string): string {
  return relativePath.split('/').map((s) => encodeURIComponent(s)).join('/');
}

function fingerprint(f: Finding, uri: string): string {
  return createHash('sha256').update(`${f.ruleId}\u0000${uri}\u0000${f.resource}`).digest('hex').slice(0, 32);
}

export function toSarif(evaluation: Evaluation, options: FormatOptions = {}): Record<string, unknown> {
  const catalog = [...(options.rules ?? CATALOG)];
  // a finding of an id the catalog lacks (a custom rule) still needs a descriptor
  for (const f of evaluation.findings) {
    if (!catalog.some((r) => r.id === f.ruleId)) {
      catalog.push({ id: f.ruleId, severity: 'error', category: 'credential', title: f.ruleId, fix: 'See the finding message.', appliesTo: [], reads: {}, check: () => [] });
    }
  }
  const index = new Map(catalog.map((r, i) => [r.id, i]));
  const lines = new SourceLines(options.readFile);
  const showFile = fileShower(options);
  const sorted = sortFindings(evaluation.findings);
  const shownFindings = withinResultLimit(sorted);
  const results = shownFindings.map((f) => {
    const exempted = f.exemption?.status === 'active';
    const level: Level = exempted ? 'note' : f.severity === 'error' ? 'error' : 'warning';
    const shown = showFile(f.file);
    // inside the working directory: a relative URI against %SRCROOT%; outside it: an absolute file:// URI
    const outside = shown.startsWith('/') || /^[A-Za-z]:\//.test(shown);
    const uri = outside ? `file://${shown.startsWith('/') ? '' : '/'}${toUri(shown)}` : toUri(shown);
    const logical: Record<string, string> = { name: f.resource, kind: 'resource' };
    logical.fullyQualifiedName = f.constructPath ?? `${f.resourceType}/${f.resource}`;
    return {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId)!,
      level,
      message: { text: f.message },
      locations: [{
        physicalLocation: {
          artifactLocation: outside ? { uri } : { uri, uriBaseId: '%SRCROOT%' },
          region: { startLine: lines.line(f) },
        },
        logicalLocations: [logical],
      }],
      partialFingerprints: { 'keylessFinding/v1': fingerprint(f, uri) },
      properties: {
        resourceType: f.resourceType,
        engine: f.engine,
        ...(f.identity !== undefined ? { identity: f.identity } : {}),
        ...(f.federatedIdentity ? { federatedIdentity: true } : {}),
        ...(f.exemption ? { exemption: { ...f.exemption } } : {}),
      },
      ...(exempted ? {
        suppressions: [{
          kind: 'external',
          status: 'accepted',
          justification: `${f.exemption!.justification} (owner ${f.exemption!.owner}, expires ${f.exemption!.expires})`,
        }],
      } : {}),
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'keyless',
          fullName: 'cdk-keyless guardrails',
          informationUri: INFORMATION_URI,
          version: options.version ?? toolVersion(),
          semanticVersion: options.version ?? toolVersion(),
          rules: catalog.map(descriptor),
        },
      },
      automationDetails: { id: 'keyless/' },
      columnKind: 'utf16CodeUnits',
      originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The directory keyless check ran in.' } } },
      results,
      ...(evaluation.notes.length > 0 || shownFindings.length < sorted.length ? {
        invocations: [{
          executionSuccessful: true,
          toolExecutionNotifications: [
            ...(shownFindings.length < sorted.length ? [{
              level: 'warning',
              message: {
                text: `${withThousands(sorted.length - shownFindings.length)} of ${withThousands(sorted.length)} findings are not in this run `
                  + `(the warnings and exempted findings last): GitHub code scanning rejects a run of more than ${withThousands(SARIF_MAX_RESULTS)} results. `
                  + 'keyless check --format json lists every finding; the exit status counts them all.',
              },
            }] : []),
            ...evaluation.notes.map((n) => ({ level: 'note', message: { text: n } })),
          ],
        }],
      } : {}),
    }],
  };
}

/** At most {@link SARIF_MAX_RESULTS} findings, in their order: errors first, then warnings, then exempted findings. */
function withinResultLimit(findings: readonly Finding[]): readonly Finding[] {
  if (findings.length <= SARIF_MAX_RESULTS) return findings;
  const kept = new Set([...findings].sort((a, b) => findingPriority(a) - findingPriority(b)).slice(0, SARIF_MAX_RESULTS));
  return findings.filter((f) => kept.has(f));
}

export function formatSarif(evaluation: Evaluation, options: FormatOptions = {}): string {
  return `${JSON.stringify(toSarif(evaluation, options), undefined, 2)}\n`;
}

