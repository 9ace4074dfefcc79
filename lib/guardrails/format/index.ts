/**
 * `keyless check` output formats. Internal module (not part of the jsii API).
 */
import { Evaluation } from '../model';
import { FormatOptions } from './common';
import { formatJson } from './json';
import { formatMarkdown } from './markdown';
import { formatSarif } from './sarif';
import { formatText } from './text';

export { summarize, SourceLines } from './common';
export type { FormatOptions, CheckSummary } from './common';
export { formatJson, toJsonOutput } from './json';
export type { JsonFinding, JsonOutput } from './json';
export { formatMarkdown } from './markdown';
export { formatSarif, toSarif } from './sarif';
export { formatText } from './text';

/** The `--format` values of `keyless check`. */
export const CHECK_FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
export type CheckFormat = typeof CHECK_FORMATS[number];

export function formatEvaluation(format: CheckFormat, evaluation: Evaluation, options: FormatOptions = {}): string {
  switch (format) {
    case 'json': return formatJson(evaluation, options);
    case 'sarif': return formatSarif(evaluation, options);
    case 'markdown': return formatMarkdown(evaluation, options);
    default: return formatText(evaluation, options);
  }
}
