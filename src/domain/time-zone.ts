import { z } from 'zod';

/** A valid IANA time zone name, checked against the runtime's tz database. */
export const TimeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a known IANA time zone (e.g. Asia/Shanghai)' },
);
