import { raw, Router, type Request } from 'express';
import { Channel } from '../domain/profile.js';
import { ProviderReport, verifyProviderSignature } from '../domain/provider-report.js';
import { ValidationError } from '../errors.js';
import { recordProviderEvent } from '../track/provider-events.js';
import type { TrackPorts } from '../track/record-status.js';

export const EMAIL_WEBHOOK_ROUTE = '/v1/webhooks/email';
export const PUSH_WEBHOOK_ROUTE = '/v1/webhooks/push';

/** The raw body, whatever its content type: the signature is over its exact bytes. */
const body = raw({ type: () => true, limit: '512kb' });

/**
 * Delivery reports of the email provider and the push gateway (format: domain/provider-report.ts).
 * `X-Tideflow-Signature` must sign the raw body with the channel's secret
 * (TIDEFLOW_EMAIL_WEBHOOK_SECRET, TIDEFLOW_PUSH_WEBHOOK_SECRET) within 5 minutes of now, else 403
 * and nothing changes; without a secret every report is refused. 200 `{ recorded, stale, ignored }`
 * counts what the events did; replays and late reports are harmless. Mounted before the app's JSON
 * parser, which would consume the bytes the signature covers.
 */
export function providerWebhooksRouter(track: TrackPorts): Router {
  const router = Router();
  for (const [route, channel] of [
    [EMAIL_WEBHOOK_ROUTE, 'email'],
    [PUSH_WEBHOOK_ROUTE, 'push'],
  ] as const) {
    router.post(route, body, async (req, res) => {
      const text = rawText(req);
      const secret = track.providerSecrets?.[channel];
      if (!verifyProviderSignature(secret, req.get('x-tideflow-signature'), text, track.clock())) {
        return void res.status(403).json({ error: 'invalid or missing X-Tideflow-Signature' });
      }
      const report = parseReport(text);
      const counts = { recorded: 0, stale: 0, ignored: 0 };
      for (const e of report.events) counts[await recordProviderEvent(track, Channel.parse(channel), e)]++;
      res.status(200).json(counts);
    });
  }
  return router;
}

function rawText(req: Request): string {
  return Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
}

function parseReport(text: string): ProviderReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ValidationError('the body is not JSON', [{ path: 'body', message: 'expected JSON { events: [...] }' }]);
  }
  const parsed = ProviderReport.safeParse(json);
  if (!parsed.success) {
    throw new ValidationError(
      'invalid delivery report',
      parsed.error.issues.map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message })),
    );
  }
  return parsed.data;
}
