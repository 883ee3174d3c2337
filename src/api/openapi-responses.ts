import { z } from 'zod';
import { DELIVERY_STATES } from '../domain/delivery.js';

/**
 * What the API answers, as zod schemas for the OpenAPI document (api/openapi.ts). They state the
 * fields clients rely on and leave the rest open (`looseObject`), so the document stays true as
 * reports and views gain fields; the fuzz run checks every response against them.
 */

const Instant = z.string().describe('ISO-8601 instant');
const Counts = z.record(z.string(), z.number());

/** Every 4xx and 500 body. */
export const ErrorBody = z.looseObject({
  error: z.string(),
  issues: z
    .array(
      z.looseObject({
        path: z.string(),
        message: z.string(),
        hint: z.string().optional(),
        file: z.string().optional(),
      }),
    )
    .optional(),
});

export const Health = z.strictObject({ status: z.enum(['ok']) });
export const HealthDown = z.strictObject({ status: z.enum(['unavailable']), reason: z.string() });

export const IngestAnswer = z.strictObject({ accepted: z.number().int().min(0), duplicates: z.number().int().min(0) });

export const ProfileAnswer = z.looseObject({
  userId: z.string(),
  metrics: z.looseObject({}),
  buckets: z.record(z.string(), z.looseObject({})).optional(),
});
export const ProfileSaved = z.strictObject({ userId: z.string(), created: z.boolean() });

const SegmentDef = z.looseObject({ id: z.string(), name: z.string(), conditions: z.looseObject({}) });
export const SegmentList = z.strictObject({ segments: z.array(SegmentDef) });
export const SegmentCount = z.looseObject({
  segment: z.string(),
  name: z.string(),
  now: Instant,
  population: z.number().int(),
  count: z.number().int(),
  conditions: z.array(z.looseObject({})),
  waterfall: z.looseObject({
    population: z.number().int(),
    steps: z.array(z.looseObject({ at: z.string(), text: z.string(), passed: z.number().int() })),
  }),
});
export const MembersPage = z.strictObject({
  segment: z.string(),
  members: z.array(z.string()),
  next: z.string().optional(),
});
export const Explanation = z.strictObject({
  userId: z.string(),
  now: Instant,
  segments: z.array(
    z.looseObject({
      segment: z.string(),
      name: z.string(),
      member: z.boolean(),
      leaves: z.array(z.looseObject({ at: z.string(), passed: z.boolean() })),
    }),
  ),
});

const CampaignDef = z.looseObject({
  id: z.string(),
  name: z.string(),
  segment: z.string(),
  channels: z.array(z.string()),
  status: z.string(),
});
const Tally = z.looseObject({
  campaignId: z.string(),
  matched: z.number(),
  sent: Counts,
  skipped: Counts,
  failed: Counts,
  unknown: Counts,
  pending: z.number(),
  messageCostFen: z.number(),
  incentiveFen: z.number(),
});
export const CampaignList = z.strictObject({ campaigns: z.array(CampaignDef) });
export const CampaignDetail = z.strictObject({
  campaign: CampaignDef,
  budget: z.looseObject({ capFen: z.number(), spentFen: z.number(), remainingFen: z.number() }).nullable(),
  runs: z.array(z.looseObject({ campaignId: z.string(), occurrence: z.string(), status: z.string() })),
  tally: Tally,
});
export const CampaignStatusAnswer = z.strictObject({ campaign: CampaignDef });
export const Simulation = z.looseObject({
  campaignId: z.string(),
  now: Instant,
  tally: Tally,
  samples: z.array(z.looseObject({ userId: z.string(), decision: z.enum(['send', 'skip']) })),
  skips: z.array(
    z.looseObject({
      reason: z.string(),
      count: z.number().int(),
      users: z.array(z.looseObject({ userId: z.string(), detail: z.string().optional() })),
    }),
  ),
});
export const Preview = z.looseObject({
  campaignId: z.string(),
  userId: z.string(),
  now: Instant,
  deliveryId: z.string(),
  inAudience: z.boolean(),
  decision: z.looseObject({ kind: z.enum(['send', 'skip']) }),
  gates: z.array(
    z.looseObject({ gate: z.string(), outcome: z.enum(['pass', 'fail', 'not-reached']), detail: z.string() }),
  ),
  channel: z.enum(['sms', 'email', 'push']),
  message: z.looseObject({ to: z.string(), text: z.string(), subject: z.string().optional() }).optional(),
  renderError: z.string().optional(),
  sms: z.looseObject({ encoding: z.enum(['GSM-7', 'UCS-2']), length: z.number(), parts: z.number() }).optional(),
});
export const RunQueued = z.strictObject({ runId: z.string(), occurrence: z.string() });
export const DeliveryPage = z.strictObject({
  total: z.number().int().min(0),
  limit: z.number().int(),
  offset: z.number().int(),
  deliveries: z.array(
    z.looseObject({ id: z.string(), campaignId: z.string(), userId: z.string(), state: z.enum(DELIVERY_STATES) }),
  ),
});

const DayRange = z.looseObject({ first: z.string(), last: z.string() });
export const CampaignReport = z.looseObject({ campaignId: z.string(), name: z.string(), generatedAt: Instant });
export const FunnelReport = z.looseObject({ range: DayRange, generatedAt: Instant, overall: z.looseObject({}) });
export const EngagementReport = z.looseObject({
  range: DayRange,
  generatedAt: Instant,
  pushDelivery: z.looseObject({ sent: z.number(), delivered: z.number() }),
});

export const InboxPage = z.strictObject({
  messages: z.array(
    z.looseObject({
      channel: z.enum(['sms', 'email', 'push']),
      deliveryId: z.string(),
      campaignId: z.string(),
      userId: z.string(),
      to: z.string(),
      text: z.string(),
      receivedAt: Instant,
    }),
  ),
});

const KeyView = z.looseObject({
  id: z.string(),
  role: z.enum(['ingest', 'viewer', 'operator', 'admin']),
  createdAt: Instant,
});
export const KeyList = z.strictObject({ keys: z.array(KeyView) });
export const KeyCreated = KeyView.extend({ key: z.string() });
export const AuditEntries = z.strictObject({ entries: z.array(z.looseObject({ action: z.string(), at: Instant })) });

export const ProviderReportAnswer = z.strictObject({
  recorded: z.number().int(),
  stale: z.number().int(),
  ignored: z.number().int(),
});

/** The OpenAPI document itself, as far as a client checks it. */
export const OpenApiDocument = z.looseObject({ openapi: z.string(), paths: z.looseObject({}) });
