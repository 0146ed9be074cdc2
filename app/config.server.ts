// The one place the environment is read. Every other module asks `appConfig()`.

export class ConfigError extends Error {
  override name = "ConfigError";
}

export type DatabaseProvider = "sqlite" | "postgresql";

export interface AppConfig {
  shopifyApiKey: string;
  shopifyApiSecret: string;
  appUrl: string;
  scopes: string[];
  databaseUrl: string;
  databaseProvider: DatabaseProvider;
  trackingMoreBaseUrl: string;
  /** 32 bytes, for AES-256-GCM of secrets at rest. */
  encryptionKey: Buffer;
  port: number;
  logLevel: string;
  /** Run the TrackingMore dispatcher inside the web process (the embedded default). */
  runWorkerInWebProcess: boolean;
  /** Days processed inbox rows and old pushes are kept before the prune job deletes them. */
  retentionDays: number;
  /**
   * Writes (inbox deliveries, pushes) a process holds waiting for their group commit; past it
   * a webhook is answered 503 with Retry-After, which the sender retries.
   */
  maxPendingWrites: number;
  /**
   * Proxies in front of the app that append to X-Forwarded-For (Shopify's app proxy: 1; a load
   * balancer in front of the app adds one); the visitor is that many entries from the end.
   */
  trustedProxyHops: number;
  /**
   * How long every process leaves a TrackingMore account alone after a 429 (TrackingMore does
   * not say; two minutes by default).
   */
  trackingMorePauseAfter429Ms: number;
}

type Env = Record<string, string | undefined>;

function required(env: Env, name: string, expected: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`${name} is not set: expected ${expected}`);
  return value;
}

function parseUrl(name: string, value: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} is not a valid URL: expected ${protocols.join(" or ")} URL`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must be a ${protocols.join(" or ")} URL, got ${url.protocol}`);
  }
  return value.replace(/\/+$/, "");
}

export function databaseProviderOf(databaseUrl: string): DatabaseProvider {
  if (databaseUrl.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return "postgresql";
  throw new ConfigError("DATABASE_URL must be a file: URL (SQLite) or a postgres:// URL (PostgreSQL)");
}

function parseEncryptionKey(value: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, "hex") : Buffer.from(value, "base64");
  if (key.length !== 32) {
    throw new ConfigError(
      "TRACKBRIDGE_ENCRYPTION_KEY must be 32 bytes as 64 hex characters or base64 (openssl rand -hex 32)",
    );
  }
  return key;
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === "") return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535, got "${value}"`);
  }
  return port;
}

function parsePositiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new ConfigError(`${name} must be a whole number of 1 or more, got "${value}"`);
  }
  return number;
}

function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === "") return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be true or false, got "${value}"`);
}

export function loadConfig(env: Env = process.env): AppConfig {
  const databaseUrl = required(env, "DATABASE_URL", "file:./prisma/dev.sqlite or postgres://…");
  const scopes = required(env, "SCOPES", "a comma-separated list of access scopes")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    shopifyApiKey: required(env, "SHOPIFY_API_KEY", "the app's client id from the Partner Dashboard"),
    shopifyApiSecret: required(
      env,
      "SHOPIFY_API_SECRET",
      "the app's client secret from the Partner Dashboard",
    ),
    appUrl: parseUrl("SHOPIFY_APP_URL", required(env, "SHOPIFY_APP_URL", "the app's public https URL"), [
      "https:",
      "http:",
    ]),
    scopes,
    databaseUrl,
    databaseProvider: databaseProviderOf(databaseUrl),
    trackingMoreBaseUrl: parseUrl(
      "TRACKINGMORE_BASE_URL",
      env.TRACKINGMORE_BASE_URL?.trim() || "https://api.trackingmore.com/v2",
      ["https:", "http:"],
    ),
    encryptionKey: parseEncryptionKey(
      required(env, "TRACKBRIDGE_ENCRYPTION_KEY", "32 bytes as 64 hex characters (openssl rand -hex 32)"),
    ),
    port: parsePort(env.PORT),
    logLevel: env.LOG_LEVEL?.trim() || "info",
    runWorkerInWebProcess: parseBoolean("RUN_WORKER_IN_WEB", env.RUN_WORKER_IN_WEB, true),
    retentionDays: parsePositiveInteger("TRACKBRIDGE_RETENTION_DAYS", env.TRACKBRIDGE_RETENTION_DAYS, 30),
    trustedProxyHops: parsePositiveInteger(
      "TRACKBRIDGE_TRUSTED_PROXY_HOPS",
      env.TRACKBRIDGE_TRUSTED_PROXY_HOPS,
      1,
    ),
    trackingMorePauseAfter429Ms: parsePositiveInteger(
      "TRACKINGMORE_PAUSE_AFTER_429_MS",
      env.TRACKINGMORE_PAUSE_AFTER_429_MS,
      120_000,
    ),
    maxPendingWrites: parsePositiveInteger(
      "TRACKBRIDGE_MAX_PENDING_WRITES",
      env.TRACKBRIDGE_MAX_PENDING_WRITES,
      5_000,
    ),
  };
}

let cached: AppConfig | undefined;

export function appConfig(): AppConfig {
  cached ??= loadConfig();
  return cached;
}
