// TrackingMore's `lastEvent` is one string, "description,location,time" (time as
// "YYYY-MM-DD HH:mm:ss" in the carrier's zone). The description itself may hold commas, so the
// parts are taken from the end.

export interface ParsedEvent {
  description: string;
  location: string | null;
  /** As the carrier wrote it (no zone), or null. */
  time: string | null;
}

const CARRIER_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/;

export function parseLastEvent(raw: string | null | undefined): ParsedEvent | null {
  const text = raw?.trim();
  if (!text) return null;
  const parts = text.split(",");
  if (parts.length >= 3 && CARRIER_TIME.test(parts[parts.length - 1].trim())) {
    const time = parts.pop()!.trim();
    const location = parts.pop()!.trim();
    return { description: parts.join(",").trim(), location: location || null, time };
  }
  return { description: text, location: null, time: null };
}
