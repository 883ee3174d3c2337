import { providerSignature, type ProviderEvent } from '../domain/provider-report.js';

/** Where a local provider posts its delivery reports, and the secret that signs them. */
export interface ReportTarget {
  /** e.g. `<tideflow>/v1/webhooks/push` or `<tideflow>/v1/webhooks/email` */
  url: string;
  secret: string;
  /** The time the signature carries; Tideflow refuses one more than 5 minutes from its now. @defaultValue the wall clock */
  clock?: () => Date;
}

/**
 * Posts one signed delivery report (domain/provider-report.ts), as an email provider's or push
 * gateway's event webhook does; answers with the HTTP status, or 0 when Tideflow could not be reached.
 */
export async function postReport(to: ReportTarget, event: ProviderEvent): Promise<number> {
  const body = JSON.stringify({ events: [event] });
  const at = to.clock?.() ?? new Date();
  try {
    const res = await fetch(to.url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-tideflow-signature': providerSignature(to.secret, body, at) },
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}
