// Shared by every part of `npm run bench`: the machine description and BENCHMARKS.md, where
// each part owns one "## <title>" section and leaves the others as they are.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { root } from "./app-server";

export const BENCHMARKS_FILE = path.join(root, "BENCHMARKS.md");

export function machineDescription(): string {
  const cpuModel =
    readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((line) => line.startsWith("model name"))
      ?.split(":")[1]
      ?.trim() ??
    os.cpus()[0]?.model ??
    "unknown";
  let nproc = String(os.availableParallelism());
  let memory = `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`;
  try {
    nproc = execFileSync("nproc", { encoding: "utf8" }).trim();
    const mem = execFileSync("free", ["-h"], { encoding: "utf8" })
      .split("\n")
      .find((l) => l.startsWith("Mem:"));
    if (mem) memory = `${mem.split(/\s+/)[1]} total, ${mem.split(/\s+/)[6] ?? "?"} available`;
  } catch {
    // nproc/free missing: the os module's numbers above stand.
  }
  const load = os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
  return `${cpuModel}; nproc ${nproc}; memory ${memory} (free -h); Node ${process.version}; ${os.type()} ${os.release()}; load average at start ${load}`;
}

/** Replaces the "## <title>" section of BENCHMARKS.md (or appends it), keeping all others. */
export function writeBenchmarkSection(title: string, body: string): void {
  const heading = `## ${title}`;
  const current = existsSync(BENCHMARKS_FILE)
    ? readFileSync(BENCHMARKS_FILE, "utf8")
    : "# Benchmarks\n\n`npm run bench` runs every part; `npm run bench -- --only <part>` one of them.\n";
  const section = `${heading}\n\n${body.trim()}\n`;
  const lines = current.split("\n");
  const start = lines.findIndex((line) => line.trim() === heading);
  let next: string;
  if (start < 0) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    let end = lines.findIndex((line, i) => i > start && /^## /.test(line));
    if (end < 0) end = lines.length;
    next = [...lines.slice(0, start), ...section.split("\n"), ...lines.slice(end)].join("\n");
  }
  writeFileSync(BENCHMARKS_FILE, `${next.trimEnd()}\n`);
}
