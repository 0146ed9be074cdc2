import { createFormatters, type Formatters } from "~/i18n/format";
import i18nextServer from "~/i18n/i18next.server";
import { resolveLocale } from "~/i18n";
import { shopTimeZone } from "~/models/shop.server";

/** The merchant's language (as the root loader chose it) and the shop's time zone, as formatters. */
export async function adminFormatters(request: Request, shop: string): Promise<Formatters> {
  const [locale, timeZone] = await Promise.all([i18nextServer.getLocale(request), shopTimeZone(shop)]);
  return createFormatters(resolveLocale(locale), timeZone);
}
