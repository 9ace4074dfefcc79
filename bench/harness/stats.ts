/** Small statistics helpers for the benchmark report. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median absolute deviation relative to the median, as a rough noise figure (0.05 = 5 %). */
export function relativeSpread(values: readonly number[]): number {
  const m = median(values);
  if (!Number.isFinite(m) || m === 0) return NaN;
  return median(values.map((v) => Math.abs(v - m))) / m;
}

export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
