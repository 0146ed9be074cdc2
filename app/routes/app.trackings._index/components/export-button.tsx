import { useSearchParams } from "@remix-run/react";
import { useCallback, useState } from "react";
import { useTranslation } from "~/i18n";

interface ShopifyGlobal {
  idToken?: () => Promise<string>;
}

/** A fresh session token from App Bridge; outside Shopify admin there is none to add. */
async function sessionToken(): Promise<string | null> {
  const shopify = (globalThis as { shopify?: ShopifyGlobal }).shopify;
  try {
    return typeof shopify?.idToken === "function" ? await shopify.idToken() : null;
  } catch {
    return null;
  }
}

/**
 * Exports the list's filters as CSV through an authenticated fetch and hands the file to the
 * browser as a download. A plain link would carry the page's session token in its URL, which
 * Shopify lets expire a minute after the page loaded.
 */
export function useCsvExport() {
  const { t } = useTranslation();
  const [searchParams] = useSearchParams();
  const [state, setState] = useState<"idle" | "loading" | "failed">("idle");

  const download = useCallback(async () => {
    const params = new URLSearchParams();
    // The list's own filters only: not Shopify's document parameters (id_token, host, …).
    for (const [key, value] of searchParams)
      if (
        ![
          "after",
          "before",
          "embedded",
          "host",
          "id_token",
          "session",
          "shop",
          "hmac",
          "timestamp",
          "locale",
        ].includes(key)
      )
        params.append(key, value);
    setState("loading");
    try {
      const token = await sessionToken();
      const response = await fetch(`/app/trackings/export.csv?${params.toString()}`, {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
      });
      if (!response.ok) throw new Error(`export answered ${response.status}`);
      const blob = await response.blob();
      const name =
        /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "trackings.csv";
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState("idle");
    } catch {
      setState("failed");
    }
  }, [searchParams]);

  return {
    action: {
      content: t("trackings.exportCsv"),
      loading: state === "loading",
      onAction: () => void download(),
    },
    failed: state === "failed",
    dismiss: () => setState("idle"),
  };
}
