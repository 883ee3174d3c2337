/**
 * The order of a user's choices about being contacted: consent per channel, suppression entries
 * and push-topic opt-outs. Each choice is stamped with when it was made; the stored one is
 * replaced only by a later one, so a nightly re-sync carrying an old consent can never undo an
 * opt-out made since. At the same instant a withdrawal outranks a grant: an opt-out by the user
 * (an SMS reply, a link, an unsubscribe header) is never undone by a bulk source (signup, import,
 * the API) stamped with the same time. An equal change leaves the stored one (and its evidence).
 */

/** A choice as the order sees it: given or withdrawn, and when. */
export interface StampedChoice {
  granted: boolean;
  at: Date;
}

/**
 * The stored choices `incoming` replaces, in the form a store states as a conditional update so
 * that a concurrent write cannot slip past the rule: none stored, one made before `before`, or
 * (for a withdrawal) a grant made at `grantAt`.
 */
export interface Superseded {
  before: Date;
  grantAt?: Date;
}

export function superseded(incoming: StampedChoice): Superseded {
  return incoming.granted ? { before: incoming.at } : { before: incoming.at, grantAt: incoming.at };
}

/** Whether `incoming` replaces `stored`: the one rule, in the form `superseded` gives the stores. */
export function supersedes(incoming: StampedChoice, stored: StampedChoice | undefined): boolean {
  if (!stored) return true;
  const s = superseded(incoming);
  const at = stored.at.getTime();
  return at < s.before.getTime() || (s.grantAt !== undefined && stored.granted && at === s.grantAt.getTime());
}
