import { Form, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useTranslation, type MessageKey } from "~/i18n";
import { problemMessageKey, type ProblemKind } from "~/models/admin/problems";

export interface DeadLetterView {
  stage: string;
  id: string;
  subject: string;
  problem: ProblemKind | null;
  deadAt: string;
}

/**
 * What the pipeline gave up on (after its retries, or at once for a refusal no retry can mend),
 * with the reason, and the merchant's way to send it again once the cause is fixed.
 */
export function DeadLettersCard({ total, recent }: { total: number; recent: DeadLetterView[] }) {
  const { t } = useTranslation();
  const retrying = useNavigation().formData?.get("intent") === "retry-dead-letters";
  if (total === 0) return null;
  return (
    <div id="dead-letters">
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {t("deadLetters.title", { count: total })}
            </Text>
            <Form method="post">
              <input type="hidden" name="intent" value="retry-dead-letters" />
              <Button submit loading={retrying}>
                {t("deadLetters.retryAll")}
              </Button>
            </Form>
          </InlineStack>
          <Text as="p" tone="subdued">
            {t("deadLetters.body")}
          </Text>
          {recent.map((letter) => (
            <BlockStack key={`${letter.stage}-${letter.id}`} gap="100">
              <InlineStack align="space-between" blockAlign="center" wrap={false} gap="200">
                <Text as="span" fontWeight="semibold" breakWord>
                  {t(`deadLetters.stage.${letter.stage}` as MessageKey)}:{" "}
                  {letter.stage === "ingest"
                    ? t(`deadLetters.topic.${letter.subject}` as MessageKey, { defaultValue: letter.subject })
                    : letter.subject}
                </Text>
                <Form method="post">
                  <input type="hidden" name="intent" value="retry-dead-letters" />
                  <input type="hidden" name="stage" value={letter.stage} />
                  <input type="hidden" name="id" value={letter.id} />
                  <Button submit variant="plain">
                    {t("deadLetters.retry")}
                  </Button>
                </Form>
              </InlineStack>
              {letter.problem && (
                <Text as="p" tone="critical" variant="bodySm" breakWord>
                  {t(problemMessageKey(letter.problem))}
                </Text>
              )}
            </BlockStack>
          ))}
        </BlockStack>
      </Card>
    </div>
  );
}
