import { pluckConfig } from "@shopify/api-codegen-preset";

// Types of the app's Admin GraphQL operations (app/graphql/*.ts), generated offline from the
// committed schema: `npm run graphql:codegen`. test/graphql/operations.test.ts fails when the
// committed output is stale. Shopify's preset would download the schema and emit every object
// type (1 MB); graphql-codegen's own plugins with the preset's `#graphql` finder emit only the
// operations' result types plus the schema's enums and inputs as plain types.
export const schema = "./app/graphql/schema/admin-2026-01.graphql";
export const documents = ["./app/graphql/*.ts", "!./app/graphql/client.ts", "!./app/graphql/index.ts"];
export const output = "./app/graphql/generated/admin.types.ts";

export default {
  schema,
  documents,
  extensions: {
    codegen: {
      pluckConfig,
      generates: {
        [output]: {
          plugins: ["typescript", "typescript-operations"],
          config: {
            onlyOperationTypes: true,
            disableDescriptions: true,
            enumsAsTypes: true,
            useTypeImports: true,
            defaultScalarType: "string",
            scalars: { JSON: "unknown" },
            skipTypename: true,
          },
        },
      },
    },
  },
};
