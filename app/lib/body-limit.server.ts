import type { IncomingMessage, ServerResponse } from "node:http";

// Every request body is bounded while it streams, before it is buffered: a declared
// Content-Length over the limit is refused before a byte is read, and an undeclared (chunked)
// body is counted as it arrives and cut off at the limit. One unsigned 300 MiB POST once took
// the process to 1.29 GB because the whole body was read before its signature was checked.

/**
 * The largest body any route accepts. Shopify's webhook payloads (an order with hundreds of
 * lines) and every form of the admin stay far below it.
 */
export const MAX_REQUEST_BODY_BYTES = 5 * 2 ** 20;

export const BODY_TOO_LARGE_MESSAGE = "Request body too large";

/** A body over the limit: the request is refused with 413 and nothing else happens. */
export class BodyTooLargeError extends Error {
  readonly status = 413;
  constructor(readonly limit: number) {
    super(`${BODY_TOO_LARGE_MESSAGE} (limit ${limit} bytes)`);
    this.name = "BodyTooLargeError";
  }
}

/** The declared length when it is a number; null when absent or not a number. */
function declaredLength(value: string | null | undefined): number | null {
  if (value == null || !/^\s*\d+\s*$/.test(value)) return null;
  return Number(value);
}

/**
 * Reads a Fetch API request's body (what Remix hands a route) into bytes. More than `limit`
 * bytes throws the 413 Response (Remix sends a thrown Response as it is) without reading further.
 */
export async function readBoundedBody(request: Request, limit = MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  const declared = declaredLength(request.headers.get("content-length"));
  if (declared !== null && declared > limit) {
    await request.body?.cancel().catch(() => {});
    throw bodyTooLargeResponse();
  }
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Not cancelled: cancelling destroys the connection before the 413 can be sent. The
      // stream stays paused (nothing more is buffered) and the server closes the connection
      // after the answer (Connection: close).
      reader.releaseLock();
      throw bodyTooLargeResponse();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** A form post (an admin action, the app proxy's lookup) read within the limit. */
export async function readBoundedFormData(
  request: Request,
  limit = MAX_REQUEST_BODY_BYTES,
): Promise<FormData> {
  const body = await readBoundedBody(request, limit);
  const contentType = request.headers.get("content-type");
  return new Response(new Uint8Array(body), {
    headers: contentType ? { "content-type": contentType } : {},
  }).formData();
}

/** The 413 answer a Remix route throws for a body over the limit. */
export function bodyTooLargeResponse(): Response {
  return new Response(BODY_TOO_LARGE_MESSAGE, { status: 413, headers: { connection: "close" } });
}

/**
 * Node-level guard for every request of the production server (scripts/serve.mjs mounts it
 * ahead of Express and Remix): refuses a declared length over the limit at once, and counts an
 * undeclared body as it streams, answering 413 and dropping the connection at the limit. The
 * stream is left paused for whoever reads it, so counting costs no buffering. Returns true when
 * it has answered the request.
 */
export function refuseOversizeBody(
  request: IncomingMessage,
  response: ServerResponse,
  limit = MAX_REQUEST_BODY_BYTES,
): boolean {
  const declared = declaredLength(request.headers["content-length"]);
  if (declared !== null) {
    if (declared <= limit) return false;
    sendTooLarge(request, response);
    return true;
  }
  if (request.headers["transfer-encoding"] === undefined) return false;
  let size = 0;
  const count = (chunk: Buffer) => {
    size += chunk.length;
    // A reader that bounds its own read (readBoundedBody) stops at the limit and answers; this
    // backstop is for one that does not.
    if (size <= limit + BACKSTOP_SLACK_BYTES) return;
    request.off("data", count);
    sendTooLarge(request, response);
  };
  request.on("data", count);
  // Listening for data makes the stream flow; the reader (the fast lane, Remix) resumes it.
  request.pause();
  return false;
}

const BACKSTOP_SLACK_BYTES = 256 * 1024;

function sendTooLarge(request: IncomingMessage, response: ServerResponse) {
  if (!response.headersSent) {
    response.writeHead(413, { "content-type": "text/plain", connection: "close" });
    response.end(BODY_TOO_LARGE_MESSAGE);
  }
  // Whoever was reading sees an error rather than a body that looks complete; the rest of the
  // upload is never read.
  response.once("finish", () => request.destroy(new BodyTooLargeError(MAX_REQUEST_BODY_BYTES)));
  if (response.writableFinished) request.destroy(new BodyTooLargeError(MAX_REQUEST_BODY_BYTES));
}
