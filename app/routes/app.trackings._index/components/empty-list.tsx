import { useSearchParams } from "@remix-run/react";
import { BlockStack, Box, Button, Text } from "@shopify/polaris";
import { useTranslation, type MessageKey } from "~/i18n";
import { filtersApplied, type TrackingView } from "~/models/admin/list-filters";

interface Query {
  view: string;
  search: string;
  statuses: string[];
  carrier: string;
  archived: string;
  sync: string;
  createdFrom: string;
  createdTo: string;
  stalledAfterDays: number;
}

/**
 * What an empty list means, said truthfully: no match for the filters (and a way to clear
 * them), an empty view (and what would put rows in it), or no trackings at all yet.
 */
export function EmptyList({ query }: { query: Query }) {
  const { t } = useTranslation();
  const [searchParams, setSearchParams] = useSearchParams();
  const view = query.view as TrackingView;
  const kind = filtersApplied(query) ? "filtered" : view;
  const clearFilters = () => {
    // The view (tab) stays; search, filters, sort and page go.
    const next = new URLSearchParams();
    const current = searchParams.get("view");
    if (current) next.set("view", current);
    setSearchParams(next, { replace: true });
  };
  return (
    <Box padding="800">
      <BlockStack gap="200" inlineAlign="center">
        <Text as="p" variant="headingMd" alignment="center">
          {t(`trackings.empty.${kind}.heading` as MessageKey)}
        </Text>
        <Text as="p" tone="subdued" alignment="center">
          {t(`trackings.empty.${kind}.body` as MessageKey, { count: query.stalledAfterDays })}
        </Text>
        {kind === "filtered" && <Button onClick={clearFilters}>{t("trackings.empty.clearFilters")}</Button>}
      </BlockStack>
    </Box>
  );
}
