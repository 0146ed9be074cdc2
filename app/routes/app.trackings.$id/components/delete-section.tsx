import { BlockStack, Box, Button, Card, InlineStack, Modal, Text } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "~/i18n";

/**
 * Deleting, at the bottom of the page and away from everyday actions (as Shopify admin places
 * "Delete product"), and only after a confirmation that says it cannot be undone.
 */
export function DeleteSection({
  trackingNumber,
  busy,
  onDelete,
}: {
  trackingNumber: string;
  busy: boolean;
  onDelete: () => void;
}) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  return (
    <Box paddingBlockEnd="800">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("detail.deleteSection.title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("detail.deleteSection.body")}
          </Text>
          <InlineStack align="start">
            <Button tone="critical" onClick={() => setConfirming(true)}>
              {t("detail.deleteSection.action")}
            </Button>
          </InlineStack>
        </BlockStack>
      </Card>
      <Modal
        open={confirming}
        onClose={() => setConfirming(false)}
        title={t("detail.deleteTitle")}
        primaryAction={{ content: t("bulk.delete"), destructive: true, loading: busy, onAction: onDelete }}
        secondaryActions={[{ content: t("common.cancel"), onAction: () => setConfirming(false) }]}
      >
        <Modal.Section>
          <Text as="p">{t("detail.deleteBody", { number: trackingNumber })}</Text>
        </Modal.Section>
      </Modal>
    </Box>
  );
}
