import type { Campaign } from '../domain/campaign.js';
import type { Delivery } from '../domain/delivery.js';
import { messageVariables } from '../domain/message-variables.js';
import { contactPoint, type Profile } from '../domain/profile.js';
import { channelText } from '../domain/sms-body.js';
import { ValidationError } from '../errors.js';
import type { OutgoingMessage } from '../ports/channel.js';
import { renderMessage, type TemplateSet } from './templates.js';

/** Links a message carries. */
export interface MessageLinks {
  /** The one-click unsubscribe link of a delivery. */
  unsubscribe(deliveryId: string): string;
  /** A link to `url` that records a click of this delivery on its way (http or https URLs). */
  track(deliveryId: string, url: string): string;
}

/**
 * Unsigned links: unsubscribe links of the shape `<public url>/u/<delivery id, URL-encoded>`, and
 * pages linked directly, untracked. The outcomes stage signs both (track/signed-links.ts).
 */
export function plainLinks(publicUrl: string): MessageLinks {
  const base = publicUrl.replace(/\/+$/, '');
  return { unsubscribe: (id) => `${base}/u/${encodeURIComponent(id)}`, track: (_id, url) => url };
}

/**
 * The pages a message links to, on the platform's site (TIDEFLOW_APP_URL): the campaign's page
 * `<app url>/campaigns/<campaign id>` and, when the message offers one, the product's page
 * `<app url>/products/<product id>`.
 */
export function landingPages(
  appUrl: string,
  campaignId: string,
  productId: string | undefined,
): { landing: string; product?: string } {
  const base = appUrl.replace(/\/+$/, '');
  const landing = `${base}/campaigns/${encodeURIComponent(campaignId)}`;
  return productId === undefined
    ? { landing }
    : { landing, product: `${base}/products/${encodeURIComponent(productId)}` };
}

export interface MessageContext {
  templates: TemplateSet;
  links: MessageLinks;
  /** The platform's web address, which message links lead to (see landingPages). */
  appUrl: string;
  /** The notice fund marketing carries when the message offers no product. */
  riskNotice: string;
  /** The SMS signature (TIDEFLOW_SMS_SIGNATURE), unless the campaign names its own. */
  smsSignature?: string;
}

/** Why a message could not be built: no contact point, or a template that does not render. */
export type Built =
  { ok: true; message: OutgoingMessage } | { ok: false; reason: 'no-contact' | 'render-error'; detail: string };

/**
 * The message of one planned send, rendered whole before anything is sent: a render error is a
 * value, and no part of a message goes out without the rest. The outbox sends what this returns,
 * and `simulate` and `preview` show it, so a preview is the sent message byte for byte.
 */
export function buildMessage(ctx: MessageContext, c: Campaign, d: Delivery, profile: Profile): Built {
  const channel = d.channel;
  const to = channel ? contactPoint(profile, channel) : undefined;
  if (!channel || !to) return { ok: false, reason: 'no-contact', detail: `no ${channel ?? 'channel'} contact point` };
  const unsubscribeUrl = ctx.links.unsubscribe(d._id);
  const pages = landingPages(ctx.appUrl, c.id, d.product?.id);
  const landing = ctx.links.track(d._id, pages.landing);
  const product = pages.product === undefined ? undefined : ctx.links.track(d._id, pages.product);
  const vars = messageVariables({
    user: { id: d.userId, timezone: d.timezone ?? 'UTC' },
    links: { unsubscribe: unsubscribeUrl, landing, product },
    riskNotice: ctx.riskNotice,
    ...(d.product ? { product: d.product } : {}),
    ...(d.incentive ? { incentive: d.incentive } : {}),
  });
  try {
    const r = renderMessage(ctx.templates, c.template, channel, vars);
    return {
      ok: true,
      message: {
        deliveryId: d._id,
        to,
        text: channelText(channel, r.text, c.smsSignature ?? ctx.smsSignature),
        unsubscribeUrl,
        ...(r.subject !== undefined ? { subject: r.subject } : {}),
        ...(r.html !== undefined ? { html: r.html } : {}),
        // A push notification opens `link` when tapped.
        metadata: { campaignId: c.id, userId: d.userId, link: product ?? landing },
      },
    };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { ok: false, reason: 'render-error', detail: err.message };
  }
}
