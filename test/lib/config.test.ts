import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "~/config.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://app.example.com/",
  SCOPES: "read_orders, write_fulfillments",
  DATABASE_URL: "file:./prisma/dev.sqlite",
  TRACKBRIDGE_ENCRYPTION_KEY: "ab".repeat(32),
};

describe("loadConfig", () => {
  it("reads a complete environment with its defaults", () => {
    const config = loadConfig(valid);
    expect(config.appUrl).toBe("https://app.example.com");
    expect(config.scopes).toEqual(["read_orders", "write_fulfillments"]);
    expect(config.databaseProvider).toBe("sqlite");
    expect(config.trackingMoreBaseUrl).toBe("https://api.trackingmore.com/v2");
    expect(config.encryptionKey).toHaveLength(32);
    expect(config.port).toBe(3000);
  });

  it("recognises PostgreSQL URLs", () => {
    expect(loadConfig({ ...valid, DATABASE_URL: "postgres://u@127.0.0.1:5432/db" }).databaseProvider).toBe(
      "postgresql",
    );
  });

  it.each([
    [{ SHOPIFY_API_SECRET: undefined }, /SHOPIFY_API_SECRET is not set/],
    [{ SHOPIFY_APP_URL: "not a url" }, /SHOPIFY_APP_URL is not a valid URL/],
    [{ DATABASE_URL: "mysql://x" }, /DATABASE_URL must be a file: URL/],
    [{ TRACKBRIDGE_ENCRYPTION_KEY: "short" }, /TRACKBRIDGE_ENCRYPTION_KEY must be 32 bytes/],
    [{ PORT: "http" }, /PORT must be a whole number/],
    [{ TRACKINGMORE_BASE_URL: "ftp://x" }, /TRACKINGMORE_BASE_URL must be a https: or http: URL/],
  ])("rejects %o with a message naming the variable", (override, message) => {
    expect(() => loadConfig({ ...valid, ...override })).toThrow(ConfigError);
    expect(() => loadConfig({ ...valid, ...override })).toThrow(message);
  });
});

describe("the built server", () => {
  const root = path.resolve(__dirname, "../..");

  it("prints one clear line and exits non-zero when SHOPIFY_API_SECRET is missing", () => {
    expect(existsSync(path.join(root, "build/index.js")), "run `npm run build` before the tests").toBe(true);
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0" };
    delete env.SHOPIFY_API_SECRET;
    const result = spawnSync(process.execPath, ["scripts/serve.mjs"], {
      cwd: root,
      env,
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(result.status).not.toBe(0);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/^trackbridge: configuration error: SHOPIFY_API_SECRET is not set/),
    ]);
  });
});
