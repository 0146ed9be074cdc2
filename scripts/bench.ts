// `npm run bench`: every benchmark part, one after another, each in a process of its own.
// A part is a file `scripts/bench-<name>.ts` that runs when executed, writes its own section of
// BENCHMARKS.md (scripts/lib/bench-report.ts) and exits 0 when its targets are met.
//
//   npm run bench                      all parts
//   npm run bench -- --only ingest     one part (repeatable: --only ingest --only push)
//   npm run bench -- --list            the parts there are
// Other arguments are passed to every part that runs. BENCH_APP_NODE_OPTIONS is given to the
// app server as NODE_OPTIONS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { root } from "./lib/app-server";

export function benchmarkParts(): string[] {
  return readdirSync(path.join(root, "scripts"))
    .map((file) => /^bench-(.+)\.ts$/.exec(file)?.[1])
    .filter((name): name is string => Boolean(name))
    .sort();
}

function runPart(name: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), [`scripts/bench-${name}.ts`, ...args], {
      cwd: root,
      stdio: "inherit",
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(argv: string[]): Promise<number> {
  const parts = benchmarkParts();
  if (argv.includes("--list")) {
    console.log(parts.join("\n"));
    return 0;
  }
  const only: string[] = [];
  const passThrough: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--only") only.push(...(argv[++i] ?? "").split(",").filter(Boolean));
    else passThrough.push(argv[i]);
  }
  const unknown = only.filter((name) => !parts.includes(name));
  if (unknown.length > 0) {
    console.error(`bench: no part named ${unknown.join(", ")}; parts: ${parts.join(", ")}`);
    return 2;
  }
  const chosen = only.length > 0 ? only : parts;
  const outcomes: [string, number][] = [];
  for (const name of chosen) {
    console.log(`\n=== bench ${name} ===`);
    outcomes.push([name, await runPart(name, passThrough)]);
  }
  console.log("\n=== bench summary ===");
  for (const [name, code] of outcomes) {
    console.log(
      `${name.padEnd(12)} ${code === 0 ? "targets met" : code === 3 ? "targets missed (see BENCHMARKS.md)" : `failed (exit ${code})`}`,
    );
  }
  return outcomes.every(([, code]) => code === 0) ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
