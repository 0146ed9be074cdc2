// `npm run worker`: the background jobs without the web server, for deployments that run the
// web process with RUN_WORKER_IN_WEB=false and scale workers separately (PostgreSQL: row
// leases keep several workers from sending the same tracking twice).
import { appConfig } from "~/config.server";
import { startBackgroundWork } from "~/jobs/index.server";
import { logger } from "~/logger.server";

try {
  appConfig();
} catch (error) {
  console.error(`trackbridge worker: configuration error: ${(error as Error).message}`);
  process.exit(78);
}

const work = startBackgroundWork();
logger.info({ pid: process.pid }, "worker started");

async function shutdown(signal: string) {
  logger.info({ signal }, "worker stopping");
  await work.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
