// One worker process of test/lib/trackingmore-rate-gate.test.ts: the app's own TrackingMore
// client (so the gate the app picks on PostgreSQL), three callers hammering one account from
// RATE_GATE_START to RATE_GATE_UNTIL (epoch ms). Prints {"made", "failed", "lastAt"}.
import { setTrackingMoreClientTuning, trackingMoreClientForKey } from "~/trackingmore.server";
import { TrackingMoreError } from "~/trackingmore";

const apiKey = process.env.RATE_GATE_API_KEY!;
const start = Number(process.env.RATE_GATE_START);
const until = Number(process.env.RATE_GATE_UNTIL);

// One attempt and a short pause: a 429 is counted as a failure rather than waited out.
setTrackingMoreClientTuning({ retry: { maxAttempts: 1, rateLimitPauseMs: 1_000 } });
const client = trackingMoreClientForKey(apiKey);

async function main() {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, start - Date.now())));
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
  process.stdout.write(JSON.stringify({ made, failed, lastAt: Date.now() }));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
