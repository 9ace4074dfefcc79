import * as fs from 'fs';

/**
 * Peak resident memory of a code region in the current process.
 *
 * On Linux the kernel's high-water mark (VmHWM) can be reset to the current RSS by writing "5" to
 * /proc/self/clear_refs. The region's peak is then VmHWM after the region minus VmRSS at its start: the
 * extra memory the process needed at its worst moment, with module loading and warm-up excluded. Where the
 * reset is not available, `process.resourceUsage().maxRSS` is used instead and the warm-up is kept small,
 * so the high-water mark left by it is below the measured region's peak.
 */
export interface RegionMemory {
  /** Bytes: peak RSS during the region minus RSS at its start. */
  readonly peakRssDelta: number;
  /** Bytes: RSS high-water mark of the process at the end of the region (module loading included). */
  readonly processPeakRss: number;
  /** How the peak was measured. */
  readonly method: 'clear_refs+VmHWM' | 'resourceUsage.maxRSS';
}

function statusKb(field: string): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function resetPeak(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

export class MemoryProbe {
  private readonly start: number;
  private readonly method: RegionMemory['method'];

  constructor() {
    const reset = resetPeak() && statusKb('VmHWM') !== undefined;
    this.method = reset ? 'clear_refs+VmHWM' : 'resourceUsage.maxRSS';
    this.start = reset ? (statusKb('VmRSS') as number) : process.resourceUsage().maxRSS * 1024;
  }

  public finish(): RegionMemory {
    const peak = this.method === 'clear_refs+VmHWM' ? (statusKb('VmHWM') as number) : process.resourceUsage().maxRSS * 1024;
    return { peakRssDelta: Math.max(0, peak - this.start), processPeakRss: peak, method: this.method };
  }
}

/** Full collection, twice (finalizers, weak references), when node runs with --expose-gc. */
export function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}
