// Worker processes for crash tests: `node dist/cli.js work` with a given environment, started,
// waited for, killed with SIGKILL, with their output kept for when a test fails.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const CLI = resolve('dist/cli.js');

export interface WorkerProcess {
  pid: number;
  /** Resolves when the worker says it is running (rejects if it exits first). */
  ready: Promise<void>;
  /** SIGKILL: no cleanup, no unlock, nothing flushed. */
  kill(): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<number | null>;
  output(): string;
}

/** A small seeded generator, so a failing sequence of kills can be replayed. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((r) => child.once('exit', (code) => r(code)));
}

export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run the build (npm run test:jest builds first)`);
  const child = spawn(process.execPath, [CLI, 'work'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const keep = (chunk: Buffer): void => { text = (text + chunk.toString('utf8')).slice(-20_000); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const ready = new Promise<void>((resolveReady, reject) => {
    const check = (): void => { if (/worker \d+ running/.test(text)) resolveReady(); };
    child.stderr?.on('data', check);
    child.once('exit', (code, signal) => reject(new Error(`worker exited before it was ready (${code ?? signal}):\n${text}`)));
  });
  ready.catch(() => undefined);
  return {
    pid: child.pid ?? 0,
    ready,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      child.kill('SIGTERM');
      return exited(child);
    },
    output: () => text,
  };
}
