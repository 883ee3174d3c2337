// `tideflow serve` processes for fault tests.
import { startTideflow, type CliProcess } from '../support/cli.js';

export interface ServeProcess extends CliProcess {
  url: string;
  port: number;
}

/** Starts `tideflow serve` on `port` (0: any) and resolves once it listens. */
export async function startServe(env: Record<string, string>, port = 0): Promise<ServeProcess> {
  const p = startTideflow(['serve', '--port', String(port)], env);
  try {
    const m = await p.waitFor(/API listening on (http:\/\/127\.0\.0\.1:(\d+))/);
    return { ...p, url: m[1] as string, port: Number(m[2]) };
  } catch (err) {
    await p.kill();
    throw err;
  }
}
