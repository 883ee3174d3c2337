import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ReportRangeInput } from '../domain/report-range.js';
import { ValidationError } from '../errors.js';
import { openTideflow } from '../main.js';
import { campaignReport, engagementReport, funnelReport, platformReport, type ReportPorts } from '../track/reports.js';
import { renderHtmlReport, type HtmlReportInput } from '../report/html.js';
import { campaignText, engagementText, funnelText } from '../report/text.js';
import type { Command, Io } from './command.js';

interface Output {
  json: boolean;
  html?: string | undefined;
}

/** Prints `value` as JSON, writes the HTML report, or prints the text lines. */
async function emit(
  io: Io,
  out: Output,
  value: unknown,
  html: () => HtmlReportInput,
  text: () => string[],
): Promise<void> {
  if (out.json) return io.out(JSON.stringify(value, null, 2));
  if (out.html) {
    await writeFile(out.html, renderHtmlReport(html()));
    return io.out(`report written to ${out.html}`);
  }
  for (const line of text()) io.out(line);
}

type Kind = 'campaign' | 'funnel' | 'engagement';

async function runKind(
  ports: ReportPorts,
  kind: Kind,
  id: string | undefined,
  range: ReportRangeInput,
  by: string | undefined,
  out: Output,
  io: Io,
): Promise<void> {
  const at = ports.clock();
  const tz = ports.tz;
  if (kind === 'campaign') {
    const r = await campaignReport(ports, id as string, range);
    return emit(
      io,
      out,
      r,
      () => ({ title: `Campaign report: ${r.name}`, generatedAt: at, tz, campaigns: [r] }),
      () => campaignText(r, tz),
    );
  }
  if (kind === 'funnel') {
    // The HTML page shows the channel quadrant and engagement too: one pass gives all of it.
    if (out.html) {
      const p = await platformReport(ports, range);
      return emit(
        io,
        out,
        p.funnel,
        () => ({ title: 'Platform report', generatedAt: at, tz, funnel: p.funnel, engagement: p.engagement }),
        () => [],
      );
    }
    const f = await funnelReport(ports, { ...range, ...(by === 'channel' ? { by: 'channel' as const } : {}) });
    return emit(
      io,
      out,
      f,
      () => ({ title: 'Platform funnel', generatedAt: at, tz, funnel: f }),
      () => funnelText(f),
    );
  }
  const e = await engagementReport(ports, range);
  return emit(
    io,
    out,
    e,
    () => ({ title: 'Engagement', generatedAt: at, tz, engagement: e }),
    () => engagementText(e),
  );
}

function parse(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      by: { type: 'string' },
      json: { type: 'boolean' },
      html: { type: 'string' },
    },
  });
  const range = ReportRangeInput.safeParse({ from: values.from, to: values.to });
  const issues = range.error?.issues.map((i) => ({ path: `--${i.path.join('.')}`, message: i.message })) ?? [];
  if (values.by !== undefined && values.by !== 'channel') issues.push({ path: '--by', message: 'only `channel`' });
  if (values.json && values.html) issues.push({ path: '--html', message: 'choose --json or --html' });
  if (issues.length > 0 || !range.success) throw new ValidationError('invalid arguments', issues);
  return { positionals, range: range.data, by: values.by, out: { json: values.json ?? false, html: values.html } };
}

export const reportCommand: Command = {
  name: 'report',
  summary:
    'campaign results against the holdout (lift, cost per incremental conversion), the platform funnel, engagement',
  usage:
    'report campaign <id> | funnel [--by channel] | engagement  [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json | --html FILE]',
  async run(args, config, io) {
    const { positionals, range, by, out } = parse(args);
    const [kind, id, ...extra] = positionals;
    const known =
      kind === 'campaign'
        ? id !== undefined && extra.length === 0
        : (kind === 'funnel' || kind === 'engagement') && id === undefined;
    if (!known) {
      io.err(`usage: tideflow ${reportCommand.usage}`);
      return 1;
    }
    const tf = await openTideflow(config);
    try {
      await runKind(tf.outcomes.reports, kind as Kind, id, range, by, out, io);
      return 0;
    } finally {
      await tf.close();
    }
  },
};
