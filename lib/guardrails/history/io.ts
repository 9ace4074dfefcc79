/**
 * The trend on disk: {@link writeTrend} writes `keyless-trend.json` and `keyless-trend.md`.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderTrendMarkdown } from './markdown';
import { Trend, TREND_JSON, TREND_MARKDOWN } from './model';

/** Writes `keyless-trend.json` and `keyless-trend.md` into `dir` (created if missing); returns their paths. */
export function writeTrend(trend: Trend, dir: string): { json: string; markdown: string } {
  fs.mkdirSync(dir, { recursive: true });
  const json = path.join(dir, TREND_JSON);
  const markdown = path.join(dir, TREND_MARKDOWN);
  fs.writeFileSync(json, `${JSON.stringify(trend, undefined, 2)}\n`);
  fs.writeFileSync(markdown, renderTrendMarkdown(trend));
  return { json, markdown };
}
