import { Button, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useTranslation } from "~/i18n";

/** A read-only address the merchant pastes somewhere else, with a Copy button beside it. */
export function CopyableUrlField({
  label,
  url,
  helpText,
}: {
  label: string;
  url: string;
  helpText?: string;
}) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // Without clipboard access the URL stays selectable in the field.
    }
  };
  return (
    <TextField
      label={label}
      value={url}
      readOnly
      autoComplete="off"
      helpText={helpText}
      connectedRight={
        <Button onClick={() => void copy()}>
          {copied ? t("setup.webhook.copied") : t("setup.webhook.copy")}
        </Button>
      }
    />
  );
}
