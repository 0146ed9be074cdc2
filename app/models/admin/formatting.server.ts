import { createFormatters, type Formatters } from "~/i18n/format";
import i18nextServer from "~/i18n/i18next.server";
import { resolveLocale } from "~/i18n";
import { loadCarrierNamer } from "~/models/carriers/carriers.server";
import { shopTimeZone } from "~/models/shop.server";

export interface AdminFormatters extends Formatters {
  /** A TrackingMore carrier code as the carrier's name (the code itself when no list knows it). */
  carrier(code: string): string;
}

/**
 * The merchant's language (as the root loader chose it) and the shop's time zone, as formatters;
 * carriers by the names the shop's carrier list gives them, never by TrackingMore's codes.
 */
export async function adminFormatters(request: Request, shop: string): Promise<AdminFormatters> {
  const [requested, timeZone] = await Promise.all([i18nextServer.getLocale(request), shopTimeZone(shop)]);
  const locale = resolveLocale(requested);
  return { ...createFormatters(locale, timeZone), carrier: await loadCarrierNamer(shop, locale) };
}
