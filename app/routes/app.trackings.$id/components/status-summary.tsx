import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { useTranslation, type MessageKey } from "~/i18n";
import { StatusBadge } from "../../app.trackings._index/components/badges";

export interface SummaryData {
  status: string;
  substatus: string | null;
  latest: { description: string; location: string | null; timeLabel: string } | null;
  daysInTransit: number;
  estimatedDeliveryLabel: string | null;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="bodySm" tone="subdued">
        {label}
      </Text>
      {children}
    </BlockStack>
  );
}

/** What a merchant needs to act on a parcel, before the timeline and the fields. */
export function StatusSummary({ summary }: { summary: SummaryData }) {
  const { t } = useTranslation();
  const substatusKey = `substatus.${summary.substatus}`;
  // i18next answers the key itself for a code we have no words for; then only the status shows.
  const substatus = summary.substatus ? t(substatusKey as MessageKey) : null;
  return (
    <Card>
      <section aria-label={t("detail.summary.title")}>
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            {t("detail.summary.title")}
          </Text>
          <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
            <Fact label={t("detail.summary.status")}>
              <BlockStack gap="100" inlineAlign="start">
                <StatusBadge status={summary.status} />
                {substatus && substatus !== substatusKey && <Text as="p">{substatus}</Text>}
              </BlockStack>
            </Fact>
            <Fact label={t("detail.summary.daysInTransit")}>
              <Text as="p">{t("detail.summary.days", { count: summary.daysInTransit })}</Text>
            </Fact>
            <Fact label={t("detail.summary.lastEvent")}>
              {summary.latest ? (
                <BlockStack gap="050">
                  <Text as="p" fontWeight="semibold">
                    {summary.latest.description}
                  </Text>
                  <Text as="p" variant="bodySm" tone="subdued">
                    {[summary.latest.location, summary.latest.timeLabel].filter(Boolean).join(" · ")}
                  </Text>
                </BlockStack>
              ) : (
                <Text as="p" tone="subdued">
                  {t("detail.summary.noEvent")}
                </Text>
              )}
            </Fact>
            {summary.estimatedDeliveryLabel && (
              <Fact label={t("detail.summary.estimatedDelivery")}>
                <Text as="p">{summary.estimatedDeliveryLabel}</Text>
              </Fact>
            )}
          </InlineGrid>
        </BlockStack>
      </section>
    </Card>
  );
}
