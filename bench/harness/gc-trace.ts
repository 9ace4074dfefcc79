/**
 * Peak heap of the measured run from V8's `--trace-gc` lines. The heap-used figure only falls at a garbage
 * collection, so its maximum during the run is the largest "used before" of the run's collections, or the
 * heap used at the end of the run if that is larger: the exact peak, to V8's 0.1 MB print precision.
 *
 * The child runs a full `gc()` twice right before and right after the measured run; V8 prints those with the
 * reason "testing". The run's collections are the lines between the pre-run pair and the post-run pair; the
 * start is the heap used after the pre-run pair, the end is the heap used before the post-run pair.
 */

export interface HeapPeak {
  /** MB of heap used when the run started (after a full GC). */
  readonly startMB: number;
  /** MB: highest heap used during the run. */
  readonly peakMB: number;
  /** Collections during the run. */
  readonly collections: number;
}

const LINE = /ms: ([A-Za-z-]+(?: [A-Za-z-]+)*)(?: \([a-z ]+\))? ([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB.*$/;

interface GcLine {
  readonly before: number;
  readonly after: number;
  readonly testing: boolean;
}

export function parseGcTrace(stdout: string): HeapPeak | undefined {
  const lines: GcLine[] = [];
  for (const raw of stdout.split('\n')) {
    const m = LINE.exec(raw);
    if (m) lines.push({ before: Number(m[2]), after: Number(m[4]), testing: /\btesting\b/.test(raw) });
  }
  const testing = lines.map((l, i) => (l.testing ? i : -1)).filter((i) => i >= 0);
  if (testing.length < 4) return undefined;
  const postFirst = testing[testing.length - 2];
  const preLast = testing[testing.length - 3];
  const run = lines.slice(preLast + 1, postFirst);
  const startMB = lines[preLast].after;
  const endMB = lines[postFirst].before;
  const peakMB = Math.max(startMB, endMB, ...run.map((l) => l.before));
  return { startMB, peakMB, collections: run.length };
}
