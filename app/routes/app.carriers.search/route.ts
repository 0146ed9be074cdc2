import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { answerModelErrors } from "~/lib/admin-route.server";
import { resolveLocale } from "~/i18n";
import i18nextServer from "~/i18n/i18next.server";
import { searchCarriers } from "~/models/admin/carrier-search.server";
import { authenticate } from "~/shopify.server";

// The carrier picker's options (components/carrier-picker.tsx): the top matches for what the
// merchant typed, fetched as they type instead of sending every carrier with the page.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const query = new URL(request.url).searchParams.get("q") ?? "";
  const locale = resolveLocale(await i18nextServer.getLocale(request));
  return answerModelErrors(async () => {
    const carriers = await searchCarriers(session.shop, query, locale);
    return json({ ok: true as const, carriers }, { headers: { "cache-control": "private, no-store" } });
  });
};
