import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { readJson, root, uiExtensions } from "./helpers";

// The UI extensions as the Shopify CLI would bundle them (esbuild, Preact's JSX), offline, with
// the @shopify/ui-extensions release their package.json names, and type-checked against it.

const run = promisify(execFile);
const app = parse(readFileSync(path.join(root, "shopify.app.toml"), "utf8")) as {
  webhooks: { api_version: string };
};
const installedUiExtensions = readJson<{ version: string }>(
  path.join(root, "node_modules/@shopify/ui-extensions/package.json"),
).version;

const folders = uiExtensions();

describe("UI extensions", () => {
  it("there is at least one", () => {
    expect(folders.map((f) => f.name)).toContain("order-tracking-block");
  });

  describe.each(folders.map((folder) => [folder.name, folder] as const))("%s", (_name, folder) => {
    it("targets the app's API version with the matching @shopify/ui-extensions release", () => {
      expect(folder.toml.api_version).toBe(app.webhooks.api_version);
      const pkg = readJson<{ dependencies: Record<string, string> }>(path.join(folder.dir, "package.json"));
      // What the tests bundle is what the CLI installs for the extension.
      expect(pkg.dependencies["@shopify/ui-extensions"]).toBe(installedUiExtensions);
      const [year, month] = folder.toml.api_version!.split("-").map(Number);
      expect(installedUiExtensions.startsWith(`${year}.${month}.`)).toBe(true);
    });

    it("every target's module bundles", async () => {
      const modules = folder.toml.extensions!.flatMap((e) => e.targeting ?? []).map((t) => t.module);
      expect(modules.length).toBeGreaterThan(0);
      for (const module of modules) {
        const result = await build({
          entryPoints: [path.join(folder.dir, module)],
          absWorkingDir: folder.dir,
          bundle: true,
          write: false,
          format: "esm",
          target: "es2020",
          jsx: "automatic",
          jsxImportSource: "preact",
          logLevel: "silent",
        });
        expect(result.errors).toEqual([]);
        expect(result.outputFiles[0].text.length).toBeGreaterThan(1000);
      }
    });

    it("type-checks against its @shopify/ui-extensions", async () => {
      const tsc = path.join(root, "node_modules/typescript/bin/tsc");
      const result = await run(
        process.execPath,
        [tsc, "--noEmit", "-p", path.join(folder.dir, "tsconfig.json")],
        {
          cwd: root,
        },
      ).catch((error: { stdout: string }) => ({ stdout: error.stdout, failed: true }));
      expect(result.stdout).toBe("");
    }, 60_000);
  });
});
