import { z } from 'zod';
import { ProfileUpdate } from '../domain/profile.js';
import { ProviderReport } from '../domain/provider-report.js';
import { TRACKED_LINK_PREFIX, UNSUBSCRIBE_PREFIX } from '../track/signed-links.js';
import { KeyId } from '../domain/api-key.js';
import { AuditQuery, CreateKeyBody } from './access-router.js';
import { DeliveryQuery, PreviewQuery, ProfileDeliveryQuery, SimulateBody, RunBody } from './campaigns-router.js';
import { eventBatch } from './events-router.js';
import * as R from './openapi-responses.js';
import { ReadQuery } from './profiles-router.js';
import { InboxQuery } from './inbox-router.js';
import { FunnelQuery, RangeQuery } from './reports-router.js';
import { ExplainQuery, MembersQuery, NowQuery } from './segments-router.js';
import { EMAIL_WEBHOOK_ROUTE, PUSH_WEBHOOK_ROUTE } from './provider-webhooks-router.js';
import { TWILIO_INBOUND_ROUTE, TWILIO_STATUS_ROUTE } from './webhooks-router.js';

/** One answer of an operation: JSON with a schema, a page, TwiML, a redirect or nothing. */
export interface Answer {
  description: string;
  json?: z.ZodType;
  type?: 'text/html' | 'text/xml';
  /** OpenAPI links to follow from this answer (stateful fuzzing walks them). */
  links?: Record<string, { operationId: string; parameters: Record<string, string> }>;
}

/** An HTTP operation as the routers register it, with the schemas its router validates with. */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  /** In express notation, e.g. `/v1/campaigns/:id`. */
  path: string;
  operationId: string;
  summary: string;
  /** Path parameters; every one is an `Id` unless given here. */
  params?: Record<string, z.ZodType>;
  query?: z.ZodObject;
  /** `signed`: a signature over the raw bytes is checked before the body is parsed (403 first). */
  body?: { schema: z.ZodType; form?: boolean; signed?: boolean; required?: boolean };
  answers: Record<number, Answer>;
  /** Reachable without an API key (health, signed links, webhooks that check their own signature). */
  public?: boolean;
}

const err = (description: string): Answer => ({ description, json: R.ErrorBody });
const bad = err('invalid path, query or body (issues name each field)');
const notFound = err('no such thing');
const page = (description: string): Answer => ({ description, type: 'text/html' });
const userLinks = (from: string): Answer['links'] => ({
  profile: { operationId: 'getProfile', parameters: { userId: from } },
  explain: { operationId: 'explainProfile', parameters: { userId: from } },
  deliveries: { operationId: 'listProfileDeliveries', parameters: { userId: from } },
});
const campaignLinks = (from: string): Answer['links'] =>
  Object.fromEntries(
    [
      'getCampaign',
      'simulateCampaign',
      'listCampaignDeliveries',
      'pauseCampaign',
      'resumeCampaign',
      'campaignReport',
    ].map((operationId) => [operationId, { operationId, parameters: { id: from } }]),
  );

/** Twilio's form fields that Tideflow reads; others are accepted and ignored. */
const TwilioStatusForm = z.looseObject({
  MessageStatus: z.string().optional(),
  SmsStatus: z.string().optional(),
  MessageSid: z.string().optional(),
  SmsSid: z.string().optional(),
});
const TwilioInboundForm = z.looseObject({
  From: z.string().optional(),
  Body: z.string().optional(),
  MessageSid: z.string().optional(),
});
const SignatureQuery = z.looseObject({ s: z.string().optional() });
const UnsubscribeQuery = SignatureQuery.extend({ topic: z.string().optional() });
const UnsubscribeForm = z.looseObject({ 'List-Unsubscribe': z.string().optional() });
const AnyText = z.string().min(1);

/** Every operation of the HTTP API; a test checks it against the routes express registers. */
export function operations(maxBatch: number): Operation[] {
  return [
    {
      method: 'get',
      path: '/health',
      operationId: 'health',
      summary: 'database reachable',
      public: true,
      answers: {
        200: { description: 'up', json: R.Health },
        503: { description: 'database down', json: R.HealthDown },
      },
    },
    {
      method: 'get',
      path: '/v1/openapi.json',
      operationId: 'openapi',
      summary: 'this document (no key needed)',
      answers: { 200: { description: 'OpenAPI 3.1', json: R.OpenApiDocument } },
      public: true,
    },
    {
      method: 'get',
      path: '/v1/keys',
      operationId: 'listKeys',
      summary: 'API keys (never a key or its hash)',
      answers: { 200: { description: 'keys', json: R.KeyList } },
    },
    {
      method: 'get',
      path: '/v1/inbox',
      operationId: 'sandboxInbox',
      summary: 'messages the sandbox channels received, as the users would see them, oldest first',
      query: InboxQuery,
      answers: { 200: { description: 'messages', json: R.InboxPage }, 400: bad },
    },
    {
      method: 'post',
      path: '/v1/keys',
      operationId: 'createKey',
      summary: 'create a key; the key is shown once',
      body: { schema: CreateKeyBody, required: true },
      answers: {
        201: {
          description: 'created',
          json: R.KeyCreated,
          links: { revoke: { operationId: 'revokeKey', parameters: { id: '$response.body#/id' } } },
        },
        400: bad,
      },
    },
    {
      method: 'delete',
      path: '/v1/keys/:id',
      operationId: 'revokeKey',
      summary: 'revoke a key at once',
      params: { id: KeyId },
      answers: { 204: { description: 'revoked' }, 400: bad, 404: notFound },
    },
    {
      method: 'get',
      path: '/v1/audit',
      operationId: 'auditLog',
      summary: 'who ran, paused, resumed; keys; rule files loaded',
      query: AuditQuery,
      answers: { 200: { description: 'entries, newest first', json: R.AuditEntries }, 400: bad },
    },
    {
      method: 'post',
      path: '/v1/events',
      operationId: 'ingestEvents',
      summary: 'ingest a batch of events (all or nothing)',
      body: { schema: eventBatch(maxBatch), required: true },
      answers: { 202: { description: 'stored', json: R.IngestAnswer }, 400: bad, 413: err('body too large') },
    },
    {
      method: 'get',
      path: '/v1/profiles/:userId',
      operationId: 'getProfile',
      summary: 'a profile and its metrics',
      query: ReadQuery,
      answers: { 200: { description: 'the profile', json: R.ProfileAnswer }, 400: bad, 404: notFound },
    },
    {
      method: 'put',
      path: '/v1/profiles/:userId',
      operationId: 'putProfile',
      summary: 'create or update contact points, consent, topics, attributes',
      body: { schema: ProfileUpdate, required: true },
      answers: {
        200: { description: 'updated', json: R.ProfileSaved, links: userLinks('$response.body#/userId') },
        201: { description: 'created', json: R.ProfileSaved, links: userLinks('$response.body#/userId') },
        400: bad,
        413: err('body too large'),
      },
    },
    {
      method: 'get',
      path: '/v1/segments',
      operationId: 'listSegments',
      summary: 'every segment',
      answers: {
        200: {
          description: 'segments',
          json: R.SegmentList,
          links: {
            segment: { operationId: 'getSegment', parameters: { id: '$response.body#/segments/0/id' } },
            members: { operationId: 'segmentMembers', parameters: { id: '$response.body#/segments/0/id' } },
          },
        },
        400: bad,
      },
    },
    {
      method: 'get',
      path: '/v1/segments/:id',
      operationId: 'getSegment',
      summary: 'member count per condition',
      query: NowQuery,
      answers: { 200: { description: 'counts', json: R.SegmentCount }, 400: bad, 404: notFound },
    },
    {
      method: 'get',
      path: '/v1/segments/:id/members',
      operationId: 'segmentMembers',
      summary: 'members in user id order',
      query: MembersQuery,
      answers: {
        200: { description: 'a page', json: R.MembersPage, links: userLinks('$response.body#/members/0') },
        400: bad,
        404: notFound,
      },
    },
    {
      method: 'get',
      path: '/v1/profiles/:userId/explain',
      operationId: 'explainProfile',
      summary: 'in or out of each segment, per condition',
      query: ExplainQuery,
      answers: { 200: { description: 'explanation', json: R.Explanation }, 400: bad, 404: notFound },
    },
    {
      method: 'get',
      path: '/v1/campaigns',
      operationId: 'listCampaigns',
      summary: 'every campaign',
      answers: {
        200: { description: 'campaigns', json: R.CampaignList, links: campaignLinks('$response.body#/campaigns/0/id') },
        400: bad,
      },
    },
    {
      method: 'get',
      path: '/v1/campaigns/:id',
      operationId: 'getCampaign',
      summary: 'campaign, budget, recent runs, ledger tally',
      answers: { 200: { description: 'the campaign', json: R.CampaignDetail }, 400: bad, 404: notFound },
    },
    {
      method: 'post',
      path: '/v1/campaigns/:id/simulate',
      operationId: 'simulateCampaign',
      summary: 'dry run: nothing sent or granted',
      body: { schema: SimulateBody },
      answers: {
        200: { description: 'simulation', json: R.Simulation },
        400: bad,
        404: notFound,
        409: err('cannot be simulated now'),
      },
    },
    {
      method: 'get',
      path: '/v1/campaigns/:id/preview',
      operationId: 'previewCampaignMessage',
      summary: "one user's message exactly as it would be sent, with SMS length and parts and every gate",
      query: PreviewQuery,
      answers: { 200: { description: 'the preview', json: R.Preview }, 400: bad, 404: notFound },
    },
    {
      method: 'post',
      path: '/v1/campaigns/:id/run',
      operationId: 'runCampaign',
      summary: 'queue one occurrence now (a paused campaign is refused: 409)',
      body: { schema: RunBody },
      answers: {
        202: { description: 'queued', json: R.RunQueued },
        400: bad,
        404: notFound,
        409: err('paused or conflicting'),
      },
    },
    {
      method: 'post',
      path: '/v1/campaigns/:id/pause',
      operationId: 'pauseCampaign',
      summary: 'pause (kept in the database)',
      answers: { 200: { description: 'paused', json: R.CampaignStatusAnswer }, 400: bad, 404: notFound },
    },
    {
      method: 'post',
      path: '/v1/campaigns/:id/resume',
      operationId: 'resumeCampaign',
      summary: 'resume',
      answers: { 200: { description: 'active', json: R.CampaignStatusAnswer }, 400: bad, 404: notFound },
    },
    {
      method: 'get',
      path: '/v1/campaigns/:id/deliveries',
      operationId: 'listCampaignDeliveries',
      summary: 'the ledger of a campaign, paged',
      query: DeliveryQuery,
      answers: {
        200: { description: 'a page', json: R.DeliveryPage, links: userLinks('$response.body#/deliveries/0/userId') },
        400: bad,
        404: notFound,
      },
    },
    {
      method: 'get',
      path: '/v1/profiles/:userId/deliveries',
      operationId: 'listProfileDeliveries',
      summary: 'the ledger of a user, paged',
      query: ProfileDeliveryQuery,
      answers: { 200: { description: 'a page', json: R.DeliveryPage }, 400: bad },
    },
    {
      method: 'get',
      path: '/v1/reports/campaigns/:id',
      operationId: 'campaignReport',
      summary: 'campaign report (per occurrence and cumulative)',
      query: RangeQuery,
      answers: { 200: { description: 'report', json: R.CampaignReport }, 400: bad, 404: notFound },
    },
    {
      method: 'get',
      path: '/v1/reports/funnel',
      operationId: 'funnelReport',
      summary: 'platform funnel',
      query: FunnelQuery,
      answers: { 200: { description: 'report', json: R.FunnelReport }, 400: bad },
    },
    {
      method: 'get',
      path: '/v1/reports/engagement',
      operationId: 'engagementReport',
      summary: 'DAU/MAU, retention, push reach',
      query: RangeQuery,
      answers: { 200: { description: 'report', json: R.EngagementReport }, 400: bad },
    },
    {
      method: 'post',
      path: TWILIO_STATUS_ROUTE,
      operationId: 'twilioStatus',
      summary: 'Twilio status callback (X-Twilio-Signature)',
      public: true,
      query: z.object({ deliveryId: z.string().optional() }),
      body: { schema: TwilioStatusForm, form: true },
      answers: { 204: { description: 'recorded, stale or ignored' }, 400: bad, 403: err('bad signature') },
    },
    {
      method: 'post',
      path: TWILIO_INBOUND_ROUTE,
      operationId: 'twilioInbound',
      summary: 'inbound SMS (X-Twilio-Signature)',
      public: true,
      body: { schema: TwilioInboundForm, form: true },
      answers: { 200: { description: 'empty TwiML', type: 'text/xml' }, 400: bad, 403: err('bad signature') },
    },
    ...[EMAIL_WEBHOOK_ROUTE, PUSH_WEBHOOK_ROUTE].map((path): Operation => ({
      method: 'post',
      path,
      operationId: path === EMAIL_WEBHOOK_ROUTE ? 'emailReport' : 'pushReport',
      summary: 'provider delivery report (X-Tideflow-Signature over the raw body)',
      public: true,
      body: { schema: ProviderReport, signed: true, required: true },
      answers: {
        200: { description: 'what the events did', json: R.ProviderReportAnswer },
        400: bad,
        403: err('bad signature'),
        413: err('body too large'),
      },
    })),
    {
      method: 'get',
      path: `${TRACKED_LINK_PREFIX}:token`,
      operationId: 'followLink',
      summary: 'signed tracked link: record the click, redirect',
      public: true,
      params: { token: AnyText },
      answers: { 302: { description: 'to the signed URL' }, 400: bad, 404: err('not a Tideflow link') },
    },
    {
      method: 'get',
      path: `${UNSUBSCRIBE_PREFIX}:deliveryId`,
      operationId: 'unsubscribePage',
      summary: 'signed unsubscribe link: confirmation page',
      public: true,
      params: { deliveryId: AnyText },
      query: SignatureQuery,
      answers: { 200: page('confirm'), 400: bad, 403: page('bad signature'), 404: page('no such delivery') },
    },
    {
      method: 'post',
      path: `${UNSUBSCRIBE_PREFIX}:deliveryId`,
      operationId: 'unsubscribe',
      summary: 'signed unsubscribe (RFC 8058 one-click)',
      public: true,
      params: { deliveryId: AnyText },
      query: UnsubscribeQuery,
      body: { schema: UnsubscribeForm, form: true },
      answers: {
        200: page('unsubscribed'),
        400: { description: 'bad topic or input', type: 'text/html', json: R.ErrorBody },
        403: page('bad signature'),
        404: page('no such delivery'),
      },
    },
  ];
}
