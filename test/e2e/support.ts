import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { embeddedAppUrl, installAppBridgeStandIn, mintSessionToken } from "../../devkit/shopify";
import { setTrackingMoreClientTuning } from "~/trackingmore.server";
import type { EmulatorHandle } from "../../devkit/emulator";
import { findChromium } from "../support/chromium";
import { applyTestEnvironment, TEST_APP } from "../support/env";

// The built app (scripts/serve.mjs) in a child process on a free port, and headless Chromium
// driving it as a merchant would inside Shopify admin.

const root = path.resolve(__dirname, "../..");
export const SCREENSHOTS = path.join(__dirname, "screenshots");

export interface RunningApp {
  origin: string;
  stop(): Promise<void>;
}

/**
 * A private copy of the build (server bundle, browser assets, serve.mjs) under .tmp/, so a
 * `remix build` run elsewhere while the suite runs cannot swap the browser assets the served
 * pages refer to. node_modules is a link to the repository's.
 */
function snapshotBuild(): string {
  mkdirSync(path.join(root, ".tmp"), { recursive: true });
  const copy = mkdtempSync(path.join(root, ".tmp", "e2e-"));
  cpSync(path.join(root, "build"), path.join(copy, "build"), { recursive: true });
  cpSync(path.join(root, "public"), path.join(copy, "public"), { recursive: true });
  cpSync(path.join(root, "scripts/serve.mjs"), path.join(copy, "scripts/serve.mjs"));
  // The bundled Prisma client loads its query compiler from ../node_modules.
  symlinkSync(path.join(root, "node_modules"), path.join(copy, "node_modules"), "dir");
  return copy;
}

/** Starts the production build against this test file's database and the given emulator. */
export async function startBuiltApp(
  trackingMoreBaseUrl: string,
  options: { shopifyOrdersFile?: string; shopifyPageDelayMs?: number } = {},
): Promise<RunningApp> {
  if (!existsSync(path.join(root, "build/index.js")))
    throw new Error("run `npm run build` before the e2e tests");
  const env: NodeJS.ProcessEnv = { ...process.env };
  applyTestEnvironment(env);
  Object.assign(env, {
    NODE_ENV: "production",
    PORT: "0",
    TRACKINGMORE_BASE_URL: trackingMoreBaseUrl,
    // The background jobs run in the web process, as in the embedded set-up: the backfill the
    // merchant starts must run to completion.
    RUN_WORKER_IN_WEB: "true",
    LOG_LEVEL: "warn",
    SHOPIFY_STUB_ORDERS: options.shopifyOrdersFile ?? "",
    SHOPIFY_STUB_PAGE_DELAY_MS: String(options.shopifyPageDelayMs ?? 0),
  });
  const stub = path.join(__dirname, "shopify-admin-stub.mjs");
  const copy = snapshotBuild();
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", stub, path.join(copy, "scripts/serve.mjs")],
    {
      cwd: copy,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (process.env.E2E_APP_LOG) process.stderr.write(chunk);
      const match = output.match(/listening on (http:\/\/localhost:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace("localhost", "127.0.0.1"));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with ${code}:\n${output}`));
    });
  });
  // A crash mid-suite would otherwise show only as "connection refused" in the browser.
  child.on("exit", (code, signal) => {
    if (code !== 0 && signal !== "SIGTERM")
      process.stderr.write(`app exited with ${code ?? signal}:\n${output}\n`);
  });
  return {
    origin,
    stop: () =>
      new Promise<void>((resolve) => {
        // rmSync removes the node_modules link, never what it points to.
        const done = () => {
          rmSync(copy, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once("exit", done);
        child.kill("SIGTERM");
      }),
  };
}

export async function launchBrowser(
  options: { args?: string[]; env?: Record<string, string> } = {},
): Promise<Browser> {
  const executablePath = findChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...(options.args ?? []),
    ],
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  });
}

/**
 * The built app and Chromium, started together. When one of them fails the other is stopped,
 * so a missing Chromium does not leave the app server running.
 */
export async function startAppAndBrowser(
  trackingMoreBaseUrl: string,
  options: { app?: Parameters<typeof startBuiltApp>[1]; browser?: Parameters<typeof launchBrowser>[0] } = {},
): Promise<{ app: RunningApp; browser: Browser }> {
  const [started, launched] = await Promise.allSettled([
    startBuiltApp(trackingMoreBaseUrl, options.app),
    launchBrowser(options.browser),
  ]);
  if (started.status === "fulfilled" && launched.status === "fulfilled")
    return { app: started.value, browser: launched.value };
  if (started.status === "fulfilled") await started.value.stop();
  if (launched.status === "fulfilled") await launched.value.close();
  throw started.status === "rejected" ? started.reason : (launched as PromiseRejectedResult).reason;
}

/**
 * A browser test's afterAll: closes what it opened, the page's side first (whatever never
 * opened is skipped), and puts back the TrackingMore client tuning its emulator set.
 */
export async function stopBrowserTest(opened: {
  context?: BrowserContext;
  browser?: Browser;
  app?: RunningApp;
  emulator?: EmulatorHandle;
}): Promise<void> {
  await opened.context?.close();
  await opened.browser?.close();
  await opened.app?.stop();
  await opened.emulator?.close();
  setTrackingMoreClientTuning({});
}

/**
 * A browser context that behaves like Shopify admin's iframe, without Shopify:
 *
 * - Inside Shopify admin, App Bridge (loaded from Shopify's CDN) adds a fresh session token as
 *   `Authorization: Bearer …` to the app's own fetches (Remix's loader and action requests).
 *   The CDN is not reachable here, so we play App Bridge's part: every same-origin request gets
 *   a freshly minted token, signed with the test app secret exactly as Shopify signs them.
 * - Document loads carry `embedded=1&shop&host&id_token`, as Shopify admin's iframe URL does.
 * - Anything not on the app's origin (Shopify's CDN, fonts, images) is answered empty, so the
 *   test never reaches the internet and does not wait for it.
 * - With `appBridge`, App Bridge's save bar and `shopify.saveBar` are there (devkit's stand-in);
 *   without, the page runs as it would where App Bridge failed to load.
 */
export async function embeddedContext(
  browser: Browser,
  app: RunningApp,
  shop: string,
  options: { locale?: string; timezoneId?: string; appBridge?: boolean } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    locale: options.locale ?? "en-US",
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
    // Shopify's library answers 410 to bots, and "HeadlessChrome" reads as one.
    userAgent:
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0 Safari/537.36",
  });
  if (options.appBridge) {
    // As source text: the test compiler may wrap named functions in a `__name` helper the page
    // does not have.
    await context.addInitScript({
      content: `var __name = (target) => target;\n(${installAppBridgeStandIn.toString()})();`,
    });
  }
  await context.route("**/*", async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (url.origin !== app.origin) {
      await route.fulfill({
        status: 200,
        body: "",
        contentType: request.resourceType() === "script" ? "text/javascript" : "text/plain",
      });
      return;
    }
    // Document loads authenticate with id_token in the URL, as in Shopify admin; a bearer header
    // on a document request would make the library treat it as a fetch.
    if (request.resourceType() === "document") {
      await route.continue();
      return;
    }
    await route.continue({
      headers: { ...request.headers(), authorization: `Bearer ${mintSessionToken(shop, TEST_APP)}` },
    });
  });
  return context;
}

/** Opens an admin page as Shopify admin opens the app in its iframe. */
export async function openAdminPage(
  page: Page,
  app: RunningApp,
  shop: string,
  pathname: string,
  /** Shopify admin's `locale` (the merchant's admin language), e.g. "zh-CN". */
  locale?: string,
  /** "networkidle" waits for the page's own fetches too; "domcontentloaded" does not. */
  waitUntil: "networkidle" | "domcontentloaded" = "networkidle",
) {
  const url = embeddedAppUrl(app.origin, pathname, shop, mintSessionToken(shop, TEST_APP));
  if (locale) url.searchParams.set("locale", locale);
  const response = await page.goto(url.toString(), { waitUntil });
  if (!response || response.status() !== 200) {
    throw new Error(`GET ${pathname} answered ${response?.status()}: ${await response?.text()}`);
  }
  // Typing before React hydrated the page would be wiped by hydration: wait until React owns
  // the page's DOM (hydrateRoot attaches its fiber to every node it adopts).
  await page.waitForFunction(() => {
    const node = document.querySelector(".Polaris-Page");
    return Boolean(node && Object.keys(node).some((key) => key.startsWith("__reactFiber")));
  });
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The page at desktop width (1280) and phone width (390), as `<name>-desktop.png` / `-mobile.png`. */
export async function screenshotWidths(page: Page, name: string) {
  const before = page.viewportSize();
  for (const [suffix, width] of [
    ["desktop", 1280],
    ["mobile", 390],
  ] as const) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(150);
    await screenshot(page, `${name}-${suffix}`);
  }
  if (before) await page.setViewportSize(before);
}
