import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

export type SqlParameter = string | number | null;
export type RequestPathQuery = (
  sql: string,
  values: SqlParameter[],
) => Promise<Record<string, unknown>[] | null>;

type SqliteAdapterFactory = PrismaBetterSQLite3;
type SqliteAdapter = Awaited<ReturnType<SqliteAdapterFactory["connect"]>>;
type SqliteTransaction = Awaited<ReturnType<SqliteAdapter["startTransaction"]>>;
type SqlArgumentType = Parameters<SqliteAdapter["queryRaw"]>[0]["argTypes"][number];
const TEXT_ARGUMENT: SqlArgumentType = { scalarType: "string", arity: "scalar" };

/**
 * better-sqlite3 answers synchronously, so without this a job's whole round of queries would run
 * as one unbroken chain of promise callbacks, and requests (webhooks waiting for their 200)
 * would wait for all of it. Each query first lets the event loop serve what is waiting.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A first-come, first-served lock: resolves with the function that releases it. */
export function fifoLock(): () => Promise<() => void> {
  let tail: Promise<void> = Promise.resolve();
  return () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const acquired = tail.then(() => release);
    tail = tail.then(() => released);
    return acquired;
  };
}

/**
 * Prisma's better-sqlite3 adapter runs plain queries and transactions on one connection and
 * serialises only the transactions: a plain query made while an interactive transaction is
 * open would run inside it, be undone if it rolls back, and be durable only when it commits. A
 * webhook acknowledged on such a write could be lost. Here every plain query waits until no
 * transaction is open, and transactions wait for plain queries in flight, first come first
 * served; and each lets the event loop turn first (see yieldToEventLoop).
 */
export function queriesWaitForTransactions(factory: SqliteAdapterFactory): Pick<
  SqliteAdapterFactory,
  "provider" | "adapterName" | "connect"
> & {
  queryOnRequestPath: RequestPathQuery;
} {
  let connected: RequestPathQuery | undefined;
  const connect = async (): Promise<SqliteAdapter> => {
    const adapter = await factory.connect();
    const lock = fifoLock();
    const inTurn = async <T>(work: () => Promise<T>): Promise<T> => {
      const release = await lock();
      try {
        return await work();
      } finally {
        release();
      }
    };
    const alone = async <T>(work: () => Promise<T>): Promise<T> => {
      await yieldToEventLoop();
      return inTurn(work);
    };
    connected = async (sql, values) => {
      const result = await inTurn(() =>
        adapter.queryRaw({ sql, args: values, argTypes: values.map(() => TEXT_ARGUMENT) }),
      );
      return result.rows.map((row) =>
        Object.fromEntries(result.columnNames.map((column, i) => [column, row[i]])),
      );
    };
    return {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
      queryRaw: (query) => alone(() => adapter.queryRaw(query)),
      executeRaw: (query) => alone(() => adapter.executeRaw(query)),
      executeScript: (script) => alone(() => adapter.executeScript(script)),
      getConnectionInfo: adapter.getConnectionInfo?.bind(adapter),
      dispose: () => adapter.dispose(),
      startTransaction: async (isolationLevel) => {
        await yieldToEventLoop();
        const release = await lock();
        let transaction: SqliteTransaction;
        try {
          transaction = await adapter.startTransaction(isolationLevel);
        } catch (error) {
          release();
          throw error;
        }
        const end = async (how: () => Promise<void>) => {
          try {
            await how();
          } finally {
            release();
          }
        };
        return {
          provider: transaction.provider,
          adapterName: transaction.adapterName,
          options: transaction.options,
          queryRaw: (query) => transaction.queryRaw(query),
          executeRaw: (query) => transaction.executeRaw(query),
          commit: () => end(() => transaction.commit()),
          rollback: () => end(() => transaction.rollback()),
        };
      },
    };
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect,
    // Null until Prisma has opened the connection: the caller then goes through Prisma.
    queryOnRequestPath: async (sql, values) => (connected ? connected(sql, values) : null),
  };
}
