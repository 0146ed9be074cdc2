import { describe, expect, it } from "vitest";
import { CHROMIUM_MISSING, ChromiumNotFoundError, findChromium, type ChromiumSearchSystem } from "./chromium";

/** A machine with exactly these executables, this environment and home directory. */
function fakeSystem(executables: string[], env: Record<string, string> = {}): ChromiumSearchSystem {
  const files = new Set(executables);
  return {
    env: { PATH: "/usr/local/bin:/usr/bin:/bin", ...env },
    homeDir: "/home/merchant-dev",
    isExecutableFile: (file) => files.has(file),
    listDirectory: (directory) => {
      const prefix = directory.endsWith("/") ? directory : `${directory}/`;
      const entries = executables
        .filter((file) => file.startsWith(prefix))
        .map((file) => file.slice(prefix.length).split("/")[0]);
      return [...new Set(entries)];
    },
  };
}

describe("findChromium", () => {
  it("takes CHROMIUM_PATH before anything installed", () => {
    const system = fakeSystem(["/usr/bin/chromium", "/opt/chrome/chrome"], {
      CHROMIUM_PATH: "/opt/chrome/chrome",
    });
    expect(findChromium(system)).toBe("/opt/chrome/chrome");
  });

  it("reports a CHROMIUM_PATH that is not there instead of quietly using another browser", () => {
    const system = fakeSystem(["/usr/bin/chromium"], { CHROMIUM_PATH: "/opt/missing/chrome" });
    expect(() => findChromium(system)).toThrow(
      "CHROMIUM_PATH=/opt/missing/chrome is not an executable file: point it at a Chromium or Chrome binary, or unset it",
    );
  });

  it("finds Debian's /usr/bin/chromium", () => {
    expect(findChromium(fakeSystem(["/usr/bin/chromium"]))).toBe("/usr/bin/chromium");
  });

  it("finds chromium-browser, google-chrome or google-chrome-stable on PATH", () => {
    expect(findChromium(fakeSystem(["/usr/bin/chromium-browser"]))).toBe("/usr/bin/chromium-browser");
    expect(findChromium(fakeSystem(["/usr/local/bin/google-chrome"]))).toBe("/usr/local/bin/google-chrome");
    const onOwnPath = fakeSystem(["/opt/google/bin/google-chrome-stable"], { PATH: "/bin:/opt/google/bin" });
    expect(findChromium(onOwnPath)).toBe("/opt/google/bin/google-chrome-stable");
  });

  it("prefers a Chromium on PATH to Google Chrome", () => {
    const system = fakeSystem(["/usr/bin/google-chrome", "/usr/local/bin/chromium"]);
    expect(findChromium(system)).toBe("/usr/local/bin/chromium");
  });

  it("finds the newest download in Playwright's browser cache, in either layout", () => {
    const system = fakeSystem([
      "/home/merchant-dev/.cache/ms-playwright/chromium-1140/chrome-linux/chrome",
      "/home/merchant-dev/.cache/ms-playwright/chromium-1200/chrome-linux64/chrome",
      "/home/merchant-dev/.cache/ms-playwright/chromium_headless_shell-1300/chrome-linux/headless_shell",
    ]);
    expect(findChromium(system)).toBe(
      "/home/merchant-dev/.cache/ms-playwright/chromium-1200/chrome-linux64/chrome",
    );
  });

  it("looks in PLAYWRIGHT_BROWSERS_PATH before the default cache", () => {
    const system = fakeSystem(
      [
        "/srv/browsers/chromium-1100/chrome-linux/chrome",
        "/home/merchant-dev/.cache/ms-playwright/chromium-1200/chrome-linux/chrome",
      ],
      { PLAYWRIGHT_BROWSERS_PATH: "/srv/browsers" },
    );
    expect(findChromium(system)).toBe("/srv/browsers/chromium-1100/chrome-linux/chrome");
  });

  it("fails with one line naming how to get Chromium when there is none", () => {
    const system = fakeSystem([
      "/usr/bin/firefox",
      "/home/merchant-dev/.cache/ms-playwright/firefox-1400/firefox",
    ]);
    let failure: unknown;
    try {
      findChromium(system);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ChromiumNotFoundError);
    expect((failure as Error).message).toBe(CHROMIUM_MISSING);
    expect(CHROMIUM_MISSING).toMatch(/apt-get install chromium.*CHROMIUM_PATH=/);
    // No stack frames under it: the runner prints the line and nothing else.
    expect((failure as Error).stack).toBe(CHROMIUM_MISSING);
  });
});
