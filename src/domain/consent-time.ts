import type { z } from 'zod';
import { CHANNELS, type Consent } from './profile.js';

/** How far ahead of the server's clock a client's consent time may be (clocks drift a little). */
export const CONSENT_CLOCK_SKEW_MS = 5 * 60_000;

type WithConsent = { consent?: Partial<Record<(typeof CHANNELS)[number], Consent>> | undefined };

/**
 * A zod transform holding consent times to the server's clock. Consent is ordered by time
 * (consent-order.ts), so a change stamped in the future would outrank every opt-out until then:
 * one more than CONSENT_CLOCK_SKEW_MS ahead of `now` is refused (an issue at `consent.<ch>.at`),
 * one less is stamped `now`, so that the user's next opt-out outranks it.
 */
export function consentAsOf(now: Date) {
  return <T extends WithConsent>(value: T, ctx: z.RefinementCtx): T => {
    if (!value.consent) return value;
    const consent = { ...value.consent };
    for (const ch of CHANNELS) {
      const c = consent[ch];
      const ahead = c ? c.at.getTime() - now.getTime() : 0;
      if (!c || ahead <= 0) continue;
      if (ahead <= CONSENT_CLOCK_SKEW_MS) consent[ch] = { ...c, at: now };
      else
        ctx.addIssue({
          code: 'custom',
          path: ['consent', ch, 'at'],
          message: `${Math.round(ahead / 1000)} s ahead of the server's clock (${now.toISOString()}): send the time consent was given or withdrawn, never a future one`,
        });
    }
    return { ...value, consent };
  };
}
