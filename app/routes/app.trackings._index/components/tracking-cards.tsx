import {
  ActionList,
  BlockStack,
  Box,
  Button,
  Checkbox,
  IndexTable,
  IndexTableSelectionType,
  InlineStack,
  Link,
  Popover,
  Text,
  type ActionListItemDescriptor,
} from "@shopify/polaris";
import { useState, type MouseEvent } from "react";
import { EstimateCell, RemoteAreaBadge } from "~/components/delivery-estimate";
import { useTranslation } from "~/i18n";
import { estimateView, type PromiseFields } from "~/models/delivery-promise/view";
import { StatusBadge, SyncBadge } from "./badges";

// The list on a phone: Polaris's condensed IndexTable shows each parcel as one stacked card.
// Polaris turns row selection and bulk actions off in condensed mode, so the cards carry their
// own checkbox and the list its own "select all" and actions menu, driving the same selection
// state and bulk actions as the desktop table.

type SelectionChange = (type: IndexTableSelectionType, selecting: boolean, selection?: string) => void;

export interface TrackingCardData {
  id: string;
  trackingNumber: string;
  status: string;
  syncState: string;
  carrierLabel: string;
  orderName: string | null;
  orderId: string;
  customerName: string | null;
  customerEmail: string | null;
  lastUpdateLabel: string;
  daysInTransit: number;
  promise: (PromiseFields & { remoteArea?: boolean | null }) | null;
}

/** A tap on the checkbox selects; the row's own click handler would open the parcel. */
const keepTapInCheckbox = (event: MouseEvent) => event.stopPropagation();

export function TrackingCard({
  row,
  position,
  selected,
  onSelectionChange,
}: {
  row: TrackingCardData;
  position: number;
  selected: boolean;
  onSelectionChange: SelectionChange;
}) {
  const { t } = useTranslation();
  const details = [
    row.carrierLabel || t("trackings.noCarrier"),
    row.orderName ?? row.orderId,
    row.customerName ?? row.customerEmail,
  ].filter(Boolean);
  return (
    <IndexTable.Row id={row.id} position={position} selected={selected}>
      <IndexTable.Cell>
        <InlineStack gap="300" wrap={false} blockAlign="start">
          <span onClick={keepTapInCheckbox}>
            <Checkbox
              label={t("trackings.card.select", { number: row.trackingNumber })}
              labelHidden
              checked={selected}
              onChange={(checked) => onSelectionChange(IndexTableSelectionType.Single, checked, row.id)}
            />
          </span>
          <Box minWidth="0" width="100%">
            <BlockStack gap="100">
              <InlineStack gap="200" blockAlign="center">
                <Link dataPrimaryLink url={`/app/trackings/${row.id}`} monochrome removeUnderline>
                  <Text as="span" variant="bodyMd" fontWeight="semibold" breakWord>
                    {row.trackingNumber}
                  </Text>
                </Link>
                <StatusBadge status={row.status} />
              </InlineStack>
              <Text as="p" tone="subdued" breakWord>
                {details.join(" · ")}
              </Text>
              <InlineStack gap="200" blockAlign="center">
                <Text as="span" variant="bodySm" tone="subdued">
                  {row.lastUpdateLabel
                    ? t("trackings.card.lastUpdate", { date: row.lastUpdateLabel })
                    : t("trackings.card.noUpdate")}
                </Text>
                {row.syncState !== "synced" && <SyncBadge syncState={row.syncState} />}
              </InlineStack>
              <InlineStack gap="200" blockAlign="center">
                <Text as="span" variant="bodySm" tone="subdued">
                  {t("trackings.card.daysInTransit", { count: row.daysInTransit })}
                </Text>
                <EstimateCell estimate={estimateView(row.status, row.promise)} />
                <RemoteAreaBadge remote={row.promise?.remoteArea} />
              </InlineStack>
            </BlockStack>
          </Box>
        </InlineStack>
      </IndexTable.Cell>
    </IndexTable.Row>
  );
}

/** Above the cards: select every card on the page, and the bulk actions once some are selected. */
export function CardSelectionBar({
  rowCount,
  selectedCount,
  onSelectionChange,
  actions,
}: {
  rowCount: number;
  selectedCount: number;
  onSelectionChange: SelectionChange;
  actions: ActionListItemDescriptor[];
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (rowCount === 0) return null;
  const checked = selectedCount === 0 ? false : selectedCount >= rowCount ? true : "indeterminate";
  return (
    <Box paddingBlock="200" paddingInline="300" borderBlockStartWidth="025" borderColor="border-secondary">
      <InlineStack gap="200" align="space-between" blockAlign="center">
        <InlineStack gap="300" blockAlign="center">
          <Checkbox
            label={t("trackings.card.selectAll")}
            checked={checked}
            onChange={(selecting) => onSelectionChange(IndexTableSelectionType.Page, selecting)}
          />
          {selectedCount > 0 && (
            <Text as="span" variant="bodySm" tone="subdued">
              {t("trackings.card.selected", { count: selectedCount })}
            </Text>
          )}
        </InlineStack>
        {selectedCount > 0 && (
          <Popover
            active={open}
            onClose={() => setOpen(false)}
            preferredAlignment="right"
            activator={
              <Button disclosure size="slim" onClick={() => setOpen((value) => !value)}>
                {t("trackings.card.actions")}
              </Button>
            }
          >
            <ActionList actionRole="menuitem" onActionAnyItem={() => setOpen(false)} items={actions} />
          </Popover>
        )}
      </InlineStack>
    </Box>
  );
}
