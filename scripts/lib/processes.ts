// The app's processes for benchmarks and multi-process tests: the TrackingMore emulator and
// `npm run worker` processes, each a child of the caller, and the operator CLI.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, openSync, writeFileSync } from "node:fs";
import path from "node:path";
import { root } from "./app-server";
import type { FaultConfig } from "../../devkit/emulator/faults";

function tsx(): string {
  return path.join(root, "node_modules/.bin/tsx");
}

export interface EmulatorProcess {
  baseUrl: string;
  origin: string;
  /** Fault injection through the emulator's control endpoint (see devkit/emulator/README.md). */
  setFaults(faults: FaultConfig): Promise<void>;
  stop(): Promise<void>;
}

/** The emulator in a process of its own; `accounts` as `key:email:quota`. */
export async function startEmulatorProcess(logDir: string, accounts: string[]): Promise<EmulatorProcess> {
  const child: ChildProcess = spawn(
    tsx(),
    ["devkit/emulator/main.ts", "--port", "0", ...accounts.flatMap((account) => ["--account", account])],
    {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`the emulator did not start:\n${seen}`)), 20_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening at (\S+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => (seen += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`the emulator exited (${code}):\n${seen}`)));
  });
  const origin = new URL(baseUrl).origin;
  // The benchmark reads the emulator's listing several times a second to time the drain; lifting
  // the list endpoint's 1/s limit keeps those reads from spending the app's allowance. The
  // create endpoints keep the default limit the drain minimum is computed from.
  await fetch(`${origin}/__emulator/rate-limits`, {
    method: "POST",
    body: JSON.stringify({ listPerSecond: 0 }),
  });
  writeFileSync(path.join(logDir, "emulator.url"), baseUrl);
  return {
    baseUrl,
    origin,
    setFaults: async (faults) => {
      await fetch(`${origin}/__emulator/faults`, { method: "POST", body: JSON.stringify(faults) });
    },
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

/** `app/cli/worker.ts` in one node process (no tsx wrapper), so its memory can be sampled. */
export function startWorkerProcess(env: NodeJS.ProcessEnv, logFile: string) {
  const fd = openSync(logFile, "w");
  const child = spawn(process.execPath, ["--import", "tsx", "app/cli/worker.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return {
    pid: child.pid!,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

export function runShopCli(env: NodeJS.ProcessEnv, ...args: string[]) {
  const result = spawnSync(tsx(), ["app/cli/shop.ts", ...args], {
    cwd: root,
    env: { ...env, LOG_LEVEL: "warn" },
    encoding: "utf8",
  });
  if (result.status !== 0)
    throw new Error(`npm run shop -- ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
}

export async function emulatorStats(origin: string) {
  const response = await fetch(`${origin}/__emulator/stats`);
  return (await response.json()) as {
    calls: Record<string, Record<string, number>>;
    rateLimited: number;
    injected: Record<string, number>;
    createItemsSent: Record<string, Record<string, number>>;
  };
}
