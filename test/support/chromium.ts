import { accessSync, constants, readdirSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";

// Where the browser tests find Chromium on a machine nobody prepared for them: the places
// Debian/Ubuntu packages, Google's packages and Playwright's own download put it.

/** The one line a run without Chromium prints, naming how to get it. */
export const CHROMIUM_MISSING =
  "Chromium not found: install it (apt-get install chromium) or set CHROMIUM_PATH=/path/to/chrome";

/** Names distribution packages install on PATH, most common first. */
const PATH_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/** Where a Playwright download keeps the binary inside `chromium-<revision>/`, newest layout first. */
const PLAYWRIGHT_BINARIES = ["chrome-linux64/chrome", "chrome-linux/chrome"];

/** What the search reads of the machine; tests pass a fake one. */
export interface ChromiumSearchSystem {
  env: Record<string, string | undefined>;
  homeDir: string;
  isExecutableFile(file: string): boolean;
  /** The entries of a directory; none when it does not exist. */
  listDirectory(directory: string): string[];
}

/** A one-line failure: the test runner prints its message without a stack of frames. */
export class ChromiumNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChromiumNotFoundError";
    this.stack = message;
  }
}

export const realSystem: ChromiumSearchSystem = {
  env: process.env,
  homeDir: os.homedir(),
  isExecutableFile(file) {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  },
  listDirectory(directory) {
    try {
      return readdirSync(directory);
    } catch {
      return [];
    }
  },
};

function playwrightCacheDirectories(system: ChromiumSearchSystem): string[] {
  const configured = system.env.PLAYWRIGHT_BROWSERS_PATH;
  const directories = configured && configured !== "0" ? [configured] : [];
  directories.push(
    path.join(system.env.XDG_CACHE_HOME || path.join(system.homeDir, ".cache"), "ms-playwright"),
  );
  return directories;
}

function revision(entry: string): number {
  return Number(/^chromium-(\d+)$/.exec(entry)?.[1] ?? NaN);
}

/** Every candidate in the order it is tried; the first executable one wins. */
export function chromiumCandidates(system: ChromiumSearchSystem): string[] {
  const candidates = ["/usr/bin/chromium"];
  const searchPath = (system.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  for (const name of PATH_NAMES)
    for (const directory of searchPath) candidates.push(path.join(directory, name));
  for (const cache of playwrightCacheDirectories(system)) {
    const downloads = system
      .listDirectory(cache)
      .filter((entry) => Number.isFinite(revision(entry)))
      .sort((a, b) => revision(b) - revision(a));
    for (const download of downloads)
      for (const binary of PLAYWRIGHT_BINARIES) candidates.push(path.join(cache, download, binary));
  }
  return candidates;
}

/**
 * The Chromium executable the browser tests launch. `CHROMIUM_PATH`, when set, is the only
 * place looked at: a wrong value is a mistake to report, not something to work around.
 */
export function findChromium(system: ChromiumSearchSystem = realSystem): string {
  const configured = system.env.CHROMIUM_PATH;
  if (configured) {
    if (system.isExecutableFile(configured)) return configured;
    throw new ChromiumNotFoundError(
      `CHROMIUM_PATH=${configured} is not an executable file: point it at a Chromium or Chrome binary, or unset it`,
    );
  }
  const found = chromiumCandidates(system).find((candidate) => system.isExecutableFile(candidate));
  if (!found) throw new ChromiumNotFoundError(CHROMIUM_MISSING);
  return found;
}
