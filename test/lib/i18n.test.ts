import { describe, expect, it } from "vitest";
import { messages, resolveLocale, translate } from "~/i18n";
import { createFormatters } from "~/i18n/format";

// i18next plural keys end in a CLDR category; each locale has the categories its language uses.
const PLURAL = /_(zero|one|two|few|many|other)$/;
const baseKeys = (table: Record<string, string>) =>
  [...new Set(Object.keys(table).map((k) => k.replace(PLURAL, "")))].sort();

describe("i18n", () => {
  it("has every English string in every other locale", () => {
    const reference = baseKeys(messages.en);
    for (const [locale, table] of Object.entries(messages)) {
      expect(baseKeys(table), locale).toEqual(reference);
      for (const [key, value] of Object.entries(table)) expect(value, `${locale} ${key}`).not.toBe("");
    }
  });

  it("has every plural form each language needs", () => {
    for (const [locale, table] of Object.entries(messages)) {
      const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      const counted = baseKeys(messages.en).filter((k) => `${k}_other` in messages.en);
      for (const key of counted)
        for (const category of categories)
          expect(table, `${locale} ${key}`).toHaveProperty([`${key}_${category}`]);
    }
  });

  it("keeps the same placeholders in every translation", () => {
    const placeholders = (s: string) => [...new Set(s.match(/\{\{\w+\}\}/g) ?? [])].sort();
    for (const [key, english] of Object.entries(messages.en)) {
      const base = key.replace(PLURAL, "");
      for (const [locale, table] of Object.entries(messages)) {
        const translated =
          (table as Record<string, string>)[key] ?? (table as Record<string, string>)[`${base}_other`];
        expect(placeholders(translated), `${locale} ${key}`).toEqual(placeholders(english));
      }
    }
  });

  it("chooses Simplified Chinese for zh locales and English otherwise", () => {
    expect(resolveLocale("zh-CN")).toBe("zh-CN");
    expect(resolveLocale("en-US")).toBe("en");
    expect(resolveLocale(null)).toBe("en");
    expect(translate("zh-CN", "nav.settings")).toBe("设置");
  });

  it("says one tracking, and zero or many trackings", () => {
    expect(translate("en", "bulk.toast", { count: 1 })).toBe("1 tracking updated");
    expect(translate("en", "bulk.toast", { count: 0 })).toBe("0 trackings updated");
    expect(translate("en", "bulk.resultSynced", { count: 1 })).toBe("1 accepted by TrackingMore.");
    expect(translate("zh-CN", "bulk.toast", { count: 1 })).toBe("已更新 1 个跟踪");
  });

  it("formats dates in the shop's time zone and numbers in the merchant's language", () => {
    const shanghai = createFormatters("en", "Asia/Shanghai");
    expect(shanghai.date("2026-11-30T20:30:00Z")).toBe("Dec 1, 2026");
    expect(createFormatters("en", "America/New_York").date("2026-11-30T20:30:00Z")).toBe("Nov 30, 2026");
    expect(createFormatters("zh-CN", "Asia/Shanghai").dateTime("2026-11-30T20:30:00Z")).toBe(
      "2026年12月1日 04:30",
    );
    expect(shanghai.number(1234565)).toBe("1,234,565");
    // An unknown zone falls back to UTC rather than failing the page.
    expect(createFormatters("en", "Mars/Olympus").timeZone).toBe("UTC");
  });
});
