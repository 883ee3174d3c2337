// Worker processes for crash tests: `tideflow work` started, waited for and SIGKILLed.
import { startTideflow, type CliProcess } from '../support/cli.js';

export interface WorkerProcess extends CliProcess {
  /** Resolves when the worker says it is running. */
  ready: Promise<unknown>;
}

export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const p = startTideflow(['work'], env);
  const ready = p.waitFor(/worker \d+ running/);
  ready.catch(() => undefined);
  return { ...p, ready };
}
