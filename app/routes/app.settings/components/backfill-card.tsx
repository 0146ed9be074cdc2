import { useFetcher, useRevalidator } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  InlineStack,
  ProgressBar,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation, type MessageKey } from "~/i18n";
import type { BackfillEstimate } from "~/pipeline/backfill/backfill.server";

interface Job {
  state: string;
  from: string;
  to: string;
  ordersSeen: number;
  ordersEstimated: number;
  trackingsAdded: number;
  retrying: boolean;
  finishingPage: boolean;
}

type EstimateResponse =
  { ok: true; estimate: BackfillEstimate } | { ok: false; fieldErrors: Record<string, string> };

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** Import past fulfilled orders: estimate first, then confirm, then watch it run. */
export function BackfillCard({ job }: { job: Job | null }) {
  const { t } = useTranslation();
  const estimator = useFetcher<EstimateResponse>();
  const starter = useFetcher<{ ok: boolean; fieldErrors?: Record<string, string> }>();
  const canceller = useFetcher<{ ok: boolean }>();
  const revalidator = useRevalidator();
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 30 * 86_400_000)));
  const [to, setTo] = useState(() => isoDay(new Date()));
  const running = job !== null && (job.state === "queued" || job.state === "running");

  // The job runs in the background; the page asks for its progress while it does (and, once
  // cancelled, until the page it was on is counted).
  const watching = running || job?.finishingPage === true;
  useEffect(() => {
    if (!watching) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1_500);
    return () => clearInterval(timer);
  }, [watching, revalidator]);

  const estimate = estimator.data?.ok ? estimator.data.estimate : null;
  const errors = {
    ...(estimator.data && !estimator.data.ok ? estimator.data.fieldErrors : {}),
    ...(starter.data && !starter.data.ok ? (starter.data.fieldErrors ?? {}) : {}),
  };
  const error = (field: string) => (errors[field] ? t(`errors.${errors[field]}` as MessageKey) : undefined);
  const started = starter.data?.ok === true;
  const progress =
    job && job.ordersEstimated > 0
      ? Math.min(100, Math.round((job.ordersSeen / job.ordersEstimated) * 100))
      : 0;

  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("backfill.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("backfill.help")}
        </Text>
        {job && (
          <BlockStack gap="200">
            <Text as="p">
              {t(`backfill.state.${job.state}` as MessageKey, {
                from: job.from,
                to: job.to,
                orders: job.ordersSeen,
                added: job.trackingsAdded,
              })}
            </Text>
            {(running || job.state === "done") && (
              <ProgressBar
                progress={job.state === "done" ? 100 : progress}
                tone={job.state === "done" ? "success" : "highlight"}
                ariaLabelledBy="backfill-progress"
              />
            )}
            <span id="backfill-progress" hidden>
              {t("backfill.progressLabel")}
            </span>
            {running && (
              <InlineStack>
                <Button
                  tone="critical"
                  loading={canceller.state !== "idle"}
                  onClick={() => canceller.submit({ intent: "cancelBackfill" }, { method: "post" })}
                >
                  {t("backfill.cancel")}
                </Button>
              </InlineStack>
            )}
            {job.retrying && job.state !== "cancelled" && (
              <Banner tone="warning">
                {t(job.state === "failed" ? "backfill.failed" : "backfill.retrying")}
              </Banner>
            )}
          </BlockStack>
        )}
        {!running && (
          <>
            <InlineStack gap="200" blockAlign="end">
              <TextField
                label={t("backfill.from")}
                type="date"
                autoComplete="off"
                value={from}
                onChange={setFrom}
                error={error("from")}
              />
              <TextField
                label={t("backfill.to")}
                type="date"
                autoComplete="off"
                value={to}
                onChange={setTo}
                error={error("to")}
              />
              <Button
                loading={estimator.state !== "idle"}
                onClick={() => estimator.submit({ intent: "estimateBackfill", from, to }, { method: "post" })}
              >
                {t("backfill.estimate")}
              </Button>
            </InlineStack>
            {estimate && !started && (
              <Banner
                tone={
                  estimate.remainingQuota !== null && estimate.newTrackings > estimate.remainingQuota
                    ? "warning"
                    : "info"
                }
                title={t(estimate.truncated ? "backfill.estimateTruncated" : "backfill.estimateTitle", {
                  orders: estimate.orders,
                  trackings: estimate.newTrackings,
                })}
                action={{
                  content: t("backfill.start"),
                  loading: starter.state !== "idle",
                  onAction: () =>
                    starter.submit(
                      {
                        intent: "startBackfill",
                        from: estimate.from,
                        to: estimate.to,
                        ordersEstimated: String(estimate.orders),
                      },
                      { method: "post" },
                    ),
                }}
              >
                <Text as="p">
                  {estimate.remainingQuota === null
                    ? t("backfill.quotaUnknown", { needed: estimate.newTrackings })
                    : t("backfill.quota", {
                        needed: estimate.newTrackings,
                        remaining: estimate.remainingQuota,
                      })}
                </Text>
                {error("backfill") && <Text as="p">{error("backfill")}</Text>}
              </Banner>
            )}
          </>
        )}
      </BlockStack>
    </Card>
  );
}
