import { useNavigation, useSearchParams } from "@remix-run/react";
import { Card, Select } from "@shopify/polaris";
import { useTranslation } from "~/i18n";

/**
 * The page's period ("Last 30 days"), kept in the URL's `period` so that a link or a reload
 * shows the same figures. The loader parses it against the same list of periods.
 */
export function PeriodSelect({ periods, value }: { periods: readonly number[]; value: number }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const [searchParams, setSearchParams] = useSearchParams();
  return (
    <Card>
      <Select
        label={t("period.label")}
        labelInline
        disabled={navigation.state === "loading"}
        options={periods.map((days) => ({
          label: t("period.lastDays", { count: days }),
          value: String(days),
        }))}
        value={String(value)}
        onChange={(selected) => {
          const next = new URLSearchParams(searchParams);
          next.set("period", selected);
          setSearchParams(next, { replace: true });
        }}
      />
    </Card>
  );
}
