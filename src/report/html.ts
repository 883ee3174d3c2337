import type { CampaignReport } from '../domain/campaign-report.js';
import type { EngagementReport, FunnelReport } from '../track/reports.js';
import { campaignComparison, campaignSection } from './html-campaign.js';
import { esc } from './html-format.js';
import { engagementSection, funnelSection } from './html-platform.js';
import { formatInstant } from '../domain/time-format.js';

/**
 * The HTML report: one self-contained page (inline CSS and SVG, no script, no fonts, images or
 * requests of any kind), so it opens from a file or a mail attachment with no network.
 */

export interface HtmlReportInput {
  title: string;
  /** When the page was made: the real time. */
  generatedAt: Date;
  /** The instant the figures are as of, when it is not `generatedAt` (the demo's simulated clock). */
  asOf?: Date;
  /** The zone times are shown in (TIDEFLOW_TZ). */
  tz: string;
  campaigns?: readonly CampaignReport[];
  funnel?: FunnelReport;
  engagement?: EngagementReport;
}

const CSS = `
:root{--ink:#1d2433;--muted:#667085;--line:#d0d5dd;--bar:#2f6fde;--ok:#1a7f4b;--warn:#b54708}
*{box-sizing:border-box}body{font:14px/1.5 -apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;color:var(--ink);margin:0;background:#f7f8fa}
main{max-width:1200px;margin:0 auto;padding:24px}header h1{margin:0 0 4px;font-size:24px}header p{margin:0;color:var(--muted)}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:20px 0}
h2{font-size:18px;margin:0 0 8px}h2 small,.note{color:var(--muted);font-weight:normal;font-size:13px}h3{font-size:15px;margin:16px 0 6px}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{padding:4px 8px;border-bottom:1px solid #eaecf0;text-align:left}
table.numbers td:not(:first-child),table.numbers th:not(:first-child){text-align:right}table.kv td:last-child{text-align:right}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:20px}.formula{font-family:ui-monospace,Menlo,Consolas,monospace;background:#f2f4f7;padding:6px 10px;border-radius:4px}
svg.chart{display:block;margin:8px 0;font-size:12px}svg text{fill:var(--ink)}svg .value,svg .axis{fill:var(--muted)}
svg .bar{fill:var(--bar)}svg .ci{stroke:var(--ink);stroke-width:2}svg .zero,svg .mid{stroke:#98a2b3;stroke-dasharray:4 3}
svg .point{fill:var(--bar);stroke:#fff;stroke-width:1.5}svg .frame{fill:none;stroke:var(--line)}svg .quadrant{fill:#98a2b3;font-style:italic}
svg .q-keep-investing{fill:var(--ok)}svg .q-target-better{fill:var(--warn)}svg .q-grow-carefully{fill:#6941c6}svg .q-watch{fill:#98a2b3}
a{color:var(--bar)}
.table-wrap{max-width:100%;overflow-x:auto;margin:6px 0}.table-wrap table{margin:0}table.kv td:last-child{white-space:nowrap}
.grid>*{min-width:0}h1,h2,h3,p{overflow-wrap:anywhere}.formula{overflow-wrap:anywhere}svg.chart{max-width:100%;height:auto}
@media (max-width:760px){main{padding:12px}section{padding:12px;margin:12px 0}.grid{grid-template-columns:1fr}}`;

function asOf(input: HtmlReportInput): string {
  if (!input.asOf || input.asOf.getTime() === input.generatedAt.getTime()) return '';
  return ` · figures as of ${esc(formatInstant(input.asOf, input.tz))} (simulated clock)`;
}

export function renderHtmlReport(input: HtmlReportInput): string {
  const campaigns = input.campaigns ?? [];
  const nav = [
    ...(campaigns.length > 0 ? ['<a href="#campaigns">campaigns</a>'] : []),
    ...(input.funnel ? ['<a href="#funnel">funnel</a>'] : []),
    ...(input.engagement ? ['<a href="#engagement">engagement</a>'] : []),
  ].join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(input.title)}</title><style>${CSS}</style></head>
<body><main>
<header><h1>${esc(input.title)}</h1><p>Generated ${esc(formatInstant(input.generatedAt, input.tz))}${asOf(input)} · ${nav}</p></header>
${campaignComparison(campaigns)}
${campaigns.map((c) => campaignSection(c, input.tz)).join('\n')}
${input.funnel ? funnelSection(input.funnel) : ''}
${input.engagement ? engagementSection(input.engagement) : ''}
</main></body></html>
`;
}
