import { BlockStack, Box, InlineStack, Text } from "@shopify/polaris";
import { useTranslation, type MessageKey } from "~/i18n";

interface Checkpoint {
  time: string | null;
  /** The time as the merchant reads it, formatted on the server. */
  timeLabel: string;
  description: string;
  location: string | null;
  status: string | null;
}

/** The carrier's events, newest first, as a vertical timeline. */
export function CheckpointTimeline({ checkpoints }: { checkpoints: Checkpoint[] }) {
  const { t } = useTranslation();
  if (checkpoints.length === 0) {
    return (
      <Text as="p" tone="subdued">
        {t("detail.noCheckpoints")}
      </Text>
    );
  }
  return (
    <ol style={{ listStyle: "none", margin: 0, padding: 0 }} aria-label={t("detail.timeline")}>
      {checkpoints.map((c, index) => (
        <li key={`${c.time}-${index}`}>
          <Box
            paddingBlockEnd="300"
            paddingInlineStart="400"
            borderInlineStartWidth="025"
            borderColor={index === 0 ? "border-emphasis" : "border"}
          >
            <BlockStack gap="100">
              <InlineStack gap="200">
                <Text as="span" variant="bodySm" tone="subdued">
                  {c.timeLabel}
                </Text>
                {c.status && (
                  <Text as="span" variant="bodySm" tone="subdued">
                    {t(`status.${c.status}` as MessageKey)}
                  </Text>
                )}
              </InlineStack>
              <Text as="p" fontWeight={index === 0 ? "semibold" : "regular"}>
                {c.description}
              </Text>
              {c.location && (
                <Text as="p" variant="bodySm" tone="subdued">
                  {c.location}
                </Text>
              )}
            </BlockStack>
          </Box>
        </li>
      ))}
    </ol>
  );
}
