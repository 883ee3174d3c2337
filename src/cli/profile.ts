import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { openTideflow } from '../main.js';
import { readProfile } from '../ingest/profile-records.js';
import type { Command } from './command.js';
import { warnAboutNow } from './now-warnings.js';

const Now = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const profileCommand: Command = {
  name: 'profile',
  summary: "print a user's profile and its metrics as JSON",
  usage: 'profile <userId> [--now ISO] [--buckets]',
  async run(args, config, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { now: { type: 'string' }, buckets: { type: 'boolean' } },
    });
    const [userId, ...extra] = positionals;
    if (!userId || extra.length > 0) {
      io.err(`usage: tideflow ${profileCommand.usage}`);
      return 1;
    }
    const now = values.now === undefined ? undefined : Now.safeParse(values.now);
    if (now && !now.success)
      throw new ValidationError('invalid arguments', [
        { path: '--now', message: 'an ISO-8601 instant with offset, e.g. 2026-11-20T10:00:00+08:00' },
      ]);
    const tf = await openTideflow(config);
    try {
      await warnAboutNow(tf, now?.data, io, []);
      const view = await readProfile(tf.profile, userId, {
        ...(now ? { now: now.data } : {}),
        buckets: values.buckets ?? false,
      });
      io.out(JSON.stringify(view, null, 2));
      return 0;
    } finally {
      await tf.close();
    }
  },
};
