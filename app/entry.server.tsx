import { PassThrough } from "node:stream";
import { renderToPipeableStream } from "react-dom/server";
import { RemixServer } from "@remix-run/react";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { createInstance } from "i18next";
import { isbot } from "isbot";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { i18nextOptions } from "./i18n/config";
import i18nextServer from "./i18n/i18next.server";
import { addDocumentResponseHeaders } from "./shopify.server";
import { logger, requestLogger } from "./logger.server";

const ABORT_DELAY_MS = 5000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  // Bots get the whole document at once; people get the shell as soon as it is ready.
  // One i18next instance per request, in the language the root loader chose the same way.
  const i18n = createInstance();
  await i18n.use(initReactI18next).init({ ...i18nextOptions, lng: await i18nextServer.getLocale(request) });
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(
      <I18nextProvider i18n={i18n}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY_MS} />
      </I18nextProvider>,
      {
        [readyEvent]: () => {
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          logger.error({ err: error, path: new URL(request.url).pathname }, "render failed");
        },
      },
    );
    setTimeout(abort, ABORT_DELAY_MS);
  });
}

// Loader and action failures, logged with the request's id (set by scripts/serve.mjs).
export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  requestLogger(request).error({ err: error }, "request failed");
}

// scripts/serve.mjs starts the background jobs and logs requests through the server build.
export { startBackgroundWork } from "./jobs/index.server";
export { logger, logRequestServed } from "./logger.server";
export { answerHotWebhook } from "./webhooks/fast-lane.server";
export { refuseOversizeBody } from "./lib/body-limit.server";
