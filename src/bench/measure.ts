import { readFileSync } from 'node:fs';

/** Timing and memory sampling shared by the benchmarks. */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Milliseconds `work` took. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** Resident memory of a process from /proc, MB; undefined when it cannot be read (not Linux, gone). */
export function procMemory(pid: number): { rssMb: number; hwmMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: Math.round(kb('VmRSS') / 1024), hwmMb: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return undefined;
  }
}

export interface MemoryPeaks {
  /** Peak resident memory of this Node process while sampling, MB. */
  nodePeakMb: number;
  /** Peak resident memory of the database server process while sampling, MB (local servers only). */
  serverPeakMb?: number;
  /** The server's lifetime high-water mark (VmHWM) when sampling stopped, MB. */
  serverHwmMb?: number;
}

/**
 * Samples resident memory every `everyMs` until stopped: this process, and the server process
 * when its pid is known. RSS is what the operating system charges; heap numbers would hide
 * buffers and the driver's memory.
 */
export function sampleMemory(serverPid: number | undefined, everyMs = 100): { stop(): MemoryPeaks } {
  let node = 0;
  let server = 0;
  const sample = (): void => {
    node = Math.max(node, process.memoryUsage.rss());
    if (serverPid !== undefined) server = Math.max(server, procMemory(serverPid)?.rssMb ?? 0);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    stop() {
      sample();
      clearInterval(timer);
      const hwm = serverPid !== undefined ? procMemory(serverPid)?.hwmMb : undefined;
      return {
        nodePeakMb: Math.round(node / 2 ** 20),
        ...(serverPid !== undefined && server > 0 ? { serverPeakMb: server } : {}),
        ...(hwm !== undefined ? { serverHwmMb: hwm } : {}),
      };
    },
  };
}

/** Rounds for reports: 3 significant digits, never scientific notation. */
export function sig(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x))));
  return Number(x.toFixed(Math.min(digits, 6)));
}

export interface CpuSplit {
  wallMs: number;
  /** CPU time of this Node process (user + system), ms. */
  nodeCpuMs: number;
  /** CPU time of the database server process, ms (local servers only). */
  serverCpuMs?: number;
}

/** User + system CPU time of a process from /proc/<pid>/stat, ms (clock ticks of 10 ms). */
function procCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * Where a measurement's CPU went: this process against the database server. When the server's
 * share dominates, the server (query execution, document copies, BSON) is the bottleneck.
 */
export function meterCpu(serverPid: number | undefined): { stop(): CpuSplit } {
  const wall = performance.now();
  const node = process.cpuUsage();
  const server = serverPid !== undefined ? procCpuMs(serverPid) : undefined;
  return {
    stop() {
      const used = process.cpuUsage(node);
      const serverNow = serverPid !== undefined ? procCpuMs(serverPid) : undefined;
      return {
        wallMs: Math.round(performance.now() - wall),
        nodeCpuMs: Math.round((used.user + used.system) / 1000),
        ...(server !== undefined && serverNow !== undefined ? { serverCpuMs: serverNow - server } : {}),
      };
    },
  };
}

/** `sweep: node 1.2 s, server 8.4 s CPU in 9.1 s` for each measurement. */
export function describeCpu(cpu: Record<string, CpuSplit>): string {
  const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  return Object.entries(cpu)
    .map(
      ([k, c]) =>
        `${k}: node ${s(c.nodeCpuMs)}${c.serverCpuMs !== undefined ? `, server ${s(c.serverCpuMs)}` : ''} CPU in ${s(c.wallMs)}`,
    )
    .join('; ');
}
