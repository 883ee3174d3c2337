import type { Channel } from '../domain/profile.js';
import { simulateCampaign, type SimulateOptions, type SimulatePorts } from './simulate-campaign.js';
import type { Simulation } from './simulate-campaign.js';

/** A dry run, with the channels it assumed. */
export interface AssumingSimulation extends Simulation {
  /** Channels the campaign lists that no provider is configured for: assumed, as if they were. */
  assumedChannels: Channel[];
}

/**
 * The dry run needs no provider: each channel the campaign lists and none is configured for is
 * assumed (a real run would not send on it), and the answer says which.
 */
export async function simulateAssuming(
  ports: SimulatePorts,
  campaignId: string,
  opts: SimulateOptions = {},
): Promise<AssumingSimulation> {
  const campaign = await ports.campaigns.get(campaignId);
  const assumed = campaign.channels.filter((ch) => !ports.channels.includes(ch));
  const simulation = await simulateCampaign({ ...ports, channels: [...ports.channels, ...assumed] }, campaignId, opts);
  return { ...simulation, assumedChannels: assumed };
}
