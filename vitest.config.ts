import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "~": path.resolve(__dirname, "app"),
      // The generated Prisma clients (scripts/db.mjs); Vite would read the leading dot as a path.
      ".prisma-trackbridge": path.resolve(__dirname, "node_modules/.prisma-trackbridge"),
    },
  },
  test: {
    environment: "node",
    include: ["test/**/*.test.{ts,tsx}", "app/**/*.test.{ts,tsx}"],
    exclude: ["**/node_modules/**"],
    globalSetup: ["test/support/global-setup.ts"],
    setupFiles: ["test/support/setup-file.ts"],
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // .ci/run asks for a JSON report too, to print the pass/fail count CI reads.
    reporters: process.env.VITEST_JSON ? ["default", "json"] : ["default"],
    outputFile: process.env.VITEST_JSON ? { json: process.env.VITEST_JSON } : undefined,
  },
});
