import { readFileSync } from "node:fs";
import path from "node:path";
import { check } from "@shopify/theme-check-node";
import { describe, expect, it } from "vitest";
import { extensionFolders, root } from "./helpers";

// Shopify's Theme Check with its theme-app-extension rules (each folder's .theme-check.yml):
// Liquid, schema, locales and assets as Shopify checks them when the extension is deployed.

const themeExtensions = extensionFolders().filter((folder) => folder.toml.type === "theme");

// Theme Check refreshes Shopify's Liquid docs from GitHub; point it at the copy its installed
// package ships with, so the check is offline and the same on every run.
process.env.SHOPIFY_TLD_ROOT = path.join(root, "node_modules/@shopify/theme-check-docs-updater");

describe("theme app extensions", () => {
  it("there is at least one", () => {
    expect(themeExtensions.map((f) => f.name)).toContain("tracking-page");
  });

  it.each(themeExtensions.map((folder) => [folder.name, folder.dir] as const))(
    "%s passes Theme Check",
    async (_name, dir) => {
      const offenses = await check(dir, path.join(dir, ".theme-check.yml"));
      expect(
        offenses.map((o) => `${o.check} ${path.relative(dir, new URL(o.uri).pathname)}: ${o.message}`),
      ).toEqual([]);
    },
    60_000,
  );

  it("the tracking link follows the shop's proxy path from the app's metafield", () => {
    const [folder] = themeExtensions.filter((f) => f.name === "tracking-page");
    const liquid = readFileSync(path.join(folder.dir, "blocks/tracking-link.liquid"), "utf8");
    expect(liquid).toContain("app.metafields.trackbridge.proxy_path.value");
    expect(liquid).not.toMatch(/href="[^"]*\/apps\/trackbridge/);
  });
});
