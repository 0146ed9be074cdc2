import { Link as RemixLink } from "@remix-run/react";
import { BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import { useTranslation } from "~/i18n";
import type { AttentionCounts, DigestDay, DigestParcel } from "~/models/delivery-promise/attention.server";

/**
 * Late parcels, a link to their list view, and to the carrier analytics. (Stalled parcels are
 * counted in the "needs your attention" card, with the shop's own number of days.)
 */
export function DeliveryCard({ delivery }: { delivery: AttentionCounts }) {
  const { t } = useTranslation();
  const rows = [
    { label: t("dashboard.delivery.late"), value: delivery.late, href: "/app/trackings?view=late" },
  ];
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("dashboard.delivery.title")}
        </Text>
        {rows.map((row) => (
          <InlineStack key={row.href} align="space-between" wrap={false} gap="200">
            <RemixLink to={row.href}>{row.label}</RemixLink>
            <Text as="span" fontWeight="semibold" tone={row.value > 0 ? "critical" : "subdued"}>
              {row.value >= delivery.cap ? `${delivery.cap}+` : row.value}
            </Text>
          </InlineStack>
        ))}
        <RemixLink to="/app/analytics">{t("dashboard.delivery.performance")}</RemixLink>
      </BlockStack>
    </Card>
  );
}

/** The daily digest: per day of the last week, the parcels that became late or stalled that day. */
/** A digest day as the page shows it: its date in the merchant's words, carriers by name. */
type NamedDigestDay = Omit<DigestDay, "parcels"> & {
  label: string;
  parcels: (DigestParcel & { carrierName: string })[];
};

export function DigestCard({ digest }: { digest: NamedDigestDay[] }) {
  const { t } = useTranslation();
  const days = digest.filter((d) => d.parcels.length > 0);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("dashboard.digest.title")}
        </Text>
        {days.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("dashboard.digest.empty")}
          </Text>
        ) : (
          days.map((day) => (
            <BlockStack key={day.day} gap="100">
              <Text as="h3" variant="headingSm">
                {t("dashboard.digest.day", { day: day.label, count: day.parcels.length })}
              </Text>
              <ul style={{ margin: 0, paddingLeft: "1.2em" }}>
                {day.parcels.slice(0, 10).map((p) => (
                  <li key={`${p.reason}-${p.id}`}>
                    <RemixLink to={`/app/trackings/${p.id}`}>{p.trackingNumber}</RemixLink>{" "}
                    <Text as="span" tone="subdued" variant="bodySm">
                      {[
                        p.orderName,
                        p.carrierName,
                        t(p.reason === "late" ? "dashboard.digest.late" : "dashboard.digest.stalled"),
                      ]
                        .filter(Boolean)
                        .join(" · ")}
                    </Text>
                  </li>
                ))}
              </ul>
            </BlockStack>
          ))
        )}
      </BlockStack>
    </Card>
  );
}
