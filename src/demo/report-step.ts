import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Campaign } from '../domain/campaign.js';
import type { CampaignReport } from '../domain/campaign-report.js';
import { campaignReport, platformReport, type ReportPorts } from '../track/reports.js';
import { renderHtmlReport } from '../report/html.js';
import { fen, yuan } from '../report/html-format.js';
import { liftLines } from '../report/text.js';
import { simulateResponses } from './report-response.js';
import type { Latent } from './response.js';
import type { DemoRun, DemoStep } from './steps.js';
import type { IngestPorts } from '../ingest/ingest.js';

/**
 * The demo's report step, after the campaigns ran: the synthetic users answer (report-response.ts),
 * then each campaign is reported against its holdout once every goal window has closed, the
 * targeted campaigns are compared with the blanket one on cost per incremental conversion, and the
 * HTML report is written.
 */

const DAY_MS = 86_400_000;

export interface ReportStepPorts {
  reports: ReportPorts;
  ingest: IngestPorts;
  /** Where the HTML report goes (e.g. TIDEFLOW_DATA_DIR/report.html). */
  htmlPath: string;
  /** The real time, which the report says it was generated at (the demo's own clock may be days later). */
  wallClock: () => Date;
}

/** Campaigns with a goal and at least one decision in the ledger. */
async function campaignsThatRan(ports: ReportStepPorts): Promise<Campaign[]> {
  const all = await (await ports.reports.campaigns()).list();
  const ran: Campaign[] = [];
  for (const c of all) if (c.goal && (await ports.reports.conversions.page(c.id, undefined, 1)).length > 0) ran.push(c);
  return ran;
}

function printCampaign(run: DemoRun, r: CampaignReport): void {
  const c = r.cumulative;
  run.io.out('');
  run.io.out(`${r.campaignId}  ${r.name}`);
  run.io.out(
    `  contacted    ${c.contacted} of ${c.matched} matched · ${c.converted} converted (credited) · message cost ${fen(c.messageCostFen)}`,
  );
  for (const line of liftLines(c)) run.io.out(line);
}

/** The line an operator reads first: what one incremental conversion cost, targeted against blanket. */
export function comparisonLine(reports: readonly CampaignReport[]): string | undefined {
  const cpic = (r: CampaignReport): number | null => r.cumulative.efficiency.costPerIncrementalConversion;
  const blanket = reports.find((r) => r.campaignId.startsWith('blanket'));
  const targeted = reports.filter((r) => r !== blanket && cpic(r) !== null);
  if (!blanket || targeted.length === 0) return undefined;
  const parts = targeted.map((r) => `${r.campaignId} ${yuan(cpic(r))}`);
  return `cost per incremental conversion: ${parts.join(', ')} · ${blanket.campaignId} ${cpic(blanket) === null ? 'no incremental conversion' : yuan(cpic(blanket))}`;
}

export function reportStep(ports: ReportStepPorts): DemoStep {
  return {
    name: 'simulate responses and report',
    async run(run) {
      const platform = { seed: run.options.seed, now: run.options.now, days: run.options.days };
      const campaigns = await campaignsThatRan(ports);
      const latents = new Map<string, Latent>();
      // Reported once every goal window has closed, so every conversion is in.
      let closed = run.options.now.getTime();
      for (const c of campaigns) {
        const n = await simulateResponses(
          { ingest: ports.ingest, conversions: ports.reports.conversions, platform },
          c,
          latents,
        );
        closed = Math.max(closed, n.latestStart + (c.goal?.withinDays ?? 0) * DAY_MS + 60_000);
        run.io.err(
          `  ${c.id}: ${n.deliveries} users answered, ${n.incremental} bought because of the contact, ${n.organic} bought anyway`,
        );
      }
      const after: ReportPorts = { ...ports.reports, clock: () => new Date(closed) };
      const reports: CampaignReport[] = [];
      for (const c of campaigns) reports.push(await campaignReport(after, c.id));
      const platformNow = await platformReport(ports.reports);
      run.io.out('');
      run.io.out(
        campaigns.length === 0
          ? 'campaign results: no campaign has run'
          : `campaign results once every goal window has closed (against each campaign's holdout):`,
      );
      for (const r of reports) printCampaign(run, r);
      const comparison = comparisonLine(reports);
      if (comparison) run.io.out(`\n${comparison}`);
      await mkdir(dirname(ports.htmlPath), { recursive: true });
      await writeFile(
        ports.htmlPath,
        renderHtmlReport({
          title: 'Tideflow demo report',
          generatedAt: ports.wallClock(),
          asOf: after.clock(),
          tz: after.tz,
          campaigns: reports,
          funnel: platformNow.funnel,
          engagement: platformNow.engagement,
        }),
      );
      run.io.out(`\nHTML report: ${ports.htmlPath}`);
    },
  };
}
