import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { startEmulator, type EmulatorHandle } from "../../devkit/emulator";
import { DEMO_TRACKINGMORE_EMAIL, DEMO_TRACKINGMORE_KEY } from "../../scripts/lib/demo-deliveries";

// `npm run demo` as a child process against an emulator the test file owns, so what TrackingMore
// holds is read by the test, not taken from the demo's own report. Needs the production build.

const root = path.resolve(__dirname, "../..");

export interface DemoRun {
  code: number | null;
  output: string;
}

/** For a test file: an emulator with the demo's account and a scratch folder, both removed after. */
export function withDemoRuns(name: string) {
  let emulator: EmulatorHandle | undefined;
  let workDir = "";
  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      accounts: [{ apiKey: DEMO_TRACKINGMORE_KEY, email: DEMO_TRACKINGMORE_EMAIL }],
      rateLimits: { listPerSecond: 0 },
    });
    workDir = mkdtempSync(path.join(tmpdir(), `trackbridge-${name}-`));
  });
  afterAll(async () => {
    await emulator?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });
  return {
    emulator: () => emulator!,
    workDir: () => workDir,
    /** `tsx scripts/demo.ts <args>`; killed after 110 s. */
    run(args: string[]): Promise<DemoRun> {
      return new Promise((resolve) => {
        const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["scripts/demo.ts", ...args], {
          cwd: root,
          env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production" },
        });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        const killer = setTimeout(() => child.kill("SIGKILL"), 110_000);
        child.on("exit", (code) => {
          clearTimeout(killer);
          resolve({ code, output });
        });
      });
    },
  };
}
