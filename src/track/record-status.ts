import {
  isDelivered,
  outcomeEventId,
  statusEvent,
  statusRank,
  type OutcomeEventType,
} from '../domain/report-outcome.js';
import { ingest, type IngestPorts } from '../ingest/ingest.js';
import { readTrackedLink, type LinkSigner } from './signed-links.js';
import type { Channel } from '../domain/profile.js';
import type { OutcomeStore, TrackedDelivery } from '../ports/outcome-store.js';
import type { Clock } from '../ports/clock.js';
import type { ProfileStore } from '../ports/profile-store.js';

/**
 * The track verb: provider reports and clicks update the delivery and re-enter as ordinary
 * events (deterministic ids: a replayed callback or a second click on a link adds nothing).
 * Unsubscribes are in track-unsubscribe.ts.
 */

/** A provider's report on one message. */
export interface StatusReport {
  deliveryId: string;
  /** The provider's message id; a report naming another message than the delivery's is ignored. */
  providerId?: string | undefined;
  status: string;
}

export type StatusOutcome =
  /** The status moved forward (or repeated the stored one): recorded. */
  | 'recorded'
  /** An earlier or competing status after a later one: nothing changed. */
  | 'stale'
  /** No such delivery, another message, or a status Tideflow does not know: nothing changed. */
  | 'ignored';

/** Records a provider status report; final statuses become `message_delivered` / `message_failed`. */
export async function recordStatus(ports: TrackPorts, r: StatusReport): Promise<StatusOutcome> {
  const rank = statusRank(r.status);
  const d = await ports.outcomes.delivery(r.deliveryId);
  if (rank === undefined || !d || (r.providerId && d.providerId && r.providerId !== d.providerId)) return 'ignored';
  const now = ports.clock();
  const status = r.status.toLowerCase();
  // The provider has the message: an `unknown` send (no answer, interrupted sender) did go out.
  if (d.state === 'unknown' && isDelivered(status)) await ports.outcomes.confirmSent(d._id, now, r.providerId);
  const stored = await ports.outcomes.advanceStatus(d._id, status, rank, now);
  if (stored !== status) return 'stale';
  // Ingested on a repeat too: a crash between the update and the ingest is healed by the retry.
  const type = statusEvent(status);
  if (type) await emit(ports, d, type, outcomeEventId(type, d._id), now, { status });
  return 'recorded';
}

/**
 * Follows a tracked link: returns the URL it was signed for (the only place it may redirect to)
 * and records the click, or undefined for a token that is not Tideflow's.
 */
export async function followLink(ports: TrackPorts, token: string): Promise<string | undefined> {
  const link = ports.signer ? readTrackedLink(ports.signer, token) : undefined;
  if (!link) return undefined;
  const d = await ports.outcomes.delivery(link.deliveryId);
  if (!d) return link.url;
  const now = ports.clock();
  await ports.outcomes.recordClick(d._id, now);
  // One event per delivery and link: the first click.
  await emit(ports, d, 'message_clicked', outcomeEventId('message_clicked', d._id, link.url), now, {
    url: link.url.slice(0, 1024),
  });
  return link.url;
}

/** Ingests one outcome event for the delivery's user. */
export async function emit(
  ports: Pick<TrackPorts, 'ingest'>,
  d: TrackedDelivery,
  type: OutcomeEventType,
  id: string,
  at: Date,
  props: Record<string, string> = {},
): Promise<void> {
  await ingest(ports.ingest, [
    {
      id,
      userId: d.userId,
      type,
      ts: at.toISOString(),
      props: { campaign: d.campaignId, delivery: d._id, ...(d.channel ? { channel: d.channel } : {}), ...props },
    },
  ]);
}

/** What the track verbs need. */
export interface TrackPorts {
  outcomes: OutcomeStore;
  /** Outcomes re-enter as ordinary events. */
  ingest: IngestPorts;
  profiles: Pick<ProfileStore, 'get' | 'update'>;
  clock: Clock;
  /** Signs and checks links; undefined when no link secret is configured (links are refused). */
  signer: LinkSigner | undefined;
  /** Secrets of the email and push delivery-report webhooks; a channel without one is refused. */
  providerSecrets?: Partial<Record<Channel, string>>;
}
