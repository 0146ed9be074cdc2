import pino from "pino";

// The one logger. Secrets are redacted by path so a careless `logger.info({ settings })`
// still cannot leak a key. Lines are written in 4 KiB chunks rather than one write each: at
// webhook rates the access log's write calls were a visible share of a delivery's cost. Pino
// flushes what is buffered when the process exits.
// Shopify's library writes its context into the message text (at debug, the whole session token
// of every admin request), where redaction by path cannot reach: message strings are scrubbed
// of anything shaped like a token or an email address.
const SECRET_SHAPES: [RegExp, string][] = [
  // JWTs (session and id tokens): header.payload.signature, base64url.
  [/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, "[redacted token]"],
  // Shopify access tokens and secrets: shpat_, shpua_, shpca_, shppa_, shpss_.
  [/\bshp(?:at|ua|ca|pa|ss)_\w+/g, "[redacted token]"],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, "[redacted email]"],
];

export function scrubSecrets(text: string): string {
  let scrubbed = text;
  for (const [shape, replacement] of SECRET_SHAPES) scrubbed = scrubbed.replace(shape, replacement);
  return scrubbed;
}

export const logger = pino(
  {
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((arg: unknown) => (typeof arg === "string" ? scrubSecrets(arg) : arg));
        return method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
    level: process.env.LOG_LEVEL || (process.env.NODE_ENV === "test" ? "silent" : "info"),
    base: { app: "trackbridge" },
    redact: {
      paths: [
        "apiKey",
        "*.apiKey",
        "accessToken",
        "*.accessToken",
        "apiSecret",
        "*.apiSecret",
        "trackingMoreApiKey",
        "*.trackingMoreApiKey",
        "headers.authorization",
        "headers['x-shopify-hmac-sha256']",
        "headers['trackingmore-api-key']",
        "customerName",
        "*.customerName",
        "customerEmail",
        "*.customerEmail",
        "customerPhone",
        "*.customerPhone",
        "email",
        "*.email",
        "phone",
        "*.phone",
        "sessionToken",
        "*.sessionToken",
        "idToken",
        "*.idToken",
        "headers.cookie",
      ],
      censor: "[redacted]",
    },
  },
  pino.destination({ dest: 1, sync: false, minLength: 4096 }),
);

export type Logger = typeof logger;

export function requestLogger(request: Request, extra: Record<string, unknown> = {}): Logger {
  const requestId =
    request.headers.get("x-request-id") ??
    request.headers.get("x-shopify-webhook-id") ??
    globalThis.crypto.randomUUID();
  return logger.child({ requestId, path: new URL(request.url).pathname, ...extra });
}

/**
 * The access line every answered request gets, from Express (scripts/serve.mjs) or the webhook
 * fast lane alike, so both can be searched and joined by request id the same way.
 */
export function logRequestServed(line: {
  requestId: string;
  method: string;
  path: string;
  status: number;
  startedAt: bigint;
}) {
  const ms = Number(process.hrtime.bigint() - line.startedAt) / 1e6;
  const { startedAt: _startedAt, ...fields } = line;
  logger.info({ ...fields, ms: Math.round(ms * 10) / 10 }, "request");
}
