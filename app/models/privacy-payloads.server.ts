// What a customers/redact must also reach besides the tracking rows: the bodies we keep until
// they are worked off (Shopify deliveries waiting in the inbox, TrackingMore pushes waiting to
// be applied). A body that concerns the customer keeps its shape (the work still gets done)
// but loses every personal field, wherever in the body it sits.

/** Fields that name, reach or locate a person in Shopify's and TrackingMore's bodies. */
const PERSONAL_FIELDS = new Set([
  "name",
  "first_name",
  "last_name",
  "email",
  "contact_email",
  "phone",
  "address1",
  "address2",
  "zip",
  "latitude",
  "longitude",
  "company",
  "customer_name",
  "customer_email",
  "customer_phone",
  "note",
]);

/** The objects whose `name` is a person's (a line item's or a shop's name is not). */
const PERSON_HOLDERS = new Set([
  "destination",
  "customer",
  "shipping_address",
  "billing_address",
  "default_address",
  "origin_address",
]);

export interface CustomerMatch {
  /** Lower-cased. */
  email: string | null;
  phone: string | null;
  orderIds: Set<string>;
}

const normalizedPhone = (phone: string) => phone.replace(/[^\d+]/g, "");

/** True when any string in the body is the customer's email (any case) or phone. */
function mentionsCustomer(value: unknown, match: CustomerMatch): boolean {
  if (typeof value === "string") {
    if (match.email && value.trim().toLowerCase() === match.email) return true;
    return Boolean(match.phone && normalizedPhone(value) !== "" && normalizedPhone(value) === match.phone);
  }
  if (Array.isArray(value)) return value.some((item) => mentionsCustomer(item, match));
  if (typeof value === "object" && value !== null)
    return Object.values(value).some((item) => mentionsCustomer(item, match));
  return false;
}

function orderIdOf(body: Record<string, unknown>): string | null {
  const id = body.order_id ?? body.orderId;
  return typeof id === "string" || typeof id === "number" ? String(id) : null;
}

function stripPersonalFields(value: unknown, holder: string | null): unknown {
  if (Array.isArray(value)) return value.map((item) => stripPersonalFields(item, holder));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const personal =
      PERSONAL_FIELDS.has(key) && (key !== "name" || (holder !== null && PERSON_HOLDERS.has(holder)));
    out[key] = personal ? null : stripPersonalFields(item, key);
  }
  return out;
}

export function customerMatchOf(reference: {
  email?: string | null;
  phone?: string | null;
  orders?: (number | string)[] | null;
}): CustomerMatch {
  const email = reference.email?.trim().toLowerCase() || null;
  const phone = reference.phone ? normalizedPhone(reference.phone) || null : null;
  return { email, phone, orderIds: new Set((reference.orders ?? []).map(String).filter(Boolean)) };
}

/**
 * The body without the customer's personal fields when it concerns the customer (their email or
 * phone appears in it, or it is one of their orders); null when it does not concern them (or
 * is not JSON), so it is left as it is. `concernsCustomer` says so already (a push of one of
 * their parcels).
 */
export function redactCustomerFromBody(
  raw: string,
  match: CustomerMatch,
  { concernsCustomer = false }: { concernsCustomer?: boolean } = {},
): string | null {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof body !== "object" || body === null) return null;
  const orderId = Array.isArray(body) ? null : orderIdOf(body as Record<string, unknown>);
  const concerns =
    concernsCustomer || (orderId !== null && match.orderIds.has(orderId)) || mentionsCustomer(body, match);
  return concerns ? JSON.stringify(stripPersonalFields(body, null)) : null;
}
