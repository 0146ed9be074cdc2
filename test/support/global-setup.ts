import { randomBytes } from "node:crypto";
import {
  createPostgresTemplate,
  createSqliteTemplate,
  dropPostgresDatabases,
  removeSqliteRun,
  testProvider,
} from "./databases";

// One run id per `vitest run`: every database this run makes carries it, so concurrent runs on
// one machine never meet, and teardown removes exactly what this run made.
export default async function setup() {
  const runId = `${process.pid}_${randomBytes(3).toString("hex")}`;
  process.env.TRACKBRIDGE_TEST_RUN = runId;
  if (testProvider() === "postgresql") {
    await createPostgresTemplate(runId);
    return async () => dropPostgresDatabases(`tb_${runId}_`);
  }
  createSqliteTemplate(runId);
  return async () => removeSqliteRun(runId);
}
