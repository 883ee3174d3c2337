import { parseArgs } from 'node:util';
import { openTideflow } from '../main.js';
import { auditCli } from '../wiring/access.js';
import type { Command } from './command.js';

type Action = 'pause' | 'resume';

/**
 * `tideflow pause|resume <campaign>`: the same status override as `POST /v1/campaigns/:id/pause`
 * (kept in the database, winning over the file), audited as `cli:<user>`.
 */
function statusCommand(action: Action, summary: string): Command {
  const command: Command = {
    name: action,
    summary,
    usage: `${action} <campaign>`,
    async run(args, config, io) {
      const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
      const [id, ...extra] = positionals;
      if (!id || extra.length > 0) {
        io.err(`usage: tideflow ${command.usage}`);
        return 1;
      }
      const tf = await openTideflow(config);
      try {
        const { campaigns } = await tf.campaigns();
        const campaign = await campaigns.setStatus(id, action === 'pause' ? 'paused' : 'active', tf.clock());
        await auditCli(tf, action === 'pause' ? 'campaign.pause' : 'campaign.resume', id);
        io.out(`${id}: ${campaign.status}`);
        return 0;
      } finally {
        await tf.close();
      }
    },
  };
  return command;
}

export const pauseCommand = statusCommand(
  'pause',
  'pause a campaign: no run, schedule or trigger sends until it is resumed (audited)',
);
export const resumeCommand = statusCommand('resume', 'resume a paused campaign (audited)');
