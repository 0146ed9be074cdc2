// A bounded load generator for loopback benchmarks: N requests at a fixed concurrency over
// keep-alive connections, with per-request latency, and a memory sampler for a server process.
import { readFileSync } from "node:fs";
import http from "node:http";
import { deliveryHeaders, type SignedDelivery } from "../../devkit/shopify";

export interface LoadResult {
  sent: number;
  /** Answered 2xx. */
  acknowledged: number;
  /** status → count, for anything not 2xx; "error" for failed requests. */
  failures: Record<string, number>;
  elapsedMs: number;
  /** Acknowledged requests per second over the whole run. */
  throughput: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** The run was cut short by the time bound. */
  timedOut: boolean;
}

export interface PostAnswer {
  status: number;
  /** Time from sending the request to the end of the response, in milliseconds. */
  latencyMs: number;
}

/** POSTs `body` to `url` (over `agent`'s keep-alive connections) and reads the whole answer. */
export function postBody(
  url: URL | string,
  body: string,
  options: { agent?: http.Agent; headers?: http.OutgoingHttpHeaders; timeoutMs?: number } = {},
): Promise<PostAnswer> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: "POST",
        agent: options.agent,
        timeout: options.timeoutMs ?? 10_000,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          ...options.headers,
        },
      },
      (response) => {
        response.resume();
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            latencyMs: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer from ${String(url)} in time`)));
    request.on("error", reject);
    request.end(body);
  });
}

/** POSTs a signed Shopify delivery to `${appUrl}/webhooks/<topic>` with Shopify's headers. */
export function sendDelivery(
  appUrl: string,
  delivery: SignedDelivery,
  options: { agent?: http.Agent; timeoutMs?: number } = {},
): Promise<PostAnswer> {
  return postBody(new URL(`/webhooks/${delivery.topic}`, appUrl), delivery.body, {
    ...options,
    headers: deliveryHeaders(delivery),
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/**
 * Sends `count` requests, `concurrency` at a time; `send(i, agent)` makes request i and resolves
 * with its HTTP status and latency. Stops starting new requests after `maxDurationMs`.
 */
export async function runLoad(options: {
  count: number;
  concurrency: number;
  maxDurationMs: number;
  send: (index: number, agent: http.Agent) => Promise<{ status: number; latencyMs: number }>;
}): Promise<LoadResult> {
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: options.concurrency,
    maxFreeSockets: options.concurrency,
  });
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let next = 0;
  let acknowledged = 0;
  let timedOut = false;
  const started = performance.now();
  const deadline = started + options.maxDurationMs;

  async function worker() {
    while (next < options.count) {
      if (performance.now() > deadline) {
        timedOut = true;
        return;
      }
      const index = next++;
      try {
        const answer = await options.send(index, agent);
        latencies.push(answer.latencyMs);
        if (answer.status >= 200 && answer.status < 300) acknowledged++;
        else failures[answer.status] = (failures[answer.status] ?? 0) + 1;
      } catch {
        failures.error = (failures.error ?? 0) + 1;
      }
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedMs = performance.now() - started;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    sent: Math.min(next, options.count),
    acknowledged,
    failures,
    elapsedMs,
    throughput: acknowledged / (elapsedMs / 1000),
    latencyMs: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1] ?? NaN,
      mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    },
    timedOut,
  };
}

function statusField(pid: number, field: string): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .find((l) => l.startsWith(`${field}:`));
    return line ? Number(line.split(/\s+/)[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's resident memory; `stop()` returns the peak (max of samples and VmHWM). */
export function sampleMemory(pid: number, everyMs = 100) {
  let peakRss = statusField(pid, "VmRSS") ?? 0;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, statusField(pid, "VmRSS") ?? 0);
  }, everyMs);
  return {
    /** Bytes. Call before the process exits so VmHWM can still be read. */
    stop(): { peakRssBytes: number; highWaterMarkBytes: number | null } {
      clearInterval(timer);
      const hwm = statusField(pid, "VmHWM");
      peakRss = Math.max(peakRss, statusField(pid, "VmRSS") ?? 0);
      return { peakRssBytes: Math.max(peakRss, hwm ?? 0), highWaterMarkBytes: hwm };
    },
  };
}
