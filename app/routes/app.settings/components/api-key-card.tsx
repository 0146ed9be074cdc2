import { Banner, BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "~/i18n";

interface Props {
  settings: {
    hasApiKey: boolean;
    apiKeyHint: string | null;
    hasAccountEmail: boolean;
    unreadableSecrets: ("apiKey" | "accountEmail")[];
  };
  busyIntent: string | null;
  errorText: (field: string) => string | undefined;
  onSubmit: (values: Record<string, string>) => void;
}

/** The TrackingMore key (write-only: the page only ever shows its masked hint) and account email. */
export function ApiKeyCard({ settings, busyIntent, errorText, onSubmit }: Props) {
  const { t } = useTranslation();
  const [apiKey, setApiKey] = useState("");
  const [accountEmail, setAccountEmail] = useState("");
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("settings.apiKey.title")}
        </Text>
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
        <form
          onSubmit={(event) => {
            event.preventDefault();
            onSubmit({ intent: "apiKey", apiKey });
            setApiKey("");
          }}
        >
          <InlineStack gap="200" blockAlign="end" wrap={false}>
            <div style={{ flexGrow: 1 }}>
              <TextField
                label={t("settings.apiKey.label")}
                name="apiKey"
                type="password"
                autoComplete="off"
                value={apiKey}
                onChange={setApiKey}
                placeholder={settings.apiKeyHint ?? ""}
                error={errorText("apiKey")}
                helpText={t("settings.apiKey.help")}
              />
            </div>
            <Button submit variant="primary" disabled={!apiKey.trim()} loading={busyIntent === "apiKey"}>
              {t("settings.apiKey.save")}
            </Button>
          </InlineStack>
        </form>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            onSubmit({ intent: "accountEmail", accountEmail });
          }}
        >
          <InlineStack gap="200" blockAlign="end" wrap={false}>
            <div style={{ flexGrow: 1 }}>
              <TextField
                label={t("settings.accountEmail.label")}
                name="accountEmail"
                type="email"
                autoComplete="off"
                value={accountEmail}
                onChange={setAccountEmail}
                error={errorText("accountEmail")}
                helpText={
                  settings.hasAccountEmail
                    ? t("settings.accountEmail.configured")
                    : t("settings.accountEmail.help")
                }
              />
            </div>
            <Button submit disabled={!accountEmail.trim()} loading={busyIntent === "accountEmail"}>
              {t("common.save")}
            </Button>
          </InlineStack>
        </form>
      </BlockStack>
    </Card>
  );
}
