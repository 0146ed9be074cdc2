import { useSearchParams } from "@remix-run/react";
import {
  ChoiceList,
  IndexFilters,
  IndexFiltersMode,
  InlineStack,
  TextField,
  useSetIndexFiltersMode,
  type IndexFiltersProps,
} from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import type { CarrierChoice } from "~/components/carrier-picker";
import { useTranslation, type MessageKey } from "~/i18n";
import { filtersApplied, SYNC_FILTER_VALUES, SYNC_GROUPS, VIEWS } from "~/models/admin/list-filters";
import { TRACKING_STATUSES } from "~/trackingmore/types";

// Search, filters, saved views and sort, all kept in the URL so a view can be bookmarked,
// reloaded and shared, and the loader is the one place that reads them.

const STATUSES = TRACKING_STATUSES;
// Every URL parameter a filter sets; "Clear all" removes them all. `state` is the old name of
// the exact sync state, still read from older links.
const FILTER_PARAMS = ["status", "carrier", "archived", "sync", "state", "from", "to"] as const;

interface Query {
  view: string;
  search: string;
  statuses: string[];
  carrier: string;
  archived: string;
  sync: string;
  createdFrom: string;
  createdTo: string;
  sort: string;
  direction: string;
}

export function TrackingFilters({
  query,
  carriers,
  loading,
}: {
  query: Query;
  /** The shop's carriers by name, and the filtered one even when no parcel uses it. */
  carriers: CarrierChoice[];
  loading: boolean;
}) {
  const { t } = useTranslation();
  const [searchParams, setSearchParams] = useSearchParams();
  const filtered = filtersApplied(query);
  // A link that arrives with filters (from the dashboard, a bookmark) shows them open.
  const { mode, setMode } = useSetIndexFiltersMode(
    filtered ? IndexFiltersMode.Filtering : IndexFiltersMode.Default,
  );
  const [search, setSearch] = useState(query.search);
  const debounce = useRef<ReturnType<typeof setTimeout>>();

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === "") next.delete(key);
      else next.set(key, value);
    }
    // Any change of what is shown starts again at the first page.
    next.delete("after");
    next.delete("before");
    if ("sync" in changes) next.delete("state");
    setSearchParams(next, { replace: true });
  };

  useEffect(() => setSearch(query.search), [query.search]);
  useEffect(() => () => clearTimeout(debounce.current), []);

  const onQueryChange = (value: string) => {
    setSearch(value);
    clearTimeout(debounce.current);
    debounce.current = setTimeout(() => update({ q: value }), 300);
  };

  // A group ("Needs attention") in the filter's words, one exact state in the badge's words.
  const syncLabel = (value: string) =>
    t((value in SYNC_GROUPS ? `trackings.filter.sync.${value}` : `sync.${value}`) as MessageKey);

  const tabs: IndexFiltersProps["tabs"] = VIEWS.map((view, index) => ({
    id: `view-${view}`,
    content: t(`trackings.view.${view}` as MessageKey),
    index,
    onAction: () => {},
    isLocked: true,
  }));

  const filters: IndexFiltersProps["filters"] = [
    {
      key: "status",
      label: t("trackings.filter.status"),
      shortcut: true,
      filter: (
        <ChoiceList
          title={t("trackings.filter.status")}
          titleHidden
          allowMultiple
          choices={STATUSES.map((s) => ({ label: t(`status.${s}` as MessageKey), value: s }))}
          selected={query.statuses}
          onChange={(value) => update({ status: value.join(",") })}
        />
      ),
    },
    {
      key: "carrier",
      label: t("trackings.filter.carrier"),
      filter: (
        <ChoiceList
          title={t("trackings.filter.carrier")}
          titleHidden
          choices={carriers.map((c) => ({ label: c.name, value: c.code }))}
          selected={query.carrier ? [query.carrier] : []}
          onChange={(value) => update({ carrier: value[0] ?? "" })}
        />
      ),
    },
    {
      key: "archived",
      label: t("trackings.filter.archived"),
      filter: (
        <ChoiceList
          title={t("trackings.filter.archived")}
          titleHidden
          choices={[
            { label: t("trackings.filter.archivedNo"), value: "no" },
            { label: t("trackings.filter.archivedYes"), value: "yes" },
            { label: t("trackings.filter.archivedAny"), value: "any" },
          ]}
          selected={[query.archived]}
          onChange={(value) => update({ archived: value[0] === "no" ? "" : value[0] })}
        />
      ),
    },
    {
      key: "sync",
      label: t("trackings.filter.sync"),
      filter: (
        <ChoiceList
          title={t("trackings.filter.sync")}
          titleHidden
          choices={SYNC_FILTER_VALUES.map((value) => ({ label: syncLabel(value), value }))}
          selected={query.sync ? [query.sync] : []}
          onChange={(value) => update({ sync: value[0] ?? "" })}
        />
      ),
    },
    {
      key: "created",
      label: t("trackings.filter.created"),
      filter: (
        <InlineStack gap="200">
          <TextField
            label={t("trackings.filter.from")}
            type="date"
            autoComplete="off"
            value={query.createdFrom}
            onChange={(value) => update({ from: value })}
          />
          <TextField
            label={t("trackings.filter.to")}
            type="date"
            autoComplete="off"
            value={query.createdTo}
            onChange={(value) => update({ to: value })}
          />
        </InlineStack>
      ),
    },
  ];

  const appliedFilters: IndexFiltersProps["appliedFilters"] = [];
  if (query.statuses.length > 0) {
    appliedFilters.push({
      key: "status",
      label: t("trackings.filter.statusChip", {
        value: query.statuses.map((s) => t(`status.${s}` as MessageKey)).join(", "),
      }),
      onRemove: () => update({ status: null }),
    });
  }
  if (query.carrier) {
    appliedFilters.push({
      key: "carrier",
      label: t("trackings.filter.carrierChip", {
        value: carriers.find((c) => c.code === query.carrier)?.name ?? query.carrier,
      }),
      onRemove: () => update({ carrier: null }),
    });
  }
  if (query.archived !== "no") {
    appliedFilters.push({
      key: "archived",
      label: t(query.archived === "yes" ? "trackings.filter.archivedYes" : "trackings.filter.archivedAny"),
      onRemove: () => update({ archived: null }),
    });
  }
  if (query.sync) {
    appliedFilters.push({
      key: "sync",
      label: t("trackings.filter.syncChip", { value: syncLabel(query.sync) }),
      onRemove: () => update({ sync: null }),
    });
  }
  if (query.createdFrom || query.createdTo) {
    appliedFilters.push({
      key: "created",
      label: t("trackings.filter.createdChip", {
        from: query.createdFrom || "…",
        to: query.createdTo || "…",
      }),
      onRemove: () => update({ from: null, to: null }),
    });
  }

  const sortOptions: IndexFiltersProps["sortOptions"] = [
    {
      label: t("trackings.sort.created"),
      value: "createdAt asc",
      directionLabel: t("trackings.sort.oldest"),
    },
    {
      label: t("trackings.sort.created"),
      value: "createdAt desc",
      directionLabel: t("trackings.sort.newest"),
    },
    {
      label: t("trackings.sort.updated"),
      value: "updatedAt asc",
      directionLabel: t("trackings.sort.oldest"),
    },
    {
      label: t("trackings.sort.updated"),
      value: "updatedAt desc",
      directionLabel: t("trackings.sort.newest"),
    },
    {
      label: t("trackings.sort.number"),
      value: "trackingNumber asc",
      directionLabel: t("trackings.sort.az"),
    },
    {
      label: t("trackings.sort.number"),
      value: "trackingNumber desc",
      directionLabel: t("trackings.sort.za"),
    },
    { label: t("trackings.sort.status"), value: "status asc", directionLabel: t("trackings.sort.az") },
    { label: t("trackings.sort.status"), value: "status desc", directionLabel: t("trackings.sort.za") },
    {
      label: t("trackings.sort.estimate"),
      value: "estimatedDeliveryAt asc",
      directionLabel: t("trackings.sort.soonest"),
    },
    {
      label: t("trackings.sort.estimate"),
      value: "estimatedDeliveryAt desc",
      directionLabel: t("trackings.sort.latest"),
    },
    {
      label: t("trackings.sort.lastEvent"),
      value: "lastEventAt asc",
      directionLabel: t("trackings.sort.oldest"),
    },
    {
      label: t("trackings.sort.lastEvent"),
      value: "lastEventAt desc",
      directionLabel: t("trackings.sort.newest"),
    },
  ];

  return (
    <IndexFilters
      tabs={tabs}
      selected={Math.max(0, VIEWS.indexOf(query.view as (typeof VIEWS)[number]))}
      onSelect={(index) => update({ view: VIEWS[index] === "all" ? null : VIEWS[index] })}
      canCreateNewView={false}
      queryValue={search}
      queryPlaceholder={t("trackings.searchPlaceholder")}
      onQueryChange={onQueryChange}
      onQueryClear={() => {
        setSearch("");
        update({ q: null });
      }}
      sortOptions={sortOptions}
      sortSelected={[`${query.sort} ${query.direction}`]}
      onSort={([value]) => {
        const [sort, dir] = (value ?? "createdAt desc").split(" ");
        update({ sort, dir });
      }}
      filters={filters}
      appliedFilters={appliedFilters}
      onClearAll={() => update(Object.fromEntries(FILTER_PARAMS.map((key) => [key, null])))}
      mode={mode}
      setMode={setMode}
      loading={loading}
    />
  );
}
