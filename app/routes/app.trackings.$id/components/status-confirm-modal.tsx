import { BlockStack, Modal, Text } from "@shopify/polaris";
import { useTranslation, type MessageKey } from "~/i18n";
import type { StatusWriteBack } from "~/models/admin/tracking-detail.server";

export type ManualStatusChoice = "delivered" | "exception";

/** The manual status code TrackingMore (and the change queue) takes for each choice. */
export const MANUAL_STATUS_CODE: Record<ManualStatusChoice, "4" | "7"> = { delivered: "4", exception: "7" };

/**
 * Asks before a manual status is set: besides TrackBridge and TrackingMore it goes to the Shopify
 * fulfillment, where Shopify may tell the customer, unless write-back is off or there is no
 * fulfillment; the modal says which.
 */
export function StatusConfirmModal({
  choice,
  writeBack,
  trackingNumber,
  busy,
  onConfirm,
  onClose,
}: {
  choice: ManualStatusChoice | null;
  writeBack: StatusWriteBack;
  trackingNumber: string;
  busy: boolean;
  onConfirm: (choice: ManualStatusChoice) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const toShopify = writeBack === "shopify";
  return (
    <Modal
      open={choice !== null}
      onClose={onClose}
      title={choice ? t(`detail.confirmStatus.${choice}.title` as MessageKey) : ""}
      primaryAction={{
        content: choice === "exception" ? t("bulk.markException") : t("bulk.markDelivered"),
        loading: busy,
        onAction: () => choice && onConfirm(choice),
      }}
      secondaryActions={[{ content: t("common.cancel"), onAction: onClose }]}
    >
      <Modal.Section>
        {choice && (
          <BlockStack gap="200">
            <Text as="p">
              {t(`detail.confirmStatus.${choice}.${toShopify ? "shopify" : "local"}` as MessageKey, {
                number: trackingNumber,
              })}
            </Text>
            {!toShopify && <Text as="p">{t(`detail.confirmStatus.${writeBack}` as MessageKey)}</Text>}
            <Text as="p" tone="subdued">
              {t(toShopify ? "detail.confirmStatus.undoShopify" : "detail.confirmStatus.undoLocal")}
            </Text>
          </BlockStack>
        )}
      </Modal.Section>
    </Modal>
  );
}
