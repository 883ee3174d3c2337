import type { InboxMessage } from '../domain/inbox.js';

/** `2026-11-21 10:00:05 +08:00`: the instant as a clock in `tz` shows it, with the offset. */
export function zonedTime(at: Date, tz: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const offset = (parts.timeZoneName ?? 'GMT').replace(/^GMT$/, 'GMT+00:00').slice(3);
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${offset}`;
}

/** One message as its user would see it: who it came from, its title or subject, its text. */
export function formatInboxMessage(m: InboxMessage, tz: string): string[] {
  const head = `${zonedTime(m.receivedAt, tz)}  ${m.channel} to ${m.to}  (user ${m.userId}, campaign ${m.campaignId || '?'})`;
  const lines = [head];
  if (m.from) lines.push(`  from: ${m.from}`);
  if (m.title !== undefined) lines.push(`  ${m.channel === 'email' ? 'subject' : 'title'}: ${m.title}`);
  for (const line of m.text.trimEnd().split('\n')) lines.push(`  ${line}`);
  return lines;
}
