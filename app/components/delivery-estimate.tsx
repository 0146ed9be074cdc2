import { Badge, BlockStack, Text } from "@shopify/polaris";
import { useTranslation, type MessageKey } from "~/i18n";
import { formatEstimateRange, type DeliveryEstimate } from "~/models/delivery-promise/view";

// The estimate as the merchant sees it, in the list (compact) and on the parcel's page (with
// what it rests on). Shared by both admin screens, so the words are the same on each.

export function EstimateCell({ estimate }: { estimate: DeliveryEstimate | null }) {
  const { t, locale } = useTranslation();
  if (!estimate) return null;
  if (estimate.state === "late") return <Badge tone="warning">{t("estimate.late")}</Badge>;
  return (
    <Text as="span" numeric>
      {formatEstimateRange(estimate, locale)}
    </Text>
  );
}

/** UPS, DHL, FedEx or TNT deliver to this postcode as a remote area: later, and often dearer. */
export function RemoteAreaBadge({ remote }: { remote: boolean | null | undefined }) {
  const { t } = useTranslation();
  return remote ? <Badge tone="attention">{t("remote.badge")}</Badge> : null;
}

export function EstimateDetail({ estimate }: { estimate: DeliveryEstimate }) {
  const { t, locale } = useTranslation();
  return (
    <BlockStack gap="100">
      {estimate.state === "late" ? (
        <InlineLate />
      ) : (
        <Text as="p" variant="headingLg">
          {formatEstimateRange(estimate, locale)}
        </Text>
      )}
      <Text as="p" tone="subdued">
        {estimate.state === "late"
          ? t("estimate.lateDetail", { range: formatEstimateRange(estimate, locale) })
          : t("estimate.confidence", { percent: estimate.confidence })}
      </Text>
      <Text as="p" variant="bodySm" tone="subdued">
        {t(`estimate.source.${estimate.source}` as MessageKey, {
          carrier: estimate.carrierDeliveries,
          shop: estimate.shopDeliveries,
        })}
      </Text>
    </BlockStack>
  );
}

function InlineLate() {
  const { t } = useTranslation();
  return (
    <div>
      <Badge tone="warning">{t("estimate.late")}</Badge>
    </div>
  );
}
