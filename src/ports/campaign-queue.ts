/** One chunk of an occurrence's audience, planned by one job. */
export interface ChunkJob {
  runId: string;
  campaignId: string;
  occurrence: string;
  index: number;
  userIds: string[];
}

/** A triggered evaluation waiting for its time. */
export interface TriggerJob {
  campaignId: string;
  eventId: string;
  userId: string;
  type: string;
  /** The event's time, ISO. */
  at: string;
  amount?: number;
}

/** Where planning puts its work: Agenda jobs in a worker, run inline by `tideflow run`. */
export interface CampaignQueue {
  chunk(job: ChunkJob): Promise<void>;
  /** Evaluates the trigger at `dueAt` (or as soon as possible after). */
  trigger(job: TriggerJob, dueAt: Date): Promise<void>;
  /** Sends are due: run the outbox soon. */
  deliverSoon(): Promise<void>;
}
