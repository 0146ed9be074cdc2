import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { generate } from "@graphql-codegen/cli";
import { buildSchema, parse, validate, type GraphQLSchema } from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import codegenConfig, { output, schema as schemaPath } from "../../.graphqlrc";
import { ADMIN_OPERATIONS, FIELDS_AFTER_SCHEMA } from "~/graphql";

// Every operation the app sends, checked against Shopify's published Admin schema (2026-01,
// app/graphql/schema/README.md), and the committed generated types checked against a fresh run.

const root = path.resolve(__dirname, "../..");
let schema: GraphQLSchema;

beforeAll(() => {
  schema = buildSchema(readFileSync(path.join(root, schemaPath), "utf8"));
});

function operationName(operation: string): string {
  const match = /\b(?:query|mutation)\s+(\w+)/.exec(operation);
  if (!match) throw new Error(`An operation without a name: ${operation.slice(0, 80)}`);
  return match[1];
}

/** Validation messages, minus those about fields listed as added after the schema. */
function schemaErrors(operation: string): string[] {
  return validate(schema, parse(operation))
    .map((error) => error.message)
    .filter((message) => {
      const field = /Cannot query field "(\w+)" on type "(\w+)"/.exec(message);
      return !(field && FIELDS_AFTER_SCHEMA[`${field[2]}.${field[1]}`]);
    });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

describe("Admin GraphQL operations", () => {
  it.each(ADMIN_OPERATIONS.map((operation) => [operationName(operation), operation]))(
    "%s is valid against Shopify's 2026-01 Admin schema",
    (_name, operation) => {
      expect(schemaErrors(operation)).toEqual([]);
    },
  );

  it("a misspelt field or a wrong argument fails validation", () => {
    const [createEvent] = ADMIN_OPERATIONS.filter((op) => op.includes("fulfillmentEventCreate"));
    expect(schemaErrors(createEvent.replace("happenedAt", "happendAt"))).toEqual([
      'Cannot query field "happendAt" on type "FulfillmentEvent". Did you mean "happenedAt"?',
    ]);
    expect(schemaErrors(createEvent.replace("FulfillmentEventInput!", "String!")).length).toBeGreaterThan(0);
  });

  it("operation names are unique", () => {
    const names = ADMIN_OPERATIONS.map(operationName);
    expect(new Set(names).size).toBe(names.length);
  });

  it("every field added after 2026-01 says why it is safe", () => {
    for (const [field, why] of Object.entries(FIELDS_AFTER_SCHEMA)) {
      expect(field).toMatch(/^\w+\.\w+$/);
      expect(why.length).toBeGreaterThan(20);
    }
  });

  it("every operation lives in app/graphql and is listed", () => {
    const outside = sourceFiles(path.join(root, "app"))
      .filter((file) => !file.startsWith(path.join(root, "app/graphql")))
      .filter((file) => /#graphql|\b(query|mutation)\s+\w+\s*[({]/.test(readFileSync(file, "utf8")));
    expect(outside.map((file) => path.relative(root, file))).toEqual([]);
    const inside = sourceFiles(path.join(root, "app/graphql"))
      .filter((file) => !file.includes("/generated/"))
      .flatMap(
        (file) => readFileSync(file, "utf8").match(/#graphql[\s\S]*?(?:query|mutation)\s+(\w+)/g) ?? [],
      )
      .map((match) => /(?:query|mutation)\s+(\w+)$/.exec(match)![1]);
    expect(inside.sort()).toEqual(ADMIN_OPERATIONS.map(operationName).sort());
  });

  it("the committed generated types are what `npm run graphql:codegen` writes now", async () => {
    // The `.graphqlrc` project as the CLI reads it; Shopify's pluckConfig hooks are not in its types.
    const config = {
      ...codegenConfig.extensions.codegen,
      schema: codegenConfig.schema,
      documents: codegenConfig.documents,
      cwd: root,
      silent: true,
    } as Parameters<typeof generate>[0];
    const files = (await generate(config, false)) as { filename: string; content: string }[];
    const generated = files.find((file) => path.resolve(root, file.filename) === path.join(root, output));
    expect(generated, "codegen wrote no types file").toBeDefined();
    const committed = readFileSync(path.join(root, output), "utf8");
    expect(
      generated!.content === committed,
      "app/graphql/generated is stale: run `npm run graphql:codegen`",
    ).toBe(true);
  }, 60_000);
});
