import { describe, expect, it } from "vitest";
import { batchedCalls } from "~/lib/batched-calls.server";

describe("batchedCalls", () => {
  it("runs calls made in the same turn together, each caller getting its own result", async () => {
    const runs: number[][] = [];
    const double = batchedCalls(async (inputs: number[]) => {
      runs.push(inputs);
      return inputs.map((n) => n * 2);
    });
    const together = await Promise.all([double(1), double(2), double(3)]);
    const later = await double(4);
    expect(together).toEqual([2, 4, 6]);
    expect(later).toBe(8);
    expect(runs).toEqual([[1, 2, 3], [4]]);
  });

  it("splits a large group at maxBatch and still answers everyone", async () => {
    const sizes: number[] = [];
    const echo = batchedCalls(
      async (inputs: number[]) => {
        sizes.push(inputs.length);
        return inputs;
      },
      { maxBatch: 4 },
    );
    const inputs = Array.from({ length: 10 }, (_, i) => i);
    expect(await Promise.all(inputs.map(echo))).toEqual(inputs);
    expect(sizes).toEqual([4, 4, 2]);
  });

  it("gives every caller of a failed run the error, and a short answer fails them too", async () => {
    const failing = batchedCalls(async (): Promise<number[]> => {
      throw new Error("database is down");
    });
    const results = await Promise.allSettled([failing(1), failing(2)]);
    expect(results.map((r) => r.status === "rejected" && (r.reason as Error).message)).toEqual([
      "database is down",
      "database is down",
    ]);
    const short = batchedCalls(async () => [1]);
    await expect(Promise.all([short(1), short(2)])).rejects.toThrow("1 results for 2 inputs");
  });
});
