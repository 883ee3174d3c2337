import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, freemem, platform, release } from 'node:os';

/** The machine a run was measured on: numbers mean little without it. */
export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  /** Free memory at the start, GB. */
  freeMemoryGb: number;
  node: string;
  os: string;
  /** 1, 5 and 15 minute load averages when the run started. */
  loadAtStart: number[];
  /** The same when it ended (filled in at the end). */
  loadAtEnd?: number[];
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1]?.trim() ?? 'unknown';
  } catch {
    // Not Linux: the runtime's view below.
  }
  return cpus()[0]?.model ?? 'unknown';
}

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

export function describeMachine(): Machine {
  return {
    cpuModel: cpuModel(),
    cores: cpus().length,
    memoryGb: round(totalmem() / 2 ** 30),
    freeMemoryGb: round(freemem() / 2 ** 30),
    node: process.version,
    os: `${platform()} ${release()}`,
    loadAtStart: loadavg().map((x) => round(x, 2)),
  };
}

export function loadNow(): number[] {
  return loadavg().map((x) => round(x, 2));
}

/** One line: `2 × Intel Xeon @ 2.80GHz, 23.5 GB, node v20…, load 14.2 at start (2 cores)`. */
export function machineLine(m: Machine): string {
  const load = m.loadAtEnd ? `${m.loadAtStart[0]} at start, ${m.loadAtEnd[0]} at end` : `${m.loadAtStart[0]} at start`;
  return `${m.cores} × ${m.cpuModel}, ${m.memoryGb} GB RAM, node ${m.node}, ${m.os}; 1-minute load average ${load}`;
}
