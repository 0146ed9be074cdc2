// `npm run emulator` — a TrackingMore v2 emulator on PORT (default 4010).
//   EMULATOR_ACCOUNTS="key1:me@example.com:5000,key2:you@example.com"  (quota optional)
//   or flags: --account key:email[:quota] (repeatable), --port N, --webhook URL,
//   --no-rate-limits, --frozen-clock, --faults '{"error500":0.1,"latencyMs":50}'
import { startEmulator } from "./server";
import type { AccountInit } from "./store";
import type { FaultConfig } from "./faults";

function parseAccount(spec: string): AccountInit {
  const [apiKey, email, quota] = spec.split(":");
  if (!apiKey || !email) throw new Error(`account "${spec}" must look like key:email[:quota]`);
  return { apiKey, email, quota: quota ? Number(quota) : undefined };
}

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const values = (name: string) => args.flatMap((arg, i) => (arg === name && args[i + 1] ? [args[i + 1]] : []));

const accountSpecs = [
  ...(process.env.EMULATOR_ACCOUNTS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
  ...values("--account"),
];
const accounts =
  accountSpecs.length > 0
    ? accountSpecs.map(parseAccount)
    : [{ apiKey: "demo-key", email: "demo@example.com" }];
const faultsJson = values("--faults")[0] ?? process.env.EMULATOR_FAULTS;

async function main(): Promise<void> {
  const emulator = await startEmulator({
    port: Number(values("--port")[0] ?? process.env.PORT ?? 4010),
    host: process.env.HOST ?? "127.0.0.1",
    accounts,
    rateLimits: flag("--no-rate-limits") ? false : undefined,
    clock: { frozen: flag("--frozen-clock") },
    webhookUrl: values("--webhook")[0] ?? process.env.EMULATOR_WEBHOOK_URL,
    faults: faultsJson ? (JSON.parse(faultsJson) as FaultConfig) : undefined,
  });

  console.log(`TrackingMore v2 emulator listening at ${emulator.baseUrl}`);
  console.log(
    `accounts: ${accounts.map((a) => a.email).join(", ")}; controls under ${emulator.origin}/__emulator/`,
  );

  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
