// The free-text fields of a tracking that a merchant may edit: the detail page's form shows
// them and the change queue (tracking-changes.server.ts) accepts them. Not a .server module,
// so the browser's form can import the same list.
export const EDITABLE_TEXT_FIELDS = [
  "title",
  "tmOrderId",
  "customerName",
  "customerEmail",
  "customerPhone",
  "destinationCode",
  "logisticsChannel",
] as const;

export type EditableTextField = (typeof EDITABLE_TEXT_FIELDS)[number];
