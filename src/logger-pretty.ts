import type { DestinationStream } from 'pino';

/** Fields every entry has, left out of a pretty line's `key=value` tail. */
const OWN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'err']);

/**
 * A destination that turns pino's JSON lines into one text line each for a terminal:
 * `10:04:05.123 INFO outbox pass campaignId=spring picked=3`, an error's stack below it.
 */
export function prettyLines(out: DestinationStream): DestinationStream {
  return {
    write(line: string) {
      out.write(prettyLine(line));
    },
  };
}

export function prettyLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
  const level = String(entry.level ?? '').toUpperCase();
  const tail = Object.entries(entry)
    .filter(([k]) => !OWN.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const err = entry.err as { stack?: string; message?: string } | undefined;
  const stack = err ? `\n  ${(err.stack ?? err.message ?? '').replace(/\n/g, '\n  ')}` : '';
  return `${[time, level.padEnd(5), String(entry.msg ?? ''), ...tail].join(' ').trim()}${stack}\n`;
}
