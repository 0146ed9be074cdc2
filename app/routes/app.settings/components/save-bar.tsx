import { useBeforeUnload, useBlocker } from "@remix-run/react";
import { SaveBar } from "@shopify/app-bridge-react";
import { Box, Button, InlineStack, Modal, Text } from "@shopify/polaris";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "~/i18n";

export const SETTINGS_SAVE_BAR_ID = "settings-save-bar";

interface Props {
  dirty: boolean;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
}

/**
 * App Bridge's save bar, when the page runs inside Shopify admin with App Bridge loaded. Known
 * only after hydration (the server cannot tell), and the form is clean until then.
 */
function useAppBridgeSaveBar(): boolean {
  const [present, setPresent] = useState(false);
  useEffect(() => {
    setPresent(
      typeof window.shopify?.saveBar?.show === "function" && customElements.get("ui-save-bar") !== undefined,
    );
  }, []);
  return present;
}

/**
 * The Settings form's one Save: App Bridge's contextual save bar while the form has unsaved
 * changes (Shopify admin then also asks before leaving the app), or, where App Bridge's save bar
 * is missing, the same Save and Discard in a bar at the top of the page, so the page is never
 * unsavable. Leaving for another page of the app with unsaved changes asks first either way.
 */
export function SettingsSaveBar({ dirty, saving, onSave, onDiscard }: Props) {
  const { t } = useTranslation();
  const appBridge = useAppBridgeSaveBar();
  // The form posts to its own page: only a move to another page is a "leave".
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
  );

  useEffect(() => {
    if (blocker.state !== "blocked") return;
    if (!dirty) {
      blocker.reset();
      return;
    }
    // App Bridge asks with Shopify admin's own dialog; it resolves only when the merchant leaves.
    if (appBridge) void window.shopify.saveBar.leaveConfirmation().then(() => blocker.proceed());
  }, [blocker, dirty, appBridge]);

  useBeforeUnload(
    useCallback(
      (event: BeforeUnloadEvent) => {
        if (dirty && !appBridge) event.preventDefault();
      },
      [dirty, appBridge],
    ),
  );

  if (appBridge) {
    return (
      <SaveBar id={SETTINGS_SAVE_BAR_ID} open={dirty} discardConfirmation>
        {/* App Bridge's attribute for the save bar's Save button. */}
        {/* eslint-disable-next-line react/no-unknown-property */}
        <button variant="primary" onClick={onSave} loading={saving ? "" : undefined} disabled={saving}>
          {t("common.save")}
        </button>
        <button onClick={onDiscard} disabled={saving}>
          {t("settings.form.discard")}
        </button>
      </SaveBar>
    );
  }
  return (
    <>
      {dirty && (
        <div
          style={{ position: "sticky", top: 0, zIndex: 500, marginBlockEnd: "var(--p-space-400)" }}
          role="region"
          aria-label={t("settings.form.unsaved")}
        >
          <Box background="bg-fill-inverse" padding="300" borderRadius="200">
            <InlineStack align="space-between" blockAlign="center" gap="200">
              <Text as="p" tone="text-inverse" fontWeight="semibold">
                {t("settings.form.unsaved")}
              </Text>
              <InlineStack gap="200">
                <Button onClick={onDiscard} disabled={saving}>
                  {t("settings.form.discard")}
                </Button>
                <Button variant="primary" onClick={onSave} loading={saving}>
                  {t("common.save")}
                </Button>
              </InlineStack>
            </InlineStack>
          </Box>
        </div>
      )}
      <Modal
        open={blocker.state === "blocked" && dirty}
        onClose={() => blocker.reset?.()}
        title={t("settings.form.leaveTitle")}
        primaryAction={{
          content: t("settings.form.leave"),
          destructive: true,
          onAction: () => blocker.proceed?.(),
        }}
        secondaryActions={[{ content: t("settings.form.stay"), onAction: () => blocker.reset?.() }]}
      >
        <Modal.Section>
          <Text as="p">{t("settings.form.leaveBody")}</Text>
        </Modal.Section>
      </Modal>
    </>
  );
}
