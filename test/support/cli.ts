import { execFile, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `tideflow` CLI (dist/cli.js, built before jest) in a process of its own, from the
 * repository root, with exactly `env` on top of PATH and HOME: no variable leaks from the test run.
 */
export function tideflow(args: string[], env: Record<string, string>, stdin?: string): Promise<CliRun> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [join(root, 'dist', 'cli.js'), ...args],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
        timeout: 120_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

/** A long-running `tideflow` process (e.g. `serve`), with its output so far. */
export interface CliProcess {
  output(): string;
  /** Resolves with the first match of `pattern` in stderr. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Sends `signal` (e.g. SIGHUP) and returns at once. */
  signal(signal: NodeJS.Signals): void;
  /** Sends SIGKILL (no cleanup, nothing unlocked or flushed) and resolves when it is gone. */
  kill(): Promise<void>;
}

export function startTideflow(args: string[], env: Record<string, string>): CliProcess {
  const child = spawn(process.execPath, [join(root, 'dist', 'cli.js'), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return {
    output: () => stderr,
    waitFor: (pattern) =>
      new Promise((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no ${pattern} in: ${stderr}`)), 60_000);
        const check = (): void => {
          const m = pattern.exec(stderr);
          if (m) {
            clearTimeout(timer);
            child.stderr.off('data', check);
            done(m);
          }
        };
        child.stderr.on('data', check);
        check();
      }),
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
    signal: (signal) => {
      child.kill(signal);
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
