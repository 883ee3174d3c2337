import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MessageLinks } from '../deliver/build-message.js';

/**
 * Signed links in messages. A signature is the first 128 bits of HMAC-SHA256 over
 * `purpose \n payload` with the link secret (TIDEFLOW_LINK_SECRET), base64url: a link can be
 * neither forged nor turned into another (an unsubscribe link is no tracked link, a tracked
 * link redirects only to the URL it was signed for).
 *
 * - unsubscribe: `<public url>/u/<delivery id>?s=<signature>` (GET shows a confirmation, POST
 *   unsubscribes — RFC 8058 one-click);
 * - tracked link: `<public url>/v1/l/<token>`, token = base64url(JSON {d: delivery id, u: url})
 *   `.` signature; following it records the click and redirects to `u`.
 */

export type LinkPurpose = 'unsubscribe' | 'link';

export interface LinkSigner {
  sign(purpose: LinkPurpose, payload: string): string;
  verify(purpose: LinkPurpose, payload: string, signature: string | undefined): boolean;
}

export function linkSigner(secret: string): LinkSigner {
  const sign = (purpose: LinkPurpose, payload: string): string =>
    createHmac('sha256', secret).update(`${purpose}\n${payload}`).digest().subarray(0, 16).toString('base64url');
  return {
    sign,
    verify(purpose, payload, signature) {
      if (!signature) return false;
      const want = Buffer.from(sign(purpose, payload));
      const got = Buffer.from(signature);
      return got.length === want.length && timingSafeEqual(got, want);
    },
  };
}

/** Where one-click unsubscribe links point, below the public URL. */
export const UNSUBSCRIBE_PREFIX = '/u/';
/** Where tracked links point, below the public URL. */
export const TRACKED_LINK_PREFIX = '/v1/l/';

/** The links of messages, signed: a tracked link to `url` (http or https) records a click of its delivery. */
export type SignedLinks = MessageLinks;

/** The MessageLinks the deliver stage takes, signed with `signer`. */
export function signedLinks(publicUrl: string, signer: LinkSigner): SignedLinks {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    unsubscribe: (id) => `${base}${UNSUBSCRIBE_PREFIX}${encodeURIComponent(id)}?s=${signer.sign('unsubscribe', id)}`,
    track(deliveryId, url) {
      if (!isWebUrl(url)) throw new Error(`tracked links go to http(s) URLs, not ${url}`);
      const payload = Buffer.from(JSON.stringify({ d: deliveryId, u: url })).toString('base64url');
      return `${base}${TRACKED_LINK_PREFIX}${payload}.${signer.sign('link', payload)}`;
    },
  };
}

/** The delivery and target of a tracked link's token, if its signature holds. */
export function readTrackedLink(signer: LinkSigner, token: string): { deliveryId: string; url: string } | undefined {
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const payload = token.slice(0, dot);
  if (!signer.verify('link', payload, token.slice(dot + 1))) return undefined;
  try {
    const v = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { d?: unknown; u?: unknown };
    if (typeof v.d !== 'string' || typeof v.u !== 'string' || !isWebUrl(v.u)) return undefined;
    return { deliveryId: v.d, url: v.u };
  } catch {
    return undefined;
  }
}

function isWebUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
