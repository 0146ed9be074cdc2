// Hot paths (webhook acknowledgements) make one small database call per request; most of its
// cost is the call itself, not the rows. Calls that arrive in the same turn of the event loop
// are therefore run as one: one statement and one commit for the whole group (group commit),
// and each caller still waits for the call that holds its input.

/**
 * A call refused because too many are already waiting (queued or in a running batch): the
 * database is not keeping up, and holding more would only grow memory. Webhooks answer it with
 * 503 and Retry-After, which Shopify and TrackingMore retry.
 */
export class CallQueueFullError extends Error {
  readonly retryAfterSeconds = 5;
  constructor(readonly limit: number) {
    super(`${limit} calls are already waiting; try again later`);
    this.name = "CallQueueFullError";
  }
}

/**
 * Wraps `run` so that inputs queued in the same event-loop turn reach it together. `run` gets
 * up to `maxBatch` inputs and returns one result per input, in the same order; when it throws,
 * every caller of that batch gets the error. At most `maxPending` inputs wait at once (queued
 * or in a running batch); one more is refused at once with CallQueueFullError.
 */
export function batchedCalls<Input, Output>(
  run: (inputs: Input[]) => Promise<Output[]>,
  { maxBatch = 200, maxPending = () => Infinity }: { maxBatch?: number; maxPending?: () => number } = {},
): (input: Input) => Promise<Output> {
  let queue: { input: Input; resolve: (output: Output) => void; reject: (error: unknown) => void }[] = [];
  let pending = 0;

  function flush() {
    const batch = queue.slice(0, maxBatch);
    queue = queue.slice(batch.length);
    if (queue.length > 0) setImmediate(flush);
    run(batch.map((entry) => entry.input))
      .then((outputs) => {
        if (outputs.length !== batch.length)
          throw new Error(`batched call returned ${outputs.length} results for ${batch.length} inputs`);
        batch.forEach((entry, i) => entry.resolve(outputs[i]));
      })
      .catch((error: unknown) => batch.forEach((entry) => entry.reject(error)));
  }

  return (input) => {
    const limit = maxPending();
    if (pending >= limit) return Promise.reject(new CallQueueFullError(limit));
    pending++;
    const settled = () => {
      pending--;
    };
    return new Promise<Output>((resolve, reject) => {
      queue.push({
        input,
        resolve: (output) => {
          settled();
          resolve(output);
        },
        reject: (error) => {
          settled();
          reject(error);
        },
      });
      if (queue.length === 1) setImmediate(flush);
    });
  };
}
