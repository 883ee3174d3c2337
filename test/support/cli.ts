import { execFile } from 'node:child_process';
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
    const child = execFile(process.execPath, [join(root, 'dist', 'cli.js'), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      timeout: 120_000,
    }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      done({ code, stdout, stderr });
    });
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}
