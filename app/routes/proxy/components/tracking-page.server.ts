import { translate, type Locale, type MessageKey } from "~/i18n";
import type { StorefrontParcel } from "~/models/storefront-tracking.server";
import { formatEstimateRange } from "~/models/delivery-promise/view";

// The storefront tracking page as Liquid for the shop's theme: plain HTML and a little inline
// CSS. Every value a customer or carrier wrote is escaped for HTML *and* Liquid (`{`, `}`), so
// a checkpoint reading "{{ shop.metafields }}" stays text instead of being rendered by Shopify.

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "{": "&#123;",
  "}": "&#125;",
};

export function escapeForLiquid(value: string): string {
  return value.replace(/[&<>"'{}]/g, (c) => ENTITIES[c]);
}

class SafeHtml {
  constructor(readonly value: string) {}
}

/** A template whose interpolations are escaped unless they are themselves `html` fragments. */
function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, i) => {
    const parts = Array.isArray(value) ? value : [value];
    for (const part of parts) {
      if (part instanceof SafeHtml) out += part.value;
      else if (part !== null && part !== undefined && part !== false) out += escapeForLiquid(String(part));
    }
    out += strings[i + 1];
  });
  return new SafeHtml(out);
}

export type TrackingPageState =
  | { kind: "form" }
  | { kind: "missing_input" }
  | { kind: "not_found" }
  | { kind: "rate_limited" }
  | { kind: "found"; orderNumber: string; parcels: StorefrontParcel[] };

export interface TrackingPageProps {
  locale: Locale;
  /** Where the storefront form posts: the proxy's public path, e.g. "/apps/trackbridge". */
  formAction: string;
  orderNumber?: string;
  email?: string;
  state: TrackingPageState;
}

const STYLE = `
.tb-track{max-width:40rem;margin:2rem auto;padding:0 1rem;font:inherit}
.tb-track form{display:grid;gap:.75rem;margin:1rem 0 2rem}
.tb-track label{display:grid;gap:.25rem}
.tb-track input{padding:.5rem;font:inherit;border:1px solid #999;border-radius:4px}
.tb-track button{padding:.6rem 1rem;font:inherit;cursor:pointer}
.tb-track .tb-notice{padding:.75rem;border:1px solid #ccc;border-radius:4px}
.tb-track .tb-parcel{border:1px solid #ddd;border-radius:6px;padding:1rem;margin:0 0 1rem}
.tb-track dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1rem}
.tb-track dt{font-weight:600}
.tb-track dd{margin:0}
.tb-track ol{list-style:none;margin:0;padding:0 0 0 1rem;border-left:2px solid #ccc}
.tb-track li{margin:0 0 .75rem}
.tb-track time,.tb-track .tb-location{display:block;font-size:.875em;opacity:.75}
`;

function formatTime(iso: string | null, locale: Locale): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleString(locale === "zh-CN" ? "zh-CN" : "en-US", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "UTC",
  });
}

function statusWords(locale: Locale, status: string): string {
  const key = `status.${status}` as MessageKey;
  const words = translate(locale, key);
  return words === key ? status : words;
}

function estimateHtml(locale: Locale, parcel: StorefrontParcel): SafeHtml | string {
  const estimate = parcel.estimate;
  if (!estimate) return "";
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
  return html`<dt>${t("estimate.title")}</dt>
    <dd data-estimate="${estimate.state}">
      ${
        estimate.state === "late"
          ? t("estimate.late")
          : html`${formatEstimateRange(estimate, locale)}
              <span class="tb-location"
                >${t("storefront.estimateConfidence", { percent: estimate.confidence })}</span
              >`
      }
    </dd>`;
}

function parcelHtml(locale: Locale, parcel: StorefrontParcel, index: number, total: number): SafeHtml {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
  const lastEvent = parcel.lastEvent ?? parcel.checkpoints[0]?.description ?? null;
  const lastEventAt = parcel.lastEventAt ?? parcel.checkpoints[0]?.time ?? null;
  return html`<section class="tb-parcel" data-tracking-number="${parcel.trackingNumber}">
    <h3>${t("storefront.parcel", { number: index + 1, total })}</h3>
    <dl>
      <dt>${t("storefront.carrier")}</dt>
      <dd>${parcel.carrierName}</dd>
      <dt>${t("storefront.trackingNumber")}</dt>
      <dd>${parcel.trackingNumber}</dd>
      <dt>${t("storefront.status")}</dt>
      <dd data-status="${parcel.status}">${statusWords(locale, parcel.status)}</dd>
      ${estimateHtml(locale, parcel)}
      <dt>${t("storefront.lastEvent")}</dt>
      <dd>
        ${lastEvent ?? t("storefront.noEvents")}${
          lastEventAt ? html` <time datetime="${lastEventAt}">${formatTime(lastEventAt, locale)}</time>` : ""
        }
      </dd>
    </dl>
    ${
      parcel.checkpoints.length
        ? html`<h4>${t("storefront.timeline")}</h4>
            <ol>
              ${parcel.checkpoints.map(
                (c) =>
                  html`<li>
                    ${c.time ? html`<time datetime="${c.time}">${formatTime(c.time, locale)}</time>` : ""}${
                      c.description
                    }${c.location ? html`<span class="tb-location">${c.location}</span>` : ""}
                  </li>`,
              )}
            </ol>`
        : ""
    }
  </section>`;
}

function noticeHtml(locale: Locale, state: TrackingPageState): SafeHtml | "" {
  const t = (key: MessageKey) => translate(locale, key);
  switch (state.kind) {
    case "missing_input":
      return html`<p class="tb-notice" role="alert">${t("storefront.missingInput")}</p>`;
    case "not_found":
      return html`<p class="tb-notice" role="status">${t("storefront.notFound")}</p>`;
    case "rate_limited":
      return html`<p class="tb-notice" role="alert">${t("storefront.rateLimited")}</p>`;
    default:
      return "";
  }
}

/** The page's Liquid body (inside the theme's layout). */
export function renderTrackingPage(props: TrackingPageProps): string {
  const { locale, state } = props;
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
  const results =
    state.kind === "found"
      ? html`<h2>${t("storefront.resultsHeading", { order: state.orderNumber })}</h2>
          ${state.parcels.map((p, i) => parcelHtml(locale, p, i, state.parcels.length))}`
      : "";
  return html`<style>
      ${new SafeHtml(STYLE)}
    </style>
    <div class="tb-track">
      <h1>${t("storefront.title")}</h1>
      <p>${t("storefront.intro")}</p>
      <form method="post" action="${props.formAction}">
        <label
          >${t("storefront.orderNumber")}<input
            name="order"
            required
            autocomplete="off"
            placeholder="#1001"
            value="${props.orderNumber ?? ""}"
        /></label>
        <label
          >${t("storefront.email")}<input
            name="email"
            type="email"
            required
            autocomplete="email"
            value="${props.email ?? ""}"
        /></label>
        <button type="submit">${t("storefront.submit")}</button>
      </form>
      ${noticeHtml(locale, state)} ${results}
    </div>`.value;
}
