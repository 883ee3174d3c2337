import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config/config.js';
import { maskContact } from './domain/mask.js';
import { prettyLines } from './logger-pretty.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Where the lines go. @defaultValue stderr, written synchronously */
  destination?: DestinationStream;
  /** One text line per entry instead of JSON. @defaultValue stderr is a terminal and LOG_JSON is not set */
  pretty?: boolean;
}

/**
 * Tideflow's logger, made once by the composition root and passed down: JSON lines on stderr at
 * LOG_LEVEL, each with an ISO time and a level name. Callers add their context with `child`
 * (campaignId, occurrence, jobId, requestId). Every line is masked as a whole before it is written
 * (`maskedLines`): its message, fields, the bindings of every child and errors' stacks hold no
 * phone number, email address, push token or API key.
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'LOG_JSON'>, opts: LoggerOptions = {}): Logger {
  const pretty = opts.pretty ?? (!opts.destination && !config.LOG_JSON && process.stderr.isTTY === true);
  const destination = opts.destination ?? pino.destination({ dest: 2, sync: true });
  return pino(
    {
      level: config.LOG_LEVEL,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    maskedLines(pretty ? prettyLines(destination) : destination),
  );
}

/** A logger that writes nothing (tools and tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * A destination that masks each JSON line pino writes, value by value (masking the text of the
 * line would mangle its numbers: a 13-digit time looks like a phone number).
 */
export function maskedLines(out: DestinationStream): DestinationStream {
  return {
    write(line: string) {
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch {
        out.write(maskContact(line));
        return;
      }
      out.write(`${JSON.stringify(maskValue(entry, 0))}\n`);
    },
  };
}

function maskValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskContact(value);
  if (depth > 16 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskValue(v, depth + 1);
  return out;
}
