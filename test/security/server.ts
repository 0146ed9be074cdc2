import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { choosePort, root, startAppServer, type AppServer } from "../../scripts/lib/app-server";
import { TEST_API_KEY, TEST_API_SECRET, TEST_ENCRYPTION_KEY, TEST_SCOPES } from "../support/env";

// The production server (`node scripts/serve.mjs` on the build) on this test file's database,
// with the test's app credentials, so the probes sign and forge exactly as in the route tests.

export async function startProductionServer(extra: Record<string, string> = {}): Promise<AppServer> {
  if (!existsSync(path.join(root, "build/index.js"))) throw new Error("run `npm run build` before the tests");
  const port = await choosePort(0);
  const logFile = path.join(mkdtempSync(path.join(tmpdir(), "trackbridge-security-")), "server.log");
  return startAppServer(
    {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      PORT: String(port),
      SHOPIFY_API_KEY: TEST_API_KEY,
      SHOPIFY_API_SECRET: TEST_API_SECRET,
      SHOPIFY_APP_URL: `http://localhost:${port}`,
      SCOPES: TEST_SCOPES,
      DATABASE_URL: process.env.DATABASE_URL,
      TRACKBRIDGE_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      TRACKINGMORE_BASE_URL: process.env.TRACKINGMORE_BASE_URL,
      RUN_WORKER_IN_WEB: "false",
      LOG_LEVEL: "warn",
      ...extra,
    },
    logFile,
  );
}

/** The process's resident set in bytes, from /proc (Linux). */
export function residentBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

/** Samples a process's RSS every few milliseconds while `work` runs; resolves with the peak. */
export async function peakResidentDuring<T>(
  pid: number,
  work: () => Promise<T>,
): Promise<{ result: T; peak: number }> {
  let peak = residentBytes(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, residentBytes(pid));
    } catch {
      // the process is gone: the work's result says why
    }
  }, 5);
  try {
    const result = await work();
    peak = Math.max(peak, residentBytes(pid));
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}

export interface UploadOutcome {
  status: number;
  /** Bytes the client wrote before the answer came (the server never had to read more). */
  sent: number;
}

/**
 * POSTs `totalBytes` of body, streamed in 1 MiB chunks (declared with Content-Length or sent
 * chunked), and stops sending as soon as the server answers. Written on a plain socket: the
 * test process's HTTP client is intercepted (msw), and an attacker's client is not polite.
 */
export function streamUpload(
  url: string,
  {
    totalBytes,
    declareLength,
    headers = {},
  }: { totalBytes: number; declareLength: boolean; headers?: Record<string, string> },
): Promise<UploadOutcome> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const socket = net.connect(Number(target.port), target.hostname);
    const head = [
      `POST ${target.pathname}${target.search} HTTP/1.1`,
      `host: ${target.host}`,
      "content-type: application/json",
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      declareLength ? `content-length: ${totalBytes}` : "transfer-encoding: chunked",
    ].join("\r\n");
    const chunk = Buffer.alloc(2 ** 20, 0x20);
    const framed = declareLength
      ? chunk
      : Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);
    let sent = 0;
    let answer = "";
    let answered = false;
    socket.on("data", (data: Buffer) => {
      answer += data.toString("latin1");
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (!status || answered) return;
      answered = true;
      resolve({ status: Number(status[1]), sent });
      socket.destroy();
    });
    // The server may drop the connection right after its answer; the answer is what counts.
    socket.on("error", (error) => {
      if (!answered) setTimeout(() => (answered ? undefined : reject(error)), 200);
    });
    socket.on("close", () => {
      if (!answered)
        setTimeout(
          () => (answered ? undefined : reject(new Error(`closed unanswered after ${sent} bytes`))),
          200,
        );
    });
    // The headers, a pause (a declared length is refused then: writing on would only race the
    // server's close), then one chunk at a time, a moment apart, so an early answer is read
    // before the next write.
    const pump = () => {
      if (answered || socket.destroyed) return;
      if (sent >= totalBytes) return void (declareLength ? undefined : socket.write("0\r\n\r\n"));
      sent += chunk.length;
      if (socket.write(framed)) setTimeout(pump, 1);
      else socket.once("drain", () => setTimeout(pump, 1));
    };
    socket.once("connect", () => {
      socket.write(`${head}\r\n\r\n`);
      setTimeout(pump, 300);
    });
  });
}
