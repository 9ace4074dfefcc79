import * as fs from 'fs';

/**
 * CPU time of the main JavaScript thread, in ms. On Linux, /proc/self/task/<pid>/schedstat gives the thread's
 * time on a CPU in nanoseconds: the work the main thread did (JavaScript, and GC on that thread), without the
 * time it waited for a CPU on a busy machine and without V8's helper threads (concurrent JIT compilation,
 * parallel/concurrent GC), which on an idle machine run beside it and do not lengthen the run. Elsewhere
 * falls back to process CPU time (all threads).
 */
export function mainThreadCpuMs(): number {
  try {
    const text = fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8');
    const ns = Number(text.split(' ')[0]);
    if (Number.isFinite(ns)) return ns / 1e6;
  } catch {
    // not Linux
  }
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Process CPU time (user + system, all threads), ms. */
export function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
