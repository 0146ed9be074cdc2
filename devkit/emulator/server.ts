import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { ApiError, envelope, handlerFor, type ApiContext } from "./api";
import { EmulatorClock, type EmulatorClockOptions } from "./clock";
import { FaultInjector, type FaultConfig, type FaultKind } from "./faults";
import {
  effectiveStatus,
  newAccount,
  newTracking,
  trackingKey,
  trackingToWire,
  type Account,
  type AccountInit,
  type StoredTracking,
} from "./store";
import { WebhookDispatcher, type WebhookDelivery } from "./webhooks";

/** Per account and endpoint class; 0 disables that class. */
export interface EmulatorRateLimits {
  listPerSecond?: number;
  realtimePerSecond?: number;
  /**
   * Endpoints other than list and realtime: unconfirmed in the contract (a third-party summary
   * says 1/s). The emulator defaults to 5/s, matching the client's default; set 1 to be strict.
   */
  defaultPerSecond?: number;
}

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  accounts?: AccountInit[];
  /** false turns rate limiting off. */
  rateLimits?: EmulatorRateLimits | false;
  faults?: FaultConfig;
  clock?: EmulatorClockOptions;
  /** Push URL for every account that has none of its own. */
  webhookUrl?: string;
}

export interface EmulatorStats {
  /** apiKey → endpoint ("POST /trackings/batch") → requests received, faults included. */
  calls: Record<string, Record<string, number>>;
  /** Faults injected by kind. */
  injected: Record<FaultKind, number>;
  /** Genuine 429s from the rate limiter. */
  rateLimited: number;
  /**
   * apiKey → "carrier/number" → how many times a create request that was really handled
   * carried it (accepted or refused as existing): more than 1 is a create sent twice.
   */
  createItemsSent: Record<string, Record<string, number>>;
  webhooksSent: number;
}

export interface EmulatorHandle {
  /** e.g. "http://127.0.0.1:4010/v2" */
  baseUrl: string;
  /** e.g. "http://127.0.0.1:4010" (control endpoints live under /__emulator). */
  origin: string;
  port: number;
  clock: { now(): number; advance(ms: number): number };
  close(): Promise<void>;
  setFaults(faults: FaultConfig): void;
  setRateLimits(limits: EmulatorRateLimits | false): void;
  addAccount(account: AccountInit): void;
  /** Makes the key answer 4002 from now on. */
  deleteAccount(apiKey: string): void;
  setQuota(apiKey: string, quota: number): void;
  /** One account's push URL, or the default for all when apiKey is omitted; null clears. */
  setWebhookUrl(url: string | null, apiKey?: string): void;
  flushWebhooks(): Promise<WebhookDelivery[]>;
  /**
   * Sets what the carrier has said of a tracking (wire fields as /trackings/get answers them),
   * creating the tracking in the account if it is not there yet.
   */
  setCarrierView(apiKey: string, wire: Record<string, unknown>): void;
  stats(): EmulatorStats;
  resetStats(): void;
}

type RateClass = "list" | "realtime" | "default";
const DEFAULT_LIMITS: Required<EmulatorRateLimits> = {
  listPerSecond: 1,
  realtimePerSecond: 3,
  defaultPerSecond: 5,
};

const ROUTES: { method: string; pattern: RegExp; endpoint: string }[] = [
  { method: "GET", pattern: /^\/carriers$/, endpoint: "/carriers" },
  { method: "POST", pattern: /^\/carriers\/detect$/, endpoint: "/carriers/detect" },
  ...["get", "getuserinfo", "getstatusnumber"].map((name) => ({
    method: "GET",
    pattern: new RegExp(`^/trackings/${name}$`),
    endpoint: `/trackings/${name}`,
  })),
  ...[
    "post",
    "batch",
    "updatemore",
    "delete",
    "realtime",
    "update",
    "notupdate",
    "remote",
    "costtime",
    "aircargo",
  ].map((name) => ({
    method: "POST",
    pattern: new RegExp(`^/trackings/${name}$`),
    endpoint: `/trackings/${name}`,
  })),
  ...["GET", "PUT", "DELETE"].map((method) => ({
    method,
    pattern: /^\/trackings\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/,
    endpoint: "/trackings/{carrier}/{number}",
  })),
];

function rateClassOf(endpoint: string): RateClass {
  if (endpoint === "GET /trackings/get") return "list";
  if (endpoint === "POST /trackings/realtime") return "realtime";
  return "default";
}

/** Allows at most N requests in any 1000 ms window, measured on the emulator clock. */
class SlidingWindow {
  private hits: number[] = [];
  allow(now: number, perSecond: number): boolean {
    if (!(perSecond > 0)) return true;
    while (this.hits.length > 0 && this.hits[0] <= now - 1000) this.hits.shift();
    if (this.hits.length >= perSecond) return false;
    this.hits.push(now);
    return true;
  }
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const clock = new EmulatorClock(opts.clock);
  const faults = new FaultInjector(opts.faults);
  const webhooks = new WebhookDispatcher();
  const accounts = new Map<string, Account>();
  const windows = new Map<string, SlidingWindow>();
  let limits: Required<EmulatorRateLimits> | false =
    opts.rateLimits === false ? false : { ...DEFAULT_LIMITS, ...opts.rateLimits };
  let defaultWebhookUrl: string | null = opts.webhookUrl ?? null;
  let stats: EmulatorStats;
  const resetStats = () => {
    stats = {
      calls: {},
      injected: { "500": 0, "503": 0, "429": 0, "4019": 0, drop: 0, dropAfter: 0, timeout: 0 },
      rateLimited: 0,
      webhooksSent: 0,
      createItemsSent: {},
    };
  };
  resetStats();
  // Requests held open by the "timeout" fault; answered never, destroyed on close().
  const hanging = new Set<ServerResponse>();
  const sockets = new Set<Socket>();

  const addAccount = (init: AccountInit) => {
    if (!init.apiKey || !init.email) throw new Error("an account needs apiKey and email");
    accounts.set(init.apiKey, newAccount(init, clock.now()));
  };
  for (const init of opts.accounts ?? []) addAccount(init);

  const accountOrThrow = (apiKey: string) => {
    const account = accounts.get(apiKey);
    if (!account) throw new Error("unknown account");
    return account;
  };

  const pushIfChanged = (account: Account, t: StoredTracking) => {
    const status = effectiveStatus(t, clock.now());
    if (status === t.notifiedStatus) return;
    t.notifiedStatus = status;
    const url = account.webhookUrl ?? defaultWebhookUrl;
    if (url) webhooks.send(url, account.email, trackingToWire(t, clock.now()));
  };

  // Carrier progress happens lazily on read; pushes for it are found when the clock is advanced.
  clock.onAdvance(() => {
    for (const account of accounts.values()) {
      if (!(account.webhookUrl ?? defaultWebhookUrl)) continue;
      for (const t of account.trackings.values()) pushIfChanged(account, t);
    }
  });

  const allowed = (apiKey: string, rateClass: RateClass) => {
    if (!limits) return true;
    const perSecond =
      rateClass === "list"
        ? limits.listPerSecond
        : rateClass === "realtime"
          ? limits.realtimePerSecond
          : limits.defaultPerSecond;
    const id = `${apiKey}\u0000${rateClass}`;
    let window = windows.get(id);
    if (!window) windows.set(id, (window = new SlidingWindow()));
    return window.allow(clock.now(), perSecond);
  };

  const send = (res: ServerResponse, httpStatus: number, body: string) => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(httpStatus, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": Buffer.byteLength(body),
    });
    res.end(body);
  };
  const sendEnvelope = (res: ServerResponse, code: number, data: unknown, message?: string) => {
    const { httpStatus, body } = envelope(code, data, message);
    send(res, httpStatus, body);
  };

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    url: URL,
    rawBody: string,
  ) {
    const method = req.method ?? "GET";
    const candidates = ROUTES.filter((r) => r.pattern.test(path));
    if (candidates.length === 0) return sendEnvelope(res, 404, []);
    const route = candidates.find((r) => r.method === method);
    if (!route) return sendEnvelope(res, 405, []);
    const endpoint = `${method} ${route.endpoint}`;
    const keyHeader = req.headers["trackingmore-api-key"];
    const apiKey = (Array.isArray(keyHeader) ? keyHeader[0] : keyHeader) ?? "";

    const perKey = (stats.calls[apiKey || "(none)"] ??= {});
    perKey[endpoint] = (perKey[endpoint] ?? 0) + 1;

    const fault = faults.pick(endpoint);
    if (fault) stats.injected[fault]++;
    if (fault === "drop") return req.socket.destroy();
    if (fault === "timeout") {
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    if (fault && fault !== "dropAfter") return sendEnvelope(res, Number(fault), []);
    // From here on the request is really handled; a "dropAfter" fault only loses the answer.
    const reply: typeof sendEnvelope = fault === "dropAfter" ? () => void req.socket.destroy() : sendEnvelope;

    const account = accounts.get(apiKey);
    if (!account) return reply(res, 4001, []);
    if (account.deleted) return reply(res, 4002, []);
    if (!allowed(apiKey, rateClassOf(endpoint))) {
      stats.rateLimited++;
      return reply(res, 429, []);
    }

    let body: unknown;
    if (method === "POST" || method === "PUT") {
      try {
        body = rawBody === "" ? undefined : JSON.parse(rawBody);
      } catch {
        // The contract notes 4015 is what real v2 answers to a body that is not JSON.
        return reply(res, 4015, [], "The body is not valid JSON.");
      }
    }
    const match = route.pattern.exec(path)!;
    const ctx: ApiContext = {
      account,
      now: clock.now(),
      body,
      query: url.searchParams,
      params: {
        carrier: match[1] && decodeURIComponent(match[1]),
        number: match[2] && decodeURIComponent(match[2]),
        lang: match[3] && decodeURIComponent(match[3]),
      },
      headers: req.headers,
      statusMayHaveChanged: (t) => pushIfChanged(account, t),
    };
    if (endpoint === "POST /trackings/batch" || endpoint === "POST /trackings/post") {
      const sent = (stats.createItemsSent[apiKey] ??= {});
      for (const item of Array.isArray(body) ? body : [body]) {
        if (!item || typeof item !== "object") continue;
        const { carrier_code: carrier, tracking_number: number } = item as Record<string, unknown>;
        const key = `${String(carrier)}/${String(number)}`;
        sent[key] = (sent[key] ?? 0) + 1;
      }
    }
    try {
      const answer = handlerFor(endpoint)!(ctx);
      reply(res, answer.code ?? 200, answer.data);
    } catch (error) {
      if (error instanceof ApiError) return reply(res, error.code, [], error.message || undefined);
      throw error;
    }
  }

  function handleControl(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    rawBody: string,
  ): Promise<void> | void {
    const reply = (status: number, value: unknown) => send(res, status, JSON.stringify(value));
    let input: Record<string, unknown> = {};
    try {
      input = rawBody ? JSON.parse(rawBody) : {};
    } catch {
      return reply(400, { error: "body is not JSON" });
    }
    const route = `${req.method} ${path}`;
    try {
      switch (route) {
        case "POST /__emulator/faults":
          handle.setFaults(input as FaultConfig);
          return reply(200, { ok: true });
        case "POST /__emulator/rate-limits":
          handle.setRateLimits(input.disabled ? false : (input as EmulatorRateLimits));
          return reply(200, { ok: true });
        case "GET /__emulator/clock":
          return reply(200, { now: clock.now() });
        case "POST /__emulator/clock/advance":
          return reply(200, { now: clock.advance(Number(input.ms)) });
        case "POST /__emulator/accounts":
          handle.addAccount(input as unknown as AccountInit);
          return reply(200, { ok: true });
        case "POST /__emulator/accounts/delete":
          handle.deleteAccount(String(input.apiKey));
          return reply(200, { ok: true });
        case "POST /__emulator/quota":
          handle.setQuota(String(input.apiKey), Number(input.quota));
          return reply(200, { ok: true });
        case "POST /__emulator/webhook":
          handle.setWebhookUrl((input.url as string | null) ?? null, input.apiKey as string | undefined);
          return reply(200, { ok: true });
        case "POST /__emulator/webhooks/flush":
          return handle.flushWebhooks().then((deliveries) => reply(200, { deliveries }));
        case "GET /__emulator/stats":
          return reply(200, handle.stats());
        case "POST /__emulator/stats/reset":
          handle.resetStats();
          return reply(200, { ok: true });
        default:
          return reply(404, { error: `no control endpoint ${route}` });
      }
    } catch (error) {
      return reply(400, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://emulator");
      const path = url.pathname.replace(/\/+$/, "");
      const work = path.startsWith("/__emulator/")
        ? handleControl(req, res, path, rawBody)
        : path.startsWith("/v2/")
          ? handleApi(req, res, path.slice(3), url, rawBody)
          : sendEnvelope(res, 404, []);
      Promise.resolve(work).catch((error: unknown) => {
        process.stderr.write(
          `emulator: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
        );
        sendEnvelope(res, 500, []);
      });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host && opts.host !== "0.0.0.0" ? opts.host : "127.0.0.1";
  const origin = `http://${host}:${port}`;

  const handle: EmulatorHandle = {
    baseUrl: `${origin}/v2`,
    origin,
    port,
    clock: { now: () => clock.now(), advance: (ms) => clock.advance(ms) },
    close: async () => {
      for (const res of hanging) res.destroy();
      hanging.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      await webhooks.flush();
    },
    setFaults: (f) => faults.set(f),
    setRateLimits: (l) => {
      limits = l === false ? false : { ...DEFAULT_LIMITS, ...l };
      windows.clear();
    },
    addAccount,
    setCarrierView: (apiKey, wire) => {
      const account = accountOrThrow(apiKey);
      const key = trackingKey(String(wire.carrier_code), String(wire.tracking_number));
      const tracking = account.trackings.get(key) ?? newTracking(account, wire, clock.now());
      tracking.carrierView = wire;
      account.trackings.set(key, tracking);
    },
    deleteAccount: (apiKey) => {
      accountOrThrow(apiKey).deleted = true;
    },
    setQuota: (apiKey, quota) => {
      if (!Number.isFinite(quota)) throw new Error("quota must be a number");
      accountOrThrow(apiKey).quota = quota;
    },
    setWebhookUrl: (url, apiKey) => {
      if (apiKey === undefined) defaultWebhookUrl = url;
      else accountOrThrow(apiKey).webhookUrl = url;
    },
    flushWebhooks: () => webhooks.flush(),
    stats: () => ({ ...structuredClone(stats), webhooksSent: webhooks.sent }),
    resetStats,
  };
  return handle;
}
