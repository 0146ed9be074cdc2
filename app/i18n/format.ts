import type { Locale } from "./config";

// Dates and numbers are formatted on the server, in the shop's time zone and the merchant's
// language, and sent as text: the browser's own locale and time zone never enter the render, so
// what the server rendered is what hydration finds.

export interface Formatters {
  locale: Locale;
  timeZone: string;
  date(value: Date | string | null | undefined): string;
  dateTime(value: Date | string | null | undefined): string;
  number(value: number): string;
}

/** A time zone Intl knows, else UTC (a shop's stored zone may be missing or unknown to ICU). */
export function knownTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

export function createFormatters(locale: Locale, timeZone: string | null | undefined): Formatters {
  const zone = knownTimeZone(timeZone);
  const date = new Intl.DateTimeFormat(locale, { timeZone: zone, dateStyle: "medium" });
  const dateTime = new Intl.DateTimeFormat(locale, {
    timeZone: zone,
    dateStyle: "medium",
    timeStyle: "short",
  });
  const number = new Intl.NumberFormat(locale);
  const asDate = (value: Date | string | null | undefined) => {
    if (!value) return null;
    const d = value instanceof Date ? value : new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  };
  return {
    locale,
    timeZone: zone,
    date: (value) => {
      const d = asDate(value);
      return d ? date.format(d) : "";
    },
    dateTime: (value) => {
      const d = asDate(value);
      return d ? dateTime.format(d) : "";
    },
    number: (value) => number.format(value),
  };
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function dayInZone(value: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: knownTimeZone(timeZone) }).format(value);
}
