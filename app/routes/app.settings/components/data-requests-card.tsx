import { BlockStack, Box, Button, Card, Collapsible, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation, type MessageKey } from "~/i18n";
import type { CustomerDataReportView } from "~/models/privacy.server";

/** A report with its date as the merchant reads it (the loader formats it). */
type DatedReport = CustomerDataReportView & { dateLabel: string };

/**
 * The customers/data_request reports Shopify asked for: what we hold on each customer, for the
 * merchant to send on to them.
 */
export function DataRequestsCard({ reports }: { reports: DatedReport[] }) {
  const { t } = useTranslation();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("dataRequests.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("dataRequests.help")}
        </Text>
        {reports.length === 0 ? (
          <Text as="p">{t("dataRequests.empty")}</Text>
        ) : (
          reports.map((report) => <DataRequest key={report.id} report={report} />)
        )}
      </BlockStack>
    </Card>
  );
}

function DataRequest({ report }: { report: DatedReport }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const who = report.customerEmail ?? t("dataRequests.unknownCustomer");
  return (
    <Box borderColor="border" borderWidth="025" borderRadius="200" padding="300">
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <BlockStack gap="050">
            <Text as="p" fontWeight="semibold" breakWord>
              {who}
            </Text>
            <Text as="p" tone="subdued">
              {t("dataRequests.summary", {
                date: report.dateLabel,
                count: report.parcels.length,
              })}
            </Text>
          </BlockStack>
          <Button
            onClick={() => setOpen(!open)}
            ariaExpanded={open}
            ariaControls={`data-request-${report.id}`}
          >
            {open ? t("dataRequests.hide") : t("dataRequests.show")}
          </Button>
        </InlineStack>
        <Collapsible id={`data-request-${report.id}`} open={open}>
          <BlockStack gap="200">
            {report.parcels.length === 0 ? (
              <Text as="p">{t("dataRequests.nothingHeld")}</Text>
            ) : (
              report.parcels.map((parcel) => (
                <Box
                  key={`${parcel.carrierCode}/${parcel.trackingNumber}`}
                  background="bg-surface-secondary"
                  padding="200"
                  borderRadius="100"
                >
                  <BlockStack gap="050">
                    <Text as="p" fontWeight="semibold" breakWord>
                      {parcel.trackingNumber} · {parcel.orderName ?? parcel.orderId}
                    </Text>
                    <Text as="p" breakWord>
                      {[parcel.customerName, parcel.customerEmail, parcel.customerPhone]
                        .filter(Boolean)
                        .join(" · ") || t("dataRequests.noContact")}
                    </Text>
                    <Text as="p" tone="subdued">
                      {t(`status.${parcel.status}` as MessageKey)}
                    </Text>
                  </BlockStack>
                </Box>
              ))
            )}
          </BlockStack>
        </Collapsible>
      </BlockStack>
    </Box>
  );
}
