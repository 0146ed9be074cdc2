// Running the production build as its own process, for the demo and the benchmark: build it if
// it is stale, migrate a database, start `node scripts/serve.mjs`, wait until it answers.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The V8 flags `npm start` gives the server (package.json): a young generation twice the
 * default, so a webhook burst's short-lived request objects cost fewer collections.
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=32"];

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// Demo credentials: not secrets, they only ever sign requests on this machine.
export const DEMO_SHOPIFY_API_KEY = "trackbridge-demo-client-id";
export const DEMO_SHOPIFY_API_SECRET = "trackbridge-demo-client-secret";
export const DEMO_ENCRYPTION_KEY = "d3e0".repeat(16);
export const DEMO_SCOPES = "read_orders,read_fulfillments,write_fulfillments,write_app_proxy";

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the app (`remix build`) when build/ is missing or older than app/. */
export function ensureBuild(log: (line: string) => void): void {
  const built = path.join(root, "build/index.js");
  if (existsSync(built) && statSync(built).mtimeMs >= newestMtime(path.join(root, "app"))) return;
  log(existsSync(built) ? "app/ changed since the last build: building…" : "no build yet: building…");
  const result = spawnSync(path.join(root, "node_modules/.bin/remix"), ["build"], {
    cwd: root,
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`remix build failed:\n${result.stdout}\n${result.stderr}`);
  }
}

/** Applies the committed migrations to the database DATABASE_URL names. */
export function migrateDatabase(databaseUrl: string): void {
  const result = spawnSync(process.execPath, [path.join(root, "scripts/db.mjs"), "deploy"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  if (result.status !== 0)
    throw new Error(`migrating ${databaseUrl} failed:\n${result.stdout}\n${result.stderr}`);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "0.0.0.0", () => server.close(() => resolve(true)));
  });
}

/** `preferred` when nothing listens there, otherwise a port the system picks. */
export async function choosePort(preferred: number): Promise<number> {
  if (preferred > 0 && (await portIsFree(preferred))) return preferred;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface AppEnvironmentOptions {
  port: number;
  databaseUrl: string;
  trackingMoreBaseUrl: string;
  logLevel?: string;
  extra?: Record<string, string>;
}

/** The environment the app runs with for the demo and the benchmark (demo credentials). */
export function appEnvironment(options: AppEnvironmentOptions): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    PORT: String(options.port),
    SHOPIFY_API_KEY: DEMO_SHOPIFY_API_KEY,
    SHOPIFY_API_SECRET: DEMO_SHOPIFY_API_SECRET,
    SHOPIFY_APP_URL: `http://localhost:${options.port}`,
    SCOPES: DEMO_SCOPES,
    DATABASE_URL: options.databaseUrl,
    TRACKBRIDGE_ENCRYPTION_KEY: DEMO_ENCRYPTION_KEY,
    TRACKINGMORE_BASE_URL: options.trackingMoreBaseUrl,
    RUN_WORKER_IN_WEB: "true",
    LOG_LEVEL: options.logLevel ?? "info",
    ...(process.env.BENCH_APP_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_APP_NODE_OPTIONS } : {}),
    ...options.extra,
  };
}

export interface AppServer {
  url: string;
  pid: number;
  process: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: 1000 }, (response) => {
      response.resume();
      resolve(true);
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(false));
  });
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/**
 * Starts `node scripts/serve.mjs` (or another server script) with `env`, its output going to
 * `logFile`, and resolves once it answers HTTP on 127.0.0.1:PORT (at most `startTimeoutMs`).
 */
export async function startAppServer(
  env: NodeJS.ProcessEnv,
  logFile: string,
  startTimeoutMs = 30_000,
  script = "scripts/serve.mjs",
): Promise<AppServer> {
  const fd = openSync(logFile, "w");
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, path.join(root, script)], {
    cwd: root,
    env,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  let exited: number | null | undefined;
  const exitPromise = new Promise<void>((resolve) =>
    child.once("exit", (code) => {
      exited = code;
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + startTimeoutMs;
  while (!(await answers(`${url}/`))) {
    if (exited !== undefined)
      throw new Error(`the app exited (code ${exited}) while starting:\n${tail(logFile)}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the app did not answer within ${startTimeoutMs} ms:\n${tail(logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid!,
    process: child,
    logFile,
    async stop() {
      if (exited !== undefined) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exitPromise;
      clearTimeout(killer);
    },
  };
}
