import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link as RemixLink, useLoaderData } from "@remix-run/react";
import {
  BlockStack,
  Card,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  SkeletonDisplayText,
  Text,
} from "@shopify/polaris";
import type { ReactNode } from "react";
import { BlockingBanners, useBlockingStates } from "~/components/blocking-banners";
import { PeriodSelect } from "~/components/period-select";
import { localBlockingStates, trackingMoreWebhookUrl } from "~/models/admin/blocking-states.server";
import { getDashboard } from "~/models/admin/dashboard.server";
import {
  DEAD_LETTER_STAGES,
  retryDeadLetters,
  type DeadLetterStage,
} from "~/pipeline/queue/dead-letters.server";
import { ATTENTION_LINKS } from "~/models/admin/list-filters";
import { DASHBOARD_PERIODS, parsePeriod } from "~/models/periods";
import { createFormatters } from "~/i18n/format";
import { adminFormatters } from "~/models/admin/formatting.server";
import { useTranslation, type MessageKey } from "~/i18n";
import { authenticate } from "~/shopify.server";
import { BarChart, CategoryBars } from "./components/bar-chart";
import { DeadLettersCard } from "./components/dead-letters-card";
import { DeliveryCard, DigestCard } from "./components/delivery-card";
import { SetupGuide } from "./components/setup-guide";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const period = parsePeriod(new URL(request.url).searchParams.get("period"), DASHBOARD_PERIODS);
  const [dashboard, format] = await Promise.all([
    getDashboard(session.shop, { period }),
    adminFormatters(request, session.shop),
  ]);
  // The dashboard has read the key's presence and counted the dead letters already.
  const blocking = await localBlockingStates(session.shop, {
    hasApiKey: dashboard.hasApiKey,
    deadLetters: dashboard.deadLetters.total,
  });
  // The chart's days are UTC calendar days (see createdPerDay); their labels say them the
  // merchant's way.
  const dayFormat = createFormatters(format.locale, "UTC");
  const dayLabels = dashboard.createdPerDay.map((d) => dayFormat.date(`${d.day}T00:00:00Z`));
  // Each digest day labelled the merchant's way, each parcel's carrier by name.
  const digest = dashboard.digest.map((day) => ({
    ...day,
    label: dayFormat.date(`${day.day}T00:00:00Z`),
    parcels: day.parcels.map((p) => ({
      ...p,
      carrierName: p.carrierCode ? format.carrier(p.carrierCode) : "",
    })),
  }));
  return json({
    dashboard: { ...dashboard, digest },
    dayLabels,
    blocking,
    totalLabel: format.number(dashboard.total),
    webhookUrl: trackingMoreWebhookUrl(),
  });
};

/** Retry what the pipeline gave up on: all of the shop's, or one item. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "retry-dead-letters") return json({ retried: 0 }, { status: 400 });
  const stage = String(form.get("stage") ?? "");
  const id = String(form.get("id") ?? "");
  const retried = await retryDeadLetters(session.shop, {
    stage: (DEAD_LETTER_STAGES as readonly string[]).includes(stage) ? (stage as DeadLetterStage) : undefined,
    ids: id ? [id] : undefined,
  });
  return json({ retried });
};

function StatCard({ title, value, note }: { title: string; value: ReactNode; note?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h2" variant="headingSm" tone="subdued">
          {title}
        </Text>
        {/* A skeleton is a <div>: inside a <p> the browser's parser would move it out, and the
            page would no longer hydrate. */}
        {typeof value === "string" || typeof value === "number" ? (
          <Text as="p" variant="heading2xl">
            {value}
          </Text>
        ) : (
          value
        )}
        {note && (
          <Text as="p" tone="subdued" variant="bodySm">
            {note}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

export default function Dashboard() {
  const { dashboard, dayLabels, blocking, totalLabel, webhookUrl } = useLoaderData<typeof loader>();
  // Counts stop at the cap (the model's COUNT_CAP): one equal to it means "at least".
  const attentionLabel = (count: number) =>
    count >= dashboard.delivery.cap ? `${dashboard.delivery.cap}+` : String(count);
  const { t } = useTranslation();
  const { states, account, checking, recheck } = useBlockingStates(blocking);

  const firstRun = !dashboard.hasApiKey || !dashboard.hasTrackings;
  return (
    <Page title={t("dashboard.title")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <BlockingBanners states={states} onRetry={recheck} />
            <DeadLettersCard total={dashboard.deadLetters.total} recent={dashboard.deadLetters.recent} />
            {firstRun && (
              <SetupGuide
                hasApiKey={dashboard.hasApiKey}
                hasTrackings={dashboard.hasTrackings}
                webhookUrl={webhookUrl}
              />
            )}
            <PeriodSelect periods={DASHBOARD_PERIODS} value={dashboard.period} />
            <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
              <StatCard
                title={t("dashboard.total")}
                value={totalLabel}
                note={t("period.lastDays", { count: dashboard.period })}
              />
              <StatCard
                title={t("dashboard.quota")}
                value={
                  checking && dashboard.hasApiKey ? (
                    <SkeletonDisplayText size="large" />
                  ) : (
                    (account?.quotaLabel ?? "—")
                  )
                }
                note={
                  checking || account?.quotaLabel
                    ? undefined
                    : dashboard.hasApiKey
                      ? t("dashboard.quotaUnavailable")
                      : t("dashboard.quotaNoKey")
                }
              />
              <StatCard
                title={t("dashboard.pendingSync")}
                value={attentionLabel(dashboard.attention.pendingSync)}
              />
            </InlineGrid>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("dashboard.byStatus")}
                </Text>
                <CategoryBars
                  title={t("dashboard.byStatus")}
                  bars={dashboard.byStatus.map((s) => ({
                    label: t(`status.${s.status}` as MessageKey),
                    value: s.count,
                    // The trackings the bar counts: of the status, archived or not, created in
                    // the period.
                    href: `/app/trackings?status=${s.status}&archived=any&from=${dashboard.periodStart}`,
                  }))}
                />
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("dashboard.perDay")}
                </Text>
                <BarChart
                  title={t("dashboard.perDay")}
                  color="var(--p-color-bg-fill-success)"
                  bars={dashboard.createdPerDay.map((d, i) => ({ label: dayLabels[i], value: d.count }))}
                />
                <InlineStack align="space-between">
                  <Text as="span" variant="bodySm" tone="subdued">
                    {dayLabels[0]}
                  </Text>
                  <Text as="span" variant="bodySm" tone="subdued">
                    {dayLabels[dayLabels.length - 1]}
                  </Text>
                </InlineStack>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <DeliveryCard delivery={dashboard.delivery} />
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("dashboard.attention")}
                </Text>
                {ATTENTION_LINKS.map(({ key, search }) => (
                  <InlineStack key={key} align="space-between">
                    <RemixLink to={`/app/trackings?${search}`}>
                      {t(`dashboard.attention.${key}` as MessageKey)}
                    </RemixLink>
                    <Text
                      as="span"
                      fontWeight="semibold"
                      tone={dashboard.attention[key] > 0 ? "critical" : "subdued"}
                    >
                      {attentionLabel(dashboard.attention[key])}
                    </Text>
                  </InlineStack>
                ))}
              </BlockStack>
            </Card>
            <DigestCard digest={dashboard.digest} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
