/**
 * The report on disk: {@link writeReport} writes `keyless-report.json` and `keyless-report.md`;
 * {@link parseReport} reads a baseline back.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderReportMarkdown } from './markdown';
import { InventoryReport, REPORT_JSON, REPORT_MARKDOWN, REPORT_SCHEMA } from './model';

/**
 * Writes `keyless-report.json` and `keyless-report.md` into `dir` (created if missing); returns their paths.
 * `markdown` is the report's {@link renderReportMarkdown} when the caller has rendered it already (the CLI prints it too).
 */
export function writeReport(report: InventoryReport, dir: string, markdown: string = renderReportMarkdown(report)): { json: string; markdown: string } {
  return writeJsonAndMarkdown(dir, { json: REPORT_JSON, markdown: REPORT_MARKDOWN }, report, markdown);
}

/**
 * Writes a document as indented JSON and its Markdown rendering under the given names into `dir` (created if
 * missing); returns their paths. The report and the trend are written this way.
 */
export function writeJsonAndMarkdown(
  dir: string, names: { readonly json: string; readonly markdown: string }, document: unknown, markdownText: string,
): { json: string; markdown: string } {
  fs.mkdirSync(dir, { recursive: true });
  const json = path.join(dir, names.json);
  const markdown = path.join(dir, names.markdown);
  fs.writeFileSync(json, `${JSON.stringify(document, undefined, 2)}\n`);
  fs.writeFileSync(markdown, markdownText);
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
