#!/usr/bin/env node
// The benchmark's yardstick: the least a webhook receiver can do — verify Shopify's HMAC and
// insert one row into SQLite — so TrackBridge's throughput can be stated as a share of it.
//   PORT=4020 BASELINE_DB=/tmp/baseline.sqlite SHOPIFY_API_SECRET=… node scripts/bench-baseline.mjs
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import Database from "better-sqlite3";

const secret = process.env.SHOPIFY_API_SECRET;
const file = process.env.BASELINE_DB;
if (!secret || !file) {
  console.error("bench-baseline: set SHOPIFY_API_SECRET and BASELINE_DB");
  process.exit(2);
}

const db = new Database(file);
// The same journal the app's SQLite database uses (WAL), and SQLite's default durability.
db.pragma("journal_mode = WAL");
db.exec(`CREATE TABLE IF NOT EXISTS delivery (
  webhook_id TEXT PRIMARY KEY, shop TEXT NOT NULL, topic TEXT NOT NULL, payload TEXT NOT NULL, received_at INTEGER NOT NULL
)`);
const insert = db.prepare(
  "INSERT OR IGNORE INTO delivery (webhook_id, shop, topic, payload, received_at) VALUES (?, ?, ?, ?, ?)",
);

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
    const expected = createHmac("sha256", secret).update(body).digest();
    if (req.method !== "POST" || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end();
      return;
    }
    insert.run(
      String(req.headers["x-shopify-webhook-id"]),
      String(req.headers["x-shopify-shop-domain"]),
      String(req.headers["x-shopify-topic"]),
      body.toString("utf8"),
      Date.now(),
    );
    res.writeHead(200).end();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`bench-baseline: listening on http://127.0.0.1:${server.address().port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
