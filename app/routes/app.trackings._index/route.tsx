import { readBoundedFormData } from "~/lib/body-limit.server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Banner,
  Box,
  Card,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Text,
  useBreakpoints,
  useIndexResourceState,
} from "@shopify/polaris";
import { useMemo } from "react";
import { answerModelErrors, formIds } from "~/lib/admin-route.server";
import { BlockingBanners, useBlockingStates } from "~/components/blocking-banners";
import { localBlockingStates } from "~/models/admin/blocking-states.server";
import { runBulkAction } from "~/models/admin/bulk-actions.server";
import { adminFormatters } from "~/models/admin/formatting.server";
import {
  listDaysInTransit,
  listShopCarriers,
  listTrackings,
  parseTrackingListQuery,
} from "~/models/admin/trackings-list.server";
import { EstimateCell, RemoteAreaBadge } from "~/components/delivery-estimate";
import { useTranslation } from "~/i18n";
import { estimateView } from "~/models/delivery-promise/view";
import { getShopSettings } from "~/models/settings.server";
import { authenticate } from "~/shopify.server";
import { StatusBadge, SyncBadge } from "./components/badges";
import { BulkActionsBar, useBulkActions } from "./components/bulk-actions";
import { EmptyList } from "./components/empty-list";
import { useCsvExport } from "./components/export-button";
import { CardSelectionBar, TrackingCard } from "./components/tracking-cards";
import { TrackingFilters } from "./components/tracking-filters";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const settings = await getShopSettings(session.shop);
  const query = parseTrackingListQuery(new URL(request.url).searchParams, settings.stalledAfterDays);
  const [page, carriers, format, blocking] = await Promise.all([
    listTrackings(session.shop, query),
    listShopCarriers(session.shop),
    adminFormatters(request, session.shop),
    localBlockingStates(session.shop, settings),
  ]);
  const now = new Date();
  const rows = page.rows.map((row) => ({
    ...row,
    createdLabel: format.date(row.createdAt),
    carrierLabel: row.carrierCode ? format.carrier(row.carrierCode) : "",
    lastUpdateLabel: format.dateTime(row.lastEventAt),
    daysInTransit: listDaysInTransit(row, now),
  }));
  const carrierCodes = new Set([...carriers, ...(query.carrier ? [query.carrier] : [])]);
  const carrierChoices = [...carrierCodes]
    .map((code) => ({ code, name: format.carrier(code) }))
    .sort((a, b) => a.name.localeCompare(b.name, format.locale));
  return json({
    ...page,
    rows,
    carriers: carrierChoices,
    query,
    blocking,
    writeBackEnabled: settings.writeBackEnabled,
  });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await readBoundedFormData(request);
  return answerModelErrors(async () => {
    const result = await runBulkAction(
      session.shop,
      String(form.get("bulkAction") ?? ""),
      formIds(form),
      form.get("carrierCode") ? String(form.get("carrierCode")) : undefined,
    );
    return json({ ok: true as const, result });
  });
};

export default function TrackingsList() {
  const { rows, nextCursor, previousCursor, carriers, query, blocking, writeBackEnabled } =
    useLoaderData<typeof loader>();
  const blockingStates = useBlockingStates(blocking);
  const { t } = useTranslation();
  const navigation = useNavigation();
  const [searchParams, setSearchParams] = useSearchParams();
  const resources = useMemo(() => rows.map((row) => ({ id: row.id })), [rows]);
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } =
    useIndexResourceState(resources);
  const bulk = useBulkActions(selectedResources, clearSelection, writeBackEnabled);
  const csvExport = useCsvExport();
  // Below Polaris's small breakpoint (a phone) the table becomes a list of stacked cards.
  const { smDown: phone } = useBreakpoints();

  const goToPage = (cursor: { after?: string; before?: string }) => {
    const next = new URLSearchParams(searchParams);
    next.delete("after");
    next.delete("before");
    if (cursor.after) next.set("after", cursor.after);
    if (cursor.before) next.set("before", cursor.before);
    setSearchParams(next);
  };

  const cardMarkup = rows.map((row, index) => (
    <TrackingCard
      key={row.id}
      row={row}
      position={index}
      selected={selectedResources.includes(row.id)}
      onSelectionChange={handleSelectionChange}
    />
  ));

  const rowMarkup = rows.map((row, index) => (
    <IndexTable.Row id={row.id} key={row.id} position={index} selected={selectedResources.includes(row.id)}>
      <IndexTable.Cell>
        <Link dataPrimaryLink url={`/app/trackings/${row.id}`} monochrome removeUnderline>
          <Text as="span" variant="bodyMd" fontWeight="semibold">
            {row.trackingNumber}
          </Text>
        </Link>
      </IndexTable.Cell>
      <IndexTable.Cell>{row.carrierLabel || t("trackings.noCarrier")}</IndexTable.Cell>
      <IndexTable.Cell>{row.orderName ?? row.orderId}</IndexTable.Cell>
      <IndexTable.Cell>{row.customerName ?? row.customerEmail ?? ""}</IndexTable.Cell>
      <IndexTable.Cell>
        <StatusBadge status={row.status} />
      </IndexTable.Cell>
      <IndexTable.Cell>
        <SyncBadge syncState={row.syncState} />
      </IndexTable.Cell>
      <IndexTable.Cell>{row.lastUpdateLabel || "—"}</IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="p" alignment="end" numeric>
          {row.daysInTransit}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <InlineStack gap="100" wrap={false}>
          <EstimateCell estimate={estimateView(row.status, row.promise)} />
          <RemoteAreaBadge remote={row.promise?.remoteArea} />
        </InlineStack>
      </IndexTable.Cell>
      <IndexTable.Cell>{row.archived ? t("trackings.archivedYes") : ""}</IndexTable.Cell>
      <IndexTable.Cell>{row.createdLabel}</IndexTable.Cell>
    </IndexTable.Row>
  ));

  return (
    <Page title={t("trackings.title")} fullWidth secondaryActions={[csvExport.action]}>
      {csvExport.failed && (
        <Box paddingBlockEnd="400">
          <Banner tone="critical" onDismiss={csvExport.dismiss}>
            {t("trackings.exportFailed")}
          </Banner>
        </Box>
      )}
      <Box paddingBlockEnd={blockingStates.states.length > 0 ? "400" : "0"}>
        <BlockingBanners states={blockingStates.states} onRetry={blockingStates.recheck} />
      </Box>
      <BulkActionsBar bulk={bulk} />
      <Card padding="0">
        <TrackingFilters query={query} carriers={carriers} loading={navigation.state === "loading"} />
        {phone && (
          <CardSelectionBar
            rowCount={rows.length}
            selectedCount={allResourcesSelected ? rows.length : selectedResources.length}
            onSelectionChange={handleSelectionChange}
            actions={[...bulk.promoted, ...bulk.more]}
          />
        )}
        <IndexTable
          condensed={phone}
          resourceName={{ singular: t("trackings.resourceSingular"), plural: t("trackings.resourcePlural") }}
          itemCount={rows.length}
          selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
          onSelectionChange={handleSelectionChange}
          promotedBulkActions={bulk.promoted}
          bulkActions={bulk.more}
          headings={[
            { title: t("trackings.col.number") },
            { title: t("trackings.col.carrier") },
            { title: t("trackings.col.order") },
            { title: t("trackings.col.customer") },
            { title: t("trackings.col.status") },
            { title: t("trackings.col.sync") },
            { title: t("trackings.col.lastUpdate") },
            { title: t("trackings.col.daysInTransit"), alignment: "end" },
            { title: t("trackings.col.estimate") },
            { title: t("trackings.col.archived") },
            { title: t("trackings.col.created") },
          ]}
          emptyState={<EmptyList query={query} />}
          pagination={{
            hasNext: Boolean(nextCursor),
            hasPrevious: Boolean(previousCursor),
            onNext: () => nextCursor && goToPage({ after: nextCursor }),
            onPrevious: () => previousCursor && goToPage({ before: previousCursor }),
          }}
        >
          {phone ? cardMarkup : rowMarkup}
        </IndexTable>
      </Card>
    </Page>
  );
}
