import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { openTideflow } from '../main.js';
import { createSandboxInbox } from '../store/sandbox-inbox.js';
import type { Command } from './command.js';
import { formatInboxMessage } from './inbox-format.js';

const Limit = z.coerce.number().int().min(1).max(10_000);

/** `tideflow inbox`: what the sandbox channels received, oldest first, in the platform's time zone. */
export const inboxCommand: Command = {
  name: 'inbox',
  summary: 'messages the sandbox channels received (run/serve --sandbox), as the users would see them',
  usage: 'inbox [--user ID] [--campaign ID] [--limit 200] [--json]',
  async run(args, config, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        user: { type: 'string' },
        campaign: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    if (positionals.length > 0) {
      io.err(`usage: tideflow ${inboxCommand.usage}`);
      return 1;
    }
    const limit = values.limit === undefined ? undefined : Limit.safeParse(values.limit);
    if (limit && !limit.success)
      throw new ValidationError('invalid arguments', [{ path: '--limit', message: 'a whole number from 1 to 10000' }]);
    const tf = await openTideflow(config);
    try {
      const messages = await createSandboxInbox(tf.db).list({
        ...(values.user === undefined ? {} : { userId: values.user }),
        ...(values.campaign === undefined ? {} : { campaignId: values.campaign }),
        ...(limit ? { limit: limit.data } : {}),
      });
      if (values.json) {
        io.out(JSON.stringify(messages, null, 2));
        return 0;
      }
      if (messages.length === 0) {
        io.out(
          'the sandbox inbox holds no such message (messages arrive with `tideflow run --sandbox` or `serve --sandbox`)',
        );
        return 0;
      }
      messages.forEach((m, i) => {
        if (i > 0) io.out('');
        for (const line of formatInboxMessage(m, config.TIDEFLOW_TZ)) io.out(line);
      });
      return 0;
    } finally {
      await tf.close();
    }
  },
};
