import { Banner, BlockStack, Card, Text, TextField } from "@shopify/polaris";
import { CopyableUrlField } from "~/components/copyable-url-field";
import { useTranslation } from "~/i18n";

interface Props {
  settings: {
    hasApiKey: boolean;
    apiKeyHint: string | null;
    hasAccountEmail: boolean;
    unreadableSecrets: ("apiKey" | "accountEmail")[];
  };
  webhookUrl: string;
  apiKey: string;
  accountEmail: string;
  onChange: (field: "apiKey" | "accountEmail", value: string) => void;
  errorText: (field: string) => string | undefined;
}

/**
 * The TrackingMore key and account email (write-only: the page only ever shows the key's masked
 * hint) and the webhook URL to paste into TrackingMore.
 */
export function ConnectionCard({ settings, webhookUrl, apiKey, accountEmail, onChange, errorText }: Props) {
  const { t } = useTranslation();
  return (
    <Card>
      <BlockStack gap="400">
        {settings.unreadableSecrets.map((which) => (
          <Banner key={which} tone="critical">
            {t(which === "apiKey" ? "settings.unreadable.apiKey" : "settings.unreadable.accountEmail")}
          </Banner>
        ))}
        <Text as="p" tone="subdued">
          {settings.hasApiKey
            ? t("settings.apiKey.configured", { hint: settings.apiKeyHint ?? "••••" })
            : t("settings.apiKey.missing")}
        </Text>
        <TextField
          label={t("settings.apiKey.label")}
          name="apiKey"
          type="password"
          autoComplete="off"
          value={apiKey}
          onChange={(value) => onChange("apiKey", value)}
          placeholder={settings.apiKeyHint ?? ""}
          error={errorText("apiKey")}
          helpText={t("settings.apiKey.help")}
        />
        <TextField
          label={t("settings.accountEmail.label")}
          name="accountEmail"
          type="email"
          autoComplete="off"
          value={accountEmail}
          onChange={(value) => onChange("accountEmail", value)}
          error={errorText("accountEmail")}
          helpText={
            settings.hasAccountEmail ? t("settings.accountEmail.configured") : t("settings.accountEmail.help")
          }
        />
        <CopyableUrlField
          label={t("setup.webhook.label")}
          url={webhookUrl}
          helpText={t("settings.connection.webhookHelp")}
        />
      </BlockStack>
    </Card>
  );
}
