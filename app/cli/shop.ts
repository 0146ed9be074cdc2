// `npm run shop -- <command>`: the operator's view of one shop — link it, set its TrackingMore
// key and options, see where its trackings stand. The admin UI does the same for merchants;
// this exists for operators (re-linking a shop) and for the demo, which has no Shopify admin.
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import { appConfig, ConfigError } from "~/config.server";
import prisma from "~/db/client.server";
import { recordShopInstalled } from "~/models/shop.server";
import {
  getShopSettings,
  saveTrackingMoreAccountEmail,
  saveTrackingMoreApiKey,
  updateShopSettings,
  type ShopSettingsChanges,
} from "~/models/settings.server";
import { trackingMoreClientForKey } from "~/trackingmore.server";
import { TrackingMoreError } from "~/trackingmore";
import {
  DEAD_LETTER_STAGES,
  listDeadLetters,
  retryDeadLetters,
  type DeadLetterStage,
} from "~/pipeline/queue/dead-letters.server";

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

/** Exit codes: 0 done, 1 the work failed (key rejected, TrackingMore unreachable), 2 bad input. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

class UsageError extends Error {}
class CommandFailed extends Error {}

export const SHOP_USAGE = `Usage: npm run shop -- <command> [arguments]

Commands:
  install <shop> [--access-token <token>]
      Record the shop as installed with an offline session, as Shopify's token exchange would.
      Without --access-token a placeholder is stored: enough for the admin and webhooks, not for
      calls to Shopify's Admin API (fulfillment events).
  set-key <shop> <apiKey> [--no-verify]
      Store the shop's TrackingMore API key (encrypted). The key is checked against TrackingMore
      first unless --no-verify. Trackings waiting for a key are sent next.
  set-email <shop> <email>
      Store the TrackingMore account email (it keys the signature of TrackingMore's webhooks).
  set <shop> <name>=<value>...
      Change options: createOnFulfillment=true|false, orderIdFormat=name|id,
      titleTemplate=<text>, cancelledFulfillmentAction=archive|delete|keep,
      writeBackEnabled=true|false, carrierRecheckDays=<1-60>,
      trackingUrlInNotifications=true|false
  show <shop> [--json]
      The shop's settings (the key only by its last characters) and its trackings per sync state.
  dead-letters <shop> [--json]
      What the pipeline gave up on for the shop (after its retries, or a refusal), with reasons.
  retry <shop> [--stage ingest|dispatch|change-push|write-back|backfill] [<id>...]
      Put the shop's dead letters (all, a stage's, or the given ids) back in their queues.
  help
      This text.

<shop> is the shop's myshopify.com domain, e.g. my-store.myshopify.com.`;

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

function shopArgument(value: string | undefined): string {
  if (!value) throw new UsageError("missing <shop>: the shop's myshopify.com domain");
  const shop = value.trim().toLowerCase();
  if (!SHOP_DOMAIN.test(shop)) {
    throw new UsageError(`"${value}" is not a shop domain: expected something like my-store.myshopify.com`);
  }
  return shop;
}

/** Splits `--flag value` / `--flag` options from positional arguments. */
function parseArguments(args: string[], flags: { withValue: string[]; boolean: string[] }) {
  const positional: string[] = [];
  const values: Record<string, string> = {};
  const booleans = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (flags.withValue.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined || value === "") throw new UsageError(`--${name} needs a value`);
      values[name] = value;
    } else if (flags.boolean.includes(name) && inline === undefined) {
      booleans.add(name);
    } else {
      throw new UsageError(`unknown option ${arg}`);
    }
  }
  return { positional, values, booleans };
}

function expectPositionals(positional: string[], count: number, usage: string) {
  if (positional.length !== count) throw new UsageError(`expected: ${usage}`);
}

async function requireKnownShop(shop: string) {
  const row = await prisma.shop.findUnique({ where: { domain: shop } });
  if (!row)
    throw new CommandFailed(`${shop} is not installed: run \`npm run shop -- install ${shop}\` first`);
  return row;
}

async function install(args: string[], io: CliIO) {
  const { positional, values } = parseArguments(args, { withValue: ["access-token"], boolean: [] });
  expectPositionals(positional, 1, "install <shop> [--access-token <token>]");
  const shop = shopArgument(positional[0]);
  const accessToken = values["access-token"] ?? `shpat_placeholder_${randomBytes(12).toString("hex")}`;
  const scope = appConfig().scopes.join(",");
  // The row Shopify's Prisma session storage writes after token exchange: an offline session
  // named offline_<shop>, which is what authenticate.admin and our webhook check look up.
  const id = `offline_${shop}`;
  await prisma.session.upsert({
    where: { id },
    create: { id, shop, state: "", isOnline: false, scope, accessToken },
    update: { accessToken, scope, expires: null },
  });
  await recordShopInstalled(shop);
  io.out(`installed ${shop} (offline session ${id}, scopes ${scope})`);
  if (!values["access-token"]) {
    io.out("no --access-token given: a placeholder token is stored; Admin API calls for this shop will fail");
  }
}

async function setKey(args: string[], io: CliIO) {
  const { positional, booleans } = parseArguments(args, { withValue: [], boolean: ["no-verify"] });
  expectPositionals(positional, 2, "set-key <shop> <apiKey> [--no-verify]");
  const shop = shopArgument(positional[0]);
  const apiKey = positional[1].trim();
  if (!apiKey || /\s/.test(apiKey)) throw new UsageError("the API key must be one word without spaces");
  await requireKnownShop(shop);
  if (!booleans.has("no-verify")) {
    try {
      const info = await trackingMoreClientForKey(apiKey).getUserInfo();
      io.out(
        `TrackingMore accepted the key: account ${info.email}, ${info.remainingQuota} trackings of quota left`,
      );
    } catch (error) {
      if (error instanceof TrackingMoreError) {
        throw new CommandFailed(
          `TrackingMore refused the key (${error.code}): ${error.message}; nothing saved`,
        );
      }
      throw error;
    }
  }
  await saveTrackingMoreApiKey(shop, apiKey);
  const settings = await getShopSettings(shop);
  io.out(`saved the TrackingMore API key ${settings.apiKeyHint ?? ""} for ${shop}`);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

async function setEmail(args: string[], io: CliIO) {
  const { positional } = parseArguments(args, { withValue: [], boolean: [] });
  expectPositionals(positional, 2, "set-email <shop> <email>");
  const shop = shopArgument(positional[0]);
  const email = positional[1].trim();
  if (!EMAIL.test(email)) throw new UsageError(`"${positional[1]}" is not an email address`);
  await requireKnownShop(shop);
  await saveTrackingMoreAccountEmail(shop, email);
  io.out(`saved the TrackingMore account email for ${shop}`);
}

type SettingParser = (value: string) => ShopSettingsChanges;

function booleanSetting(
  name: "createOnFulfillment" | "writeBackEnabled" | "trackingUrlInNotifications",
): SettingParser {
  return (value) => {
    if (/^(true|yes|on|1)$/i.test(value)) return { [name]: true };
    if (/^(false|no|off|0)$/i.test(value)) return { [name]: false };
    throw new UsageError(`${name} must be true or false, got "${value}"`);
  };
}

function choiceSetting<K extends "orderIdFormat" | "cancelledFulfillmentAction">(
  name: K,
  choices: readonly NonNullable<ShopSettingsChanges[K]>[],
): SettingParser {
  return (value) => {
    const choice = choices.find((c) => c === value);
    if (!choice) throw new UsageError(`${name} must be one of ${choices.join(", ")}, got "${value}"`);
    return { [name]: choice };
  };
}

const SETTINGS: Record<string, SettingParser> = {
  createOnFulfillment: booleanSetting("createOnFulfillment"),
  writeBackEnabled: booleanSetting("writeBackEnabled"),
  trackingUrlInNotifications: booleanSetting("trackingUrlInNotifications"),
  orderIdFormat: choiceSetting("orderIdFormat", ["name", "id"]),
  cancelledFulfillmentAction: choiceSetting("cancelledFulfillmentAction", ["archive", "delete", "keep"]),
  carrierRecheckDays: (value) => {
    const days = Number(value);
    if (!Number.isInteger(days) || days < 1 || days > 60)
      throw new UsageError(`carrierRecheckDays must be a whole number of days from 1 to 60, got "${value}"`);
    return { carrierRecheckDays: days };
  },
  titleTemplate: (value) => {
    if (!value.trim()) throw new UsageError("titleTemplate must not be empty");
    if (value.length > 255) throw new UsageError("titleTemplate must be at most 255 characters");
    return { titleTemplate: value };
  },
};

async function set(args: string[], io: CliIO) {
  const { positional } = parseArguments(args, { withValue: [], boolean: [] });
  if (positional.length < 2) throw new UsageError("expected: set <shop> <name>=<value>...");
  const shop = shopArgument(positional[0]);
  let changes: ShopSettingsChanges = {};
  for (const assignment of positional.slice(1)) {
    const at = assignment.indexOf("=");
    if (at <= 0) throw new UsageError(`"${assignment}" is not <name>=<value>`);
    const name = assignment.slice(0, at);
    const parse = SETTINGS[name];
    if (!parse) throw new UsageError(`unknown setting "${name}": one of ${Object.keys(SETTINGS).join(", ")}`);
    changes = { ...changes, ...parse(assignment.slice(at + 1)) };
  }
  await requireKnownShop(shop);
  await updateShopSettings(shop, changes);
  io.out(
    `updated ${shop}: ${Object.entries(changes)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(", ")}`,
  );
}

async function show(args: string[], io: CliIO) {
  const { positional, booleans } = parseArguments(args, { withValue: [], boolean: ["json"] });
  expectPositionals(positional, 1, "show <shop> [--json]");
  const shop = shopArgument(positional[0]);
  const shopRow = await requireKnownShop(shop);
  const [settings, groups, fulfillmentsWithoutNumber] = await Promise.all([
    getShopSettings(shop),
    prisma.tracking.groupBy({ by: ["syncState"], where: { shop }, _count: { _all: true } }),
    prisma.fulfillment.count({ where: { shop, note: { not: null } } }),
  ]);
  const trackingsBySyncState = Object.fromEntries(
    groups.map((g) => [g.syncState, g._count._all] as const).sort(([a], [b]) => a.localeCompare(b)),
  );
  const view = {
    shop,
    installed: shopRow.uninstalledAt === null,
    uninstalledAt: shopRow.uninstalledAt?.toISOString() ?? null,
    dispatchPaused: shopRow.dispatchPausedReason
      ? { reason: shopRow.dispatchPausedReason, until: shopRow.dispatchPausedUntil?.toISOString() ?? null }
      : null,
    settings,
    trackingsBySyncState,
    fulfillmentsWithoutNumber,
  };
  if (booleans.has("json")) {
    io.out(JSON.stringify(view, null, 2));
    return;
  }
  io.out(
    `shop                        ${shop}${view.installed ? "" : ` (uninstalled ${view.uninstalledAt})`}`,
  );
  io.out(
    `TrackingMore API key        ${settings.hasApiKey ? `set (${settings.apiKeyHint ?? ""})` : "not set"}`,
  );
  io.out(`TrackingMore account email  ${settings.hasAccountEmail ? "set" : "not set"}`);
  io.out(`createOnFulfillment         ${settings.createOnFulfillment}`);
  io.out(`orderIdFormat               ${settings.orderIdFormat}`);
  io.out(`titleTemplate               ${settings.titleTemplate}`);
  io.out(`cancelledFulfillmentAction  ${settings.cancelledFulfillmentAction}`);
  io.out(`writeBackEnabled            ${settings.writeBackEnabled}`);
  io.out(`carrierRecheckDays          ${settings.carrierRecheckDays}`);
  io.out(`trackingUrlInNotifications  ${settings.trackingUrlInNotifications}`);
  if (view.dispatchPaused) {
    io.out(
      `dispatch paused             ${view.dispatchPaused.reason} (until ${view.dispatchPaused.until ?? "resumed"})`,
    );
  }
  const states = Object.entries(trackingsBySyncState);
  io.out(
    `trackings                   ${states.length === 0 ? "none" : states.map(([s, n]) => `${s} ${n}`).join(", ")}`,
  );
  io.out(`fulfillments without number ${fulfillmentsWithoutNumber}`);
}

async function deadLetters(args: string[], io: CliIO) {
  const { positional, booleans } = parseArguments(args, { withValue: [], boolean: ["json"] });
  expectPositionals(positional, 1, "dead-letters <shop> [--json]");
  const shop = shopArgument(positional[0]);
  await requireKnownShop(shop);
  const letters = await listDeadLetters(shop);
  if (booleans.has("json")) {
    io.out(JSON.stringify(letters, null, 2));
    return;
  }
  if (letters.length === 0) {
    io.out(`${shop}: nothing dead-lettered`);
    return;
  }
  for (const letter of letters) {
    io.out(
      `${letter.deadAt.toISOString()}  ${letter.stage.padEnd(11)}  ${letter.id}  ${letter.subject}  (${letter.attempts} attempts)`,
    );
    if (letter.reason) io.out(`    ${letter.reason}`);
  }
}

async function retry(args: string[], io: CliIO) {
  const { positional, values } = parseArguments(args, { withValue: ["stage"], boolean: [] });
  if (positional.length < 1) throw new UsageError("expected: retry <shop> [--stage <stage>] [<id>...]");
  const shop = shopArgument(positional[0]);
  const stage = values.stage;
  if (stage !== undefined && !(DEAD_LETTER_STAGES as readonly string[]).includes(stage)) {
    throw new UsageError(`unknown stage "${stage}": one of ${DEAD_LETTER_STAGES.join(", ")}`);
  }
  await requireKnownShop(shop);
  const ids = positional.slice(1);
  const retried = await retryDeadLetters(shop, {
    stage: stage as DeadLetterStage | undefined,
    ids: ids.length > 0 ? ids : undefined,
  });
  io.out(`${shop}: ${retried} dead letter${retried === 1 ? "" : "s"} back in their queues`);
}

const COMMANDS: Record<string, (args: string[], io: CliIO) => Promise<void>> = {
  install,
  "set-key": setKey,
  "set-email": setEmail,
  set,
  show,
  "dead-letters": deadLetters,
  retry,
};

/** Runs one CLI command; returns the process exit code. Never exits the process itself. */
export async function runShopCommand(argv: string[], io: CliIO): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === "help" || command === "--help" || command === "-h") {
    io.out(SHOP_USAGE);
    return command ? EXIT_OK : EXIT_USAGE;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.err(`shop: unknown command "${command}" (try: npm run shop -- help)`);
    return EXIT_USAGE;
  }
  try {
    await run(args, io);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`shop ${command}: ${error.message}`);
      return EXIT_USAGE;
    }
    if (error instanceof CommandFailed || error instanceof ConfigError) {
      io.err(`shop ${command}: ${error.message}`);
      return EXIT_FAILED;
    }
    throw error;
  }
}

const consoleIO: CliIO = { out: (line) => console.log(line), err: (line) => console.error(line) };

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runShopCommand(process.argv.slice(2), consoleIO)
    .catch((error: unknown) => {
      console.error(`shop: ${error instanceof Error ? error.message : String(error)}`);
      return EXIT_FAILED;
    })
    .then(async (code) => {
      await globalThis.__trackbridgePrisma?.$disconnect();
      process.exit(code);
    });
}
