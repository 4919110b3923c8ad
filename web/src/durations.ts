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

/** An order's time in force as the orders table shows it: "DAY", "GTD 2026-12-05 12:30" (UTC; the seconds when not :00). */
export function durationText(d: Duration | null | undefined): string {
  if (!d) return "";
  if (d.datetime === null) return d.type;
  const at = new Date(d.datetime).toISOString().replace("T", " ").slice(0, 19);
  return `${d.type} ${at.endsWith(":00") ? at.slice(0, 16) : at}`;
}
