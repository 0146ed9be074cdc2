import { useFetcher } from "@remix-run/react";
import { Autocomplete, InlineStack, Text } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "~/i18n";

/** A carrier as the merchant sees it (its name) and as TrackingMore knows it (its code). */
export interface CarrierChoice {
  code: string;
  name: string;
}

interface SearchAnswer {
  ok: boolean;
  carriers?: CarrierChoice[];
}

const SEARCH_URL = "/app/carriers/search";
const TYPING_PAUSE_MS = 200;

interface Props {
  label: string;
  value: CarrierChoice | null;
  /** Null while what is typed is not (yet) a carrier picked from the list. */
  onChange(choice: CarrierChoice | null): void;
  error?: string;
  helpText?: string;
}

/**
 * A searchable carrier field: the merchant types part of a name or code ("dhl", "顺丰") and picks
 * from the best matches, which the server looks up as they type (routes/app.carriers.search).
 */
export function CarrierPicker({ label, value, onChange, error, helpText }: Props) {
  const { t } = useTranslation();
  const fetcher = useFetcher<SearchAnswer>();
  const [text, setText] = useState(value?.name ?? "");
  const [asked, setAsked] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  // A choice made elsewhere (the form reset after a save) shows its name; clearing the choice
  // while typing keeps what was typed.
  useEffect(() => {
    if (value) setText(value.name);
  }, [value]);

  const ask = (query: string) => {
    setAsked(query);
    fetcher.load(`${SEARCH_URL}?${new URLSearchParams({ q: query.trim() })}`);
  };
  const type = (next: string) => {
    setText(next);
    if (value && next !== value.name) onChange(null);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => ask(next), TYPING_PAUSE_MS);
  };

  const found = fetcher.data?.carriers ?? [];
  const options = found.map((carrier) => ({
    value: carrier.code,
    label: (
      <InlineStack gap="200" blockAlign="baseline" wrap={false}>
        <Text as="span">{carrier.name}</Text>
        <Text as="span" variant="bodySm" tone="subdued">
          {carrier.code}
        </Text>
      </InlineStack>
    ),
  }));

  return (
    <Autocomplete
      options={options}
      selected={value ? [value.code] : []}
      loading={fetcher.state === "loading"}
      emptyState={
        asked?.trim() && fetcher.state === "idle" ? (
          <div style={{ padding: "var(--p-space-200) var(--p-space-300)" }}>
            <Text as="p" tone="subdued">
              {t("carrierPicker.noMatch", { query: asked.trim() })}
            </Text>
          </div>
        ) : undefined
      }
      onSelect={([code]) => {
        const carrier = found.find((c) => c.code === code);
        if (!carrier) return;
        setText(carrier.name);
        onChange(carrier);
      }}
      textField={
        <Autocomplete.TextField
          label={label}
          autoComplete="off"
          value={text}
          onChange={type}
          // The shop's own carriers, before anything is typed.
          onFocus={() => asked === null && ask(value ? "" : text)}
          placeholder={t("carrierPicker.placeholder")}
          helpText={helpText ?? (value ? t("carrierPicker.code", { code: value.code }) : undefined)}
          error={error}
        />
      }
    />
  );
}
