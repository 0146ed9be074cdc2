import { describe, expect, it } from "vitest";
import prisma from "~/db/client.server";
import { insertStatements, isUniqueConstraintError, newRowId } from "~/db/sql.server";
import { recordShopifyDelivery } from "~/pipeline/ingest/inbox.server";

// A webhook is acknowledged once its delivery is written. On SQLite, Prisma's adapter runs
// plain queries on the connection an open transaction holds, so without app/db/sqlite-guard.server.ts's
// queriesWaitForTransactions that write would join the transaction and vanish with its rollback.
describe("plain writes and open transactions", () => {
  it("keeps a delivery recorded while another transaction is open and then rolls back", async () => {
    let recorded: Promise<unknown> | undefined;
    const rolledBack = prisma
      .$transaction(async (tx) => {
        await tx.shop.create({ data: { domain: "rolled-back.myshopify.com" } });
        recorded = recordShopifyDelivery({
          shop: "kept.myshopify.com",
          topic: "fulfillments/create",
          webhookId: "kept-while-a-transaction-is-open",
          rawPayload: JSON.stringify({ id: 1 }),
          shopInstalled: true,
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error("roll back");
      })
      .catch((error: Error) => error.message);

    expect(await rolledBack).toBe("roll back");
    expect(await recorded).toBe("accepted");
    expect(await prisma.shop.count({ where: { domain: "rolled-back.myshopify.com" } })).toBe(0);
    expect(
      await prisma.webhookDelivery.count({ where: { webhookId: "kept-while-a-transaction-is-open" } }),
    ).toBe(1);
  });
});

describe("insertStatements", () => {
  it("writes rows Prisma reads back as its own, and reports a duplicate as a unique violation", async () => {
    const at = new Date(Date.UTC(2026, 10, 26, 12, 30, 15, 250));
    const rows = Array.from({ length: 3 }, (_, i) => ({
      id: newRowId(),
      shop: "raw.myshopify.com",
      fulfillmentId: `raw-${i}`,
      orderId: `${1000 + i}`,
      orderName: i === 1 ? null : `#${1000 + i}`,
      shopifyUpdatedAt: at,
      createdAt: at,
      updatedAt: at,
    }));
    for (const { sql, values } of insertStatements("Fulfillment", rows))
      await prisma.$executeRawUnsafe(sql, ...values);

    const stored = await prisma.fulfillment.findMany({
      where: { shop: "raw.myshopify.com", createdAt: { gte: at } },
      orderBy: { fulfillmentId: "asc" },
    });
    expect(stored.map((f) => [f.fulfillmentId, f.orderName, f.trackingNumbers])).toEqual([
      ["raw-0", "#1000", "[]"],
      ["raw-1", null, "[]"],
      ["raw-2", "#1002", "[]"],
    ]);
    expect(stored[0].shopifyUpdatedAt).toEqual(at);

    const [again] = insertStatements("Fulfillment", [{ ...rows[0], id: newRowId() }]);
    const refused = await prisma
      .$executeRawUnsafe(again.sql, ...again.values)
      .catch((error: unknown) => error);
    expect(isUniqueConstraintError(refused)).toBe(true);
  });
});
