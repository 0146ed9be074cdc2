// One worker process of test/lib/trackingmore-rate-gate.test.ts: the app's own TrackingMore
// client (so the gate the app picks on PostgreSQL), three callers hammering one account for
// RATE_GATE_MS. Prints "ready" once set up, starts at the line "go <epoch ms>" on stdin (every
// worker gets the same), and ends with {"made", "failed", "lastAt"}.
import { createInterface } from "node:readline";
import { setTrackingMoreClientTuning, trackingMoreClientForKey } from "~/trackingmore.server";
import { TrackingMoreError } from "~/trackingmore";

const apiKey = process.env.RATE_GATE_API_KEY!;
const duration = Number(process.env.RATE_GATE_MS);

// One attempt and a short pause: a 429 is counted as a failure rather than waited out.
setTrackingMoreClientTuning({ retry: { maxAttempts: 1, rateLimitPauseMs: 1_000 } });
const client = trackingMoreClientForKey(apiKey);

async function main() {
  // Connected before the start, so the workers begin together.
  await client.rateLimitedUntil();
  const lines = createInterface({ input: process.stdin });
  process.stdout.write("ready\n");
  let start = 0;
  for await (const line of lines) {
    if (line.startsWith("go ")) {
      start = Number(line.slice(3));
      break;
    }
  }
  lines.close();
  const until = start + duration;
  let made = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      while (Date.now() < until) {
        try {
          await client.getUserInfo();
          made++;
        } catch (error) {
          if (!(error instanceof TrackingMoreError)) throw error;
          failed++;
        }
      }
    }),
  );
  process.stdout.write(`${JSON.stringify({ made, failed, lastAt: Date.now() })}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
