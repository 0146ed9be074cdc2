import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { findChromium } from "./chromium";
import {
  createPostgresTemplate,
  createSqliteTemplate,
  dropPostgresDatabases,
  removeSqliteRun,
  testProvider,
} from "./databases";

// One run id per `vitest run`: every database this run makes carries it, so concurrent runs on
// one machine never meet, and teardown removes exactly what this run made.
export default async function setup(project: TestProject) {
  // A run with browser tests and no Chromium stops here with one line saying how to get it,
  // instead of every browser test failing with Playwright's launch errors.
  if (await runIncludesBrowserTests(project)) findChromium();
  const runId = `${process.pid}_${randomBytes(3).toString("hex")}`;
  process.env.TRACKBRIDGE_TEST_RUN = runId;
  if (testProvider() === "postgresql") {
    await createPostgresTemplate(runId);
    return async () => dropPostgresDatabases(`tb_${runId}_`);
  }
  createSqliteTemplate(runId);
  return async () => removeSqliteRun(runId);
}

async function runIncludesBrowserTests(project: TestProject): Promise<boolean> {
  // The file filters given on the command line (`vitest run test/lib`); Vitest keeps them on
  // its instance without typing them. Without them every test file is in the run.
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  const { testFiles } = await project.globTestFiles(filters);
  return testFiles.some((file) => file.endsWith(".e2e.test.ts"));
}
