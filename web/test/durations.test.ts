import { describe, expect, it } from "vitest";
import { durationAllowed, durationText, readDuration } from "../src/durations";

describe("ticket durations", () => {
  const now = Date.parse("2026-12-02T12:00:00Z");

  it("no choice = no duration (the server's GTC); DAY/GTC/IOC/FOK carry no date", () => {
    expect(readDuration("", "", now)).toBeNull();
    expect(readDuration("DAY", "2027-01-01T00:00", now)).toEqual({ type: "DAY", datetime: null });
    expect(readDuration("FOK", "", now)).toEqual({ type: "FOK", datetime: null });
  });

  it("GTD needs a future UTC date", () => {
    expect(readDuration("GTD", "2026-12-03T09:30", now)).toEqual({ type: "GTD", datetime: Date.parse("2026-12-03T09:30:00Z") });
    expect(readDuration("GTD", "", now)).toBe("Good till date: choose a date and time");
    expect(readDuration("GTD", "2026-12-01T09:30", now)).toBe("Good till date: the time is past");
  });

  it("IOC and FOK are not offered on stop orders", () => {
    expect(durationAllowed("IOC", "stop")).toBe(false);
    expect(durationAllowed("FOK", "stop-limit")).toBe(false);
    expect(durationAllowed("IOC", "limit")).toBe(true);
    expect(durationAllowed("DAY", "stop")).toBe(true);
  });

  it("shows an order's duration: the type, GTD with its UTC time (seconds only when not :00)", () => {
    expect(durationText(null)).toBe("");
    expect(durationText(undefined)).toBe("");
    expect(durationText({ type: "DAY", datetime: null })).toBe("DAY");
    expect(durationText({ type: "GTD", datetime: Date.parse("2026-12-05T12:30:00Z") })).toBe("GTD 2026-12-05 12:30");
    expect(durationText({ type: "GTD", datetime: Date.parse("2026-12-05T12:30:15Z") })).toBe("GTD 2026-12-05 12:30:15");
  });
});
