import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { AuditEntry } from '../domain/audit-entry.js';
import { Duration, durationMs } from '../domain/duration.js';
import { openAccess } from '../wiring/access.js';
import type { Command } from './command.js';
import { argOf } from './keys.js';
import { formatInstant } from '../domain/time-format.js';

const Since = z.union([z.iso.datetime({ offset: true }), Duration], {
  message: 'an ISO-8601 instant with offset or a duration back from now (e.g. 7d, 12h)',
});
const Limit = z.coerce.number().int().min(1).max(10_000);

/** `tideflow audit`: the audit log, newest first. */
export const auditCommand: Command = {
  name: 'audit',
  summary: 'show the audit log: campaign actions, key changes, rule files loaded (newest first)',
  usage: 'audit [--since ISO|7d] [--limit 100] [--json]',
  async run(args, config, io) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: { since: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
    });
    const since = values.since === undefined ? undefined : sinceOf(argOf(Since, values.since, '--since'));
    const limit = values.limit === undefined ? 100 : argOf(Limit, values.limit, '--limit');
    const { access, close } = await openAccess(config);
    try {
      const entries = await access.audit.list({ limit, ...(since ? { since } : {}) });
      if (values.json) io.out(JSON.stringify(entries, null, 2));
      else if (entries.length === 0) io.out('no audit entries');
      else for (const e of entries) io.out(auditLine(e, config.TIDEFLOW_TZ));
      return 0;
    } finally {
      await close();
    }
  },
};

function sinceOf(text: string): Date {
  return Duration.safeParse(text).success ? new Date(Date.now() - durationMs(text)) : new Date(text);
}

/** One entry as a line; a rules load lists its files with the first 12 hex digits of each hash. */
export function auditLine(e: AuditEntry, tz: string): string {
  const head = `${formatInstant(e.at, tz)}  ${e.actor.padEnd(16)}  ${e.action.padEnd(17)}${e.target ? `  ${e.target}` : ''}`;
  if (e.action !== 'rules.load') return e.detail ? `${head}  ${JSON.stringify(e.detail)}` : head;
  const files = (e.detail?.files ?? []) as { file: string; sha256: string }[];
  return [
    `${head}  ${String(e.detail?.process ?? '')} pid ${String(e.detail?.pid ?? '')}, ${files.length} files`,
    ...files.map((f) => `    ${f.sha256.slice(0, 12)}  ${f.file}`),
  ].join('\n');
}
