import { openTideflow } from '../main.js';
import { prune } from '../metrics/prune-buckets.js';
import type { Command } from './command.js';

export const pruneCommand: Command = {
  name: 'prune',
  summary: 'remove day buckets older than retentionDays (rules/scoring.json) from every profile',
  usage: 'prune',
  async run(args, config, io) {
    if (args.length > 0) {
      io.err(`usage: tideflow ${pruneCommand.usage}`);
      return 1;
    }
    const tf = await openTideflow(config);
    try {
      const { profiles, oldestKept } = await prune(tf.prune);
      io.out(
        `pruned ${profiles} profiles: day buckets before ${oldestKept} removed (${tf.scoring.retentionDays} days kept)`,
      );
      return 0;
    } finally {
      await tf.close();
    }
  },
};
