#!/usr/bin/env node
// Production server: the Remix build behind Express, plus the background dispatcher in the
// same process unless RUN_WORKER_IN_WEB=false (then run `npm run worker` separately). The
// bursty webhooks (fulfillments, TrackingMore pushes) are answered ahead of Express by the
// build's fast lane (app/webhooks/fast-lane.server.ts).
import { randomUUID } from "node:crypto";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express from "express";
import { createRequestHandler } from "@remix-run/express";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
process.env.NODE_ENV ??= "production";

let build;
try {
  build = require(path.join(root, "build/index.js"));
} catch (error) {
  // A configuration mistake is the operator's to fix: one line naming it, no stack trace.
  if (error?.name === "ConfigError") {
    console.error(`trackbridge: configuration error: ${error.message}`);
    process.exit(78);
  }
  if (error?.code === "MODULE_NOT_FOUND" && String(error.message).includes("build/index.js")) {
    console.error("trackbridge: no build found; run `npm run build` first");
    process.exit(1);
  }
  throw error;
}

const { answerHotWebhook, logRequestServed, refuseOversizeBody } = build.entry.module;
const app = express();
app.disable("x-powered-by");
// Every request gets an id (Shopify's webhook id where there is one), passed to the app as
// x-request-id so its log lines and this access line can be joined.
app.use((req, res, next) => {
  const requestId = req.get("x-request-id") || req.get("x-shopify-webhook-id") || randomUUID();
  req.headers["x-request-id"] = requestId;
  res.setHeader("x-request-id", requestId);
  const startedAt = process.hrtime.bigint();
  res.on("finish", () =>
    logRequestServed({ requestId, method: req.method, path: req.path, status: res.statusCode, startedAt }),
  );
  next();
});
app.use("/build", express.static(path.join(root, "public/build"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

const port = Number(process.env.PORT || 3000);
// Every body is bounded while it streams, before Express or Remix reads it (an oversize one is
// 413 with the connection dropped); the fast lane bounds its own the same way.
const server = http.createServer((req, res) => {
  if (answerHotWebhook(req, res) || refuseOversizeBody(req, res)) return;
  app(req, res);
});
server.keepAliveTimeout = 65_000;
server.listen(port, () => {
  console.log(`trackbridge: listening on http://localhost:${server.address().port}`);
});

const runWorkerHere = !/^(0|false|no|off)$/i.test(process.env.RUN_WORKER_IN_WEB ?? "");
const background = runWorkerHere ? build.entry.module.startBackgroundWork() : undefined;

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`trackbridge: ${signal}, shutting down`);
  server.close();
  await background?.stop();
  process.exit(0);
}
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));
