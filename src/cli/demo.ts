import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { campaignStep, triggerRecorder } from '../demo/campaign-step.js';
import { PLATFORM_DEFAULTS } from '../demo/generator.js';
import { reportStep } from '../demo/report-step.js';
import { segmentStep } from '../demo/segment-step.js';
import { DEMO_STEPS, runDemo, type DemoOptions } from '../demo/steps.js';
import { ConflictError, ValidationError } from '../errors.js';
import { openTideflow } from '../main.js';
import { channelsFor, withChannels } from '../wiring/campaigns.js';
import { startSandbox } from '../wiring/sandbox.js';
import { createSandboxInbox } from '../store/sandbox-inbox.js';
import type { Command } from './command.js';
import { DEFAULT_QUIET_HOURS, lastAllowedTime } from '../domain/quiet-hours.js';
import { formatInstant } from '../domain/time-format.js';

const Args = z.strictObject({
  users: z.coerce.number().int().min(1).max(10_000_000).default(PLATFORM_DEFAULTS.users),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(PLATFORM_DEFAULTS.seed),
  now: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .optional(),
  days: z.coerce.number().int().min(1).max(366).default(PLATFORM_DEFAULTS.days),
  reset: z.boolean().default(false),
});

/** Parses `tideflow demo` arguments; `now` is used when `--now` is absent (the command passes the time it is run). */
export function parseDemoArgs(args: string[], now: Date): DemoOptions {
  const { values } = parseArgs({
    args,
    options: {
      users: { type: 'string' },
      seed: { type: 'string' },
      now: { type: 'string' },
      days: { type: 'string' },
      reset: { type: 'boolean' },
    },
    strict: true,
  });
  const parsed = Args.safeParse(values);
  if (!parsed.success) {
    throw new ValidationError(
      'invalid arguments',
      parsed.error.issues.map((i) => ({ path: `--${i.path.join('.')}`, message: i.message })),
    );
  }
  return { ...parsed.data, now: parsed.data.now ?? now };
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'seed a synthetic platform (erasing earlier demo data), run the campaigns against local providers, report',
  usage: 'demo [--users 10000] [--seed 42] [--now ISO] [--days 90] [--reset]',
  async run(args, config, io) {
    // Without --now the history ends at the time the demo is run, or, during the platform's
    // default quiet hours, just before they began: otherwise the campaigns would hold nearly every
    // message until the morning and the results would show almost no contacts.
    const runAt = new Date();
    const end = lastAllowedTime(runAt, DEFAULT_QUIET_HOURS, config.TIDEFLOW_TZ);
    const options = parseDemoArgs(args, end);
    if (end !== runAt && options.now === end)
      io.err(
        `demo: it is quiet hours in ${config.TIDEFLOW_TZ} (${DEFAULT_QUIET_HOURS.start}–${DEFAULT_QUIET_HOURS.end}): the history ends at ${formatInstant(end, config.TIDEFLOW_TZ)}, before they began, so the campaigns send (--now picks another instant)`,
      );
    const started = performance.now();
    // The demo's history ends at `now`: ingest and metrics must see that instant as the present.
    const app = await openTideflow(config, { clock: () => new Date(options.now) });
    // The seed's ingest schedules triggered evaluations as in production; the campaign step runs them.
    const triggers = triggerRecorder(() => app.campaigns(), app.clock);
    try {
      io.err(
        `demo: ${options.users} users, seed ${options.seed}, ${options.days} days to ${formatInstant(options.now, config.TIDEFLOW_TZ)}`,
      );
      await runDemo(
        {
          ports: {
            ingest: { ...app.ingest, triggers: triggers.hook },
            profiles: app.profiles,
            demo: app.demo,
            population: app.population,
          },
          options,
          io,
          elapsed: () => performance.now() - started,
          results: {},
        },
        [
          ...DEMO_STEPS,
          segmentStep(app.segments),
          campaignStep({
            triggers,
            runtime: async (env) => withChannels(await app.campaigns(), channelsFor(config, env)),
            // The sandbox: messages kept for `tideflow inbox`, delivery reported back as providers do.
            providers: () =>
              startSandbox({
                config,
                track: app.outcomes.track,
                reports: app.outcomes.reports,
                clock: app.clock,
                inbox: createSandboxInbox(app.db),
                report: (line) => io.err(`demo: ${line}`),
              }),
          }),
          // Last: campaign results against their holdouts, and the HTML report in the data dir.
          reportStep({
            reports: app.outcomes.reports,
            ingest: app.ingest,
            htmlPath: join(config.TIDEFLOW_DATA_DIR, 'report.html'),
            wallClock: () => new Date(),
          }),
        ],
      );
      return 0;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      io.err(`tideflow demo: ${err.message}`);
      return 1;
    } finally {
      await app.close();
    }
  },
};
