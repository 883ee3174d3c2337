import type { Tideflow } from '../main.js';
import { withChannels, type CampaignRuntime } from '../wiring/campaigns.js';
import { SANDBOX_NOTICE, startSandbox, type Sandbox } from '../wiring/sandbox.js';
import { createSandboxInbox } from '../store/sandbox-inbox.js';
import type { Io } from './command.js';

/** `--sandbox`, as a parseArgs option. */
export const SANDBOX_OPTION = { sandbox: { type: 'boolean' } } as const;

/** The campaign runtime of a command that sends, and the sandbox it sends into, if any. */
export interface Sending {
  rt: CampaignRuntime;
  sandbox?: Sandbox;
  close(): Promise<void>;
}

/**
 * With `--sandbox` or TIDEFLOW_CHANNELS=sandbox: starts the sandbox, says so on stderr, and routes
 * the runtime's sends to it. Otherwise the configured channels.
 */
export async function sendingRuntime(tf: Tideflow, flag: boolean | undefined, io: Io): Promise<Sending> {
  const rt = await tf.campaigns();
  if (!flag && tf.config.TIDEFLOW_CHANNELS !== 'sandbox') return { rt, close: () => Promise.resolve() };
  const sandbox = await startSandbox({
    config: tf.config,
    track: tf.outcomes.track,
    reports: tf.outcomes.reports,
    clock: tf.clock,
    inbox: createSandboxInbox(tf.db),
    report: (line) => io.err(`tideflow: ${line}`),
  });
  io.err(`tideflow: ${SANDBOX_NOTICE}`);
  return { rt: withChannels(rt, sandbox.channels), sandbox, close: () => sandbox.close() };
}
