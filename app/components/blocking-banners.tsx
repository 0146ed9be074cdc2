import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack } from "@shopify/polaris";
import { useEffect } from "react";
import { useTranslation, type MessageKey } from "~/i18n";
import { mergeBlockingStates, type BlockingState } from "~/models/admin/blocking-states";

export interface AccountStatus {
  quotaRemaining: number | null;
  /** The quota as the merchant reads numbers, formatted on the server. */
  quotaLabel: string | null;
  blocking: BlockingState[];
}

/**
 * The page's blocking states: what the loader found in our database at once, plus TrackingMore's
 * answer (quota, reachability) fetched after the page rendered.
 */
export function useBlockingStates(local: BlockingState[]) {
  const fetcher = useFetcher<AccountStatus>();
  const { load } = fetcher;
  useEffect(() => {
    load("/app/account-status");
  }, [load]);
  const account = fetcher.data ?? null;
  return {
    states: mergeBlockingStates(local, account?.blocking ?? []),
    account,
    checking: fetcher.state !== "idle" || !fetcher.data,
    recheck: () => load("/app/account-status"),
  };
}

const TRACKINGMORE_BILLING = "https://my.trackingmore.com/";

/** One critical banner per blocking state, each saying what to do. */
export function BlockingBanners({ states, onRetry }: { states: BlockingState[]; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (states.length === 0) return null;
  return (
    <BlockStack gap="300">
      {states.map((state) => {
        const words = (part: "title" | "body" | "action") =>
          t(
            `blocking.${state.kind}.${part}` as MessageKey,
            state.kind === "dead_letters" ? { count: state.count } : {},
          );
        const action =
          state.kind === "no_api_key" || state.kind === "api_key_rejected"
            ? { content: words("action"), url: "/app/settings" }
            : state.kind === "quota_exhausted"
              ? { content: words("action"), url: TRACKINGMORE_BILLING, target: "_blank" as const }
              : state.kind === "trackingmore_unreachable"
                ? { content: words("action"), onAction: onRetry }
                : { content: words("action"), url: state.href ?? "/app/trackings?view=attention" };
        return (
          <Banner key={state.kind} tone="critical" title={words("title")} action={action}>
            <p>{words("body")}</p>
          </Banner>
        );
      })}
    </BlockStack>
  );
}
