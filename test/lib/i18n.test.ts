import { describe, expect, it } from "vitest";
import { messages, resolveLocale, translate } from "~/i18n";

describe("i18n", () => {
  it("has every English string in every other locale", () => {
    const reference = Object.keys(messages.en).sort();
    for (const [locale, table] of Object.entries(messages)) {
      expect(Object.keys(table).sort(), locale).toEqual(reference);
      for (const [key, value] of Object.entries(table)) expect(value, `${locale} ${key}`).not.toBe("");
    }
  });

  it("keeps the same placeholders in every translation", () => {
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const [key, english] of Object.entries(messages.en)) {
      for (const [locale, table] of Object.entries(messages)) {
        expect(placeholders((table as Record<string, string>)[key]), `${locale} ${key}`).toEqual(
          placeholders(english),
        );
      }
    }
  });

  it("chooses Simplified Chinese for zh locales and English otherwise", () => {
    expect(resolveLocale("zh-CN")).toBe("zh-CN");
    expect(resolveLocale("en-US")).toBe("en");
    expect(resolveLocale(null)).toBe("en");
    expect(translate("zh-CN", "nav.settings")).toBe("设置");
  });
});
