// The ticket's time in force: the durations the broker advertises, GTD with a date. Pure logic.
import type { Duration, DurationType } from "./model";

export const DURATION_LABELS: Record<DurationType, string> = {
  DAY: "Day (until 00:00 UTC)",
  GTC: "Good till cancelled",
  IOC: "Immediate or cancel",
  FOK: "Fill or kill",
  GTD: "Good till date",
};

/** The request's duration, or an error text: GTD needs a time in the future (`gtd` from a datetime-local input, read as UTC). */
export function readDuration(type: DurationType | "", gtd: string, now: number): Duration | null | string {
  if (type === "") return null;
  if (type !== "GTD") return { type, datetime: null };
  if (!gtd) return "Good till date: choose a date and time";
  const ms = Date.parse(gtd.length === 16 ? `${gtd}:00Z` : `${gtd}Z`);
  if (!Number.isFinite(ms)) return "Good till date: not a date";
  if (ms <= now) return "Good till date: the time is past";
  return { type, datetime: ms };
}

/** IOC and FOK are refused on stop orders by the server (422); the ticket does not offer them there. */
export function durationAllowed(type: DurationType, orderType: string): boolean {
  return !((type === "IOC" || type === "FOK") && (orderType === "stop" || orderType === "stop-limit"));
}
