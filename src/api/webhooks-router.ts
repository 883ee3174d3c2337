import { Router, urlencoded, type Request, type Response } from 'express';
import { verifyTwilioSignature } from '../channels/twilio-signature.js';
import { ValidationError } from '../errors.js';
import type { ReportPorts } from '../track/reports.js';
import { recordStatus, type TrackPorts } from '../track/record-status.js';
import { inboundSms } from '../track/unsubscribe.js';
import { guardedBody } from './input-guard.js';

/** What the outcome endpoints (webhooks, links, reports) need; the composition root's `outcomes`. */
export interface OutcomeApi {
  track: TrackPorts;
  reports: ReportPorts;
  /** Public base URL without a trailing slash: providers sign the URL they call, which starts with it. */
  publicUrl: string;
  /** Twilio's auth token; without it every Twilio webhook is refused. */
  twilioAuthToken: string | undefined;
}

export const TWILIO_STATUS_ROUTE = '/v1/webhooks/twilio/status';
export const TWILIO_INBOUND_ROUTE = '/v1/webhooks/twilio/inbound';

/** Twilio posts form fields; all of them are strings. */
const form = guardedBody(urlencoded({ extended: false, limit: '64kb' }));

/**
 * Twilio webhooks. Each request must carry a valid `X-Twilio-Signature` over the public URL it was
 * sent to and its form fields, else 403 and nothing changes.
 *
 * - `POST /v1/webhooks/twilio/status?deliveryId=…`: a message status callback. The status moves
 *   the delivery forward only; duplicates and late, out-of-order callbacks change nothing.
 *   204 when recorded, stale or ignored (Twilio retries on errors only).
 * - `POST /v1/webhooks/twilio/inbound`: an SMS to the platform's number; T, TD, 退订 (or STOP…)
 *   withdraws SMS consent of the users with that number. Answered with empty TwiML.
 */
export function webhooksRouter(api: OutcomeApi): Router {
  const router = Router();
  router.post(TWILIO_STATUS_ROUTE, form, async (req, res) => {
    const params = signedForm(api, req, res);
    if (!params) return;
    const deliveryId = typeof req.query.deliveryId === 'string' ? req.query.deliveryId : undefined;
    const status = params.MessageStatus ?? params.SmsStatus;
    if (!deliveryId || !status) {
      throw new ValidationError('a status callback names its delivery (?deliveryId=) and a MessageStatus', [
        ...(deliveryId ? [] : [{ path: 'query.deliveryId', message: 'required' }]),
        ...(status ? [] : [{ path: 'body.MessageStatus', message: 'required' }]),
      ]);
    }
    await recordStatus(api.track, { deliveryId, providerId: params.MessageSid ?? params.SmsSid, status });
    res.status(204).end();
  });
  router.post(TWILIO_INBOUND_ROUTE, form, async (req, res) => {
    const params = signedForm(api, req, res);
    if (!params) return;
    if (params.From && params.Body !== undefined) {
      await inboundSms(api.track, {
        messageId: params.MessageSid ?? params.SmsSid ?? `${params.From}:${params.Body}`,
        from: params.From,
        body: params.Body,
      });
    }
    res.status(200).type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
  });
  return router;
}

/** The form fields of a request Twilio signed; otherwise answers 403 and returns undefined. */
function signedForm(api: OutcomeApi, req: Request, res: Response): Record<string, string> | undefined {
  const params = formFields(req.body);
  const url = `${api.publicUrl}${req.originalUrl}`;
  if (verifyTwilioSignature(api.twilioAuthToken, req.get('x-twilio-signature'), url, params)) return params;
  res.status(403).json({ error: 'invalid or missing X-Twilio-Signature' });
  return undefined;
}

function formFields(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof body !== 'object' || body === null) return out;
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}
