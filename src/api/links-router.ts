import { Router, urlencoded, type Response } from 'express';
import { followLink, type TrackPorts } from '../track/record-status.js';
import { TRACKED_LINK_PREFIX, UNSUBSCRIBE_PREFIX } from '../track/signed-links.js';
import { checkUnsubscribeLink, optOutTopic, unsubscribeDelivery, type LinkCheck } from '../track/unsubscribe.js';
import { guardedBody } from './input-guard.js';

const form = guardedBody(urlencoded({ extended: false, limit: '4kb' }));
const TOPIC = /^[a-z0-9_-]{1,48}$/;

/**
 * Links in messages, all signed (track/signed-links.ts):
 * - `GET /v1/l/:token`: records the click and redirects (302) to the URL the token was signed for
 *   — never anywhere else; 404 for a token that is not Tideflow's.
 * - `GET /u/:deliveryId?s=…`: a confirmation page (mail scanners follow links; a GET changes nothing).
 * - `POST /u/:deliveryId?s=…`: unsubscribes from the delivery's channel — RFC 8058 one-click
 *   (`List-Unsubscribe=One-Click`) or the page's button; with `?topic=` (push), leaves that topic only.
 * A bad signature gets 403 and changes nothing.
 */
export function linksRouter(track: TrackPorts): Router {
  const router = Router();
  router.get(`${TRACKED_LINK_PREFIX}:token`, async (req, res) => {
    const url = await followLink(track, req.params.token);
    if (!url) return void res.status(404).json({ error: 'no such link' });
    res.redirect(302, url);
  });
  router.get(`${UNSUBSCRIBE_PREFIX}:deliveryId`, async (req, res) => {
    const check = await checkUnsubscribeLink(track, req.params.deliveryId, signatureOf(req.query.s));
    if (!check.ok) return refuse(res, check);
    page(
      res,
      200,
      '退订确认 Unsubscribe',
      `<p>不再通过${channelName(check.delivery.channel)}接收此类营销消息？</p>
<form method="post"><button type="submit" name="List-Unsubscribe" value="One-Click">确认退订 Unsubscribe</button></form>`,
    );
  });
  router.post(`${UNSUBSCRIBE_PREFIX}:deliveryId`, form, async (req, res) => {
    const check = await checkUnsubscribeLink(track, req.params.deliveryId, signatureOf(req.query.s));
    if (!check.ok) return refuse(res, check);
    const topic = typeof req.query.topic === 'string' ? req.query.topic : undefined;
    if (topic !== undefined) {
      if (!TOPIC.test(topic))
        return page(res, 400, '无效的主题 Bad topic', '<p>topic: lowercase letters, digits, _ and -.</p>');
      await optOutTopic(track, check.delivery, topic);
      return page(res, 200, '已退订该主题 Topic muted', `<p>您将不再收到「${topic}」主题的推送。</p>`);
    }
    const oneClick = (req.body as Record<string, unknown> | undefined)?.['List-Unsubscribe'] === 'One-Click';
    await unsubscribeDelivery(track, check.delivery, oneClick ? 'one-click' : 'link');
    page(res, 200, '已退订 Unsubscribed', `<p>您已退订${channelName(check.delivery.channel)}营销消息。</p>`);
  });
  return router;
}

function signatureOf(s: unknown): string | undefined {
  return typeof s === 'string' ? s : undefined;
}

function refuse(res: Response, check: Extract<LinkCheck, { ok: false }>): void {
  if (check.reason === 'no-delivery') return page(res, 404, '链接已失效 Link expired', '<p>找不到这条消息。</p>');
  page(res, 403, '链接无效 Invalid link', '<p>此退订链接无效。</p>');
}

function channelName(channel: string | undefined): string {
  return channel === 'sms' ? '短信' : channel === 'email' ? '邮件' : channel === 'push' ? '推送' : '';
}

/** A small HTML page; every dynamic part is escaped or from a fixed set. */
function page(res: Response, status: number, title: string, body: string): void {
  res.status(status).type('html')
    .send(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${title}</title></head><body style="font-family:sans-serif;max-width:480px;margin:40px auto;padding:0 16px"><h1 style="font-size:20px">${title}</h1>${body}</body></html>`);
}
