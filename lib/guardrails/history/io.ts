/**
 * The trend on disk: {@link writeTrend} writes `keyless-trend.json` and `keyless-trend.md`.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import { writeJsonAndMarkdown } from '../report/io';
import { renderTrendMarkdown } from './markdown';
import { Trend, TREND_JSON, TREND_MARKDOWN } from './model';

/** Writes `keyless-trend.json` and `keyless-trend.md` into `dir` (created if missing); returns their paths. */
export function writeTrend(trend: Trend, dir: string): { json: string; markdown: string } {
  return writeJsonAndMarkdown(dir, { json: TREND_JSON, markdown: TREND_MARKDOWN }, trend, renderTrendMarkdown(trend));
}
