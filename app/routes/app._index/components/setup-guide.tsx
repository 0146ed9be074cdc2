import { BlockStack, Box, Button, Card, Icon, InlineStack, Text } from "@shopify/polaris";
import { CheckCircleIcon } from "@shopify/polaris-icons";
import type { ReactNode } from "react";
import { CopyableUrlField } from "~/components/copyable-url-field";
import { useTranslation } from "~/i18n";

function Step({
  number,
  title,
  body,
  done,
  children,
}: {
  number: number;
  title: string;
  body: string;
  done?: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Box paddingBlockEnd="300" borderBlockEndWidth="025" borderColor="border-secondary">
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center" wrap={false}>
          {done ? (
            <span aria-label={t("setup.done")}>
              <Icon source={CheckCircleIcon} tone="success" />
            </span>
          ) : (
            <Text as="span" tone="subdued" fontWeight="semibold">
              {number}.
            </Text>
          )}
          <Text as="h3" variant="headingSm">
            {title}
          </Text>
        </InlineStack>
        <Text as="p" tone="subdued">
          {body}
        </Text>
        {children}
      </BlockStack>
    </Box>
  );
}

/** The first run: what to do, in order, before TrackBridge can do its job. */
export function SetupGuide({
  hasApiKey,
  hasTrackings,
  webhookUrl,
}: {
  hasApiKey: boolean;
  hasTrackings: boolean;
  webhookUrl: string;
}) {
  const { t } = useTranslation();
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {t("setup.title")}
          </Text>
          <Text as="p">{t("setup.intro")}</Text>
        </BlockStack>
        <Step number={1} title={t("setup.apiKey.title")} body={t("setup.apiKey.body")} done={hasApiKey}>
          {!hasApiKey && (
            <InlineStack>
              <Button variant="primary" url="/app/settings">
                {t("setup.apiKey.action")}
              </Button>
            </InlineStack>
          )}
        </Step>
        <Step number={2} title={t("setup.webhook.title")} body={t("setup.webhook.body")}>
          <CopyableUrlField label={t("setup.webhook.label")} url={webhookUrl} />
        </Step>
        <Step number={3} title={t("setup.theme.title")} body={t("setup.theme.body")}>
          <InlineStack>
            <Button url="shopify://admin/themes/current/editor?context=apps" target="_top">
              {t("setup.theme.action")}
            </Button>
          </InlineStack>
        </Step>
        <Step number={4} title={t("setup.import.title")} body={t("setup.import.body")} done={hasTrackings}>
          <InlineStack>
            <Button url="/app/settings">{t("setup.import.action")}</Button>
          </InlineStack>
        </Step>
      </BlockStack>
    </Card>
  );
}
