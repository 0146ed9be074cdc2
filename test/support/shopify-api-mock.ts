import { http, HttpResponse, type JsonBodyType } from "msw";
import { setupServer } from "msw/node";
import { ADMIN_OPERATIONS } from "~/graphql";

/** Intercepts Shopify's APIs for the whole test process; tests add handlers with `.use()`. */
export const shopifyApiMock = setupServer();

export interface GraphqlCall {
  shop: string;
  query: string;
  variables: Record<string, unknown>;
  accessToken: string | null;
}

/**
 * Answers the Admin GraphQL API of every shop with `respond`, and records each call so a test
 * can assert exactly what the app sent.
 */
export function interceptAdminGraphql(
  respond: (call: GraphqlCall) => JsonBodyType | Response | Promise<JsonBodyType | Response>,
): GraphqlCall[] {
  const calls: GraphqlCall[] = [];
  shopifyApiMock.use(
    http.post("https://:shop/admin/api/:version/graphql.json", async ({ request, params }) => {
      const body = (await request.json()) as { query: string; variables?: Record<string, unknown> };
      const call: GraphqlCall = {
        shop: String(params.shop),
        query: body.query,
        variables: body.variables ?? {},
        accessToken: request.headers.get("x-shopify-access-token"),
      };
      calls.push(call);
      // Only operations test/graphql/operations.test.ts validated against Shopify's schema.
      if (!ADMIN_OPERATIONS.includes(call.query)) {
        return HttpResponse.json({
          errors: [{ message: "Not an operation of app/graphql (unvalidated against the Admin schema)" }],
        });
      }
      const answer = await respond(call);
      return answer instanceof Response ? answer : HttpResponse.json(answer);
    }),
  );
  return calls;
}

/** Token exchange / OAuth: answers with an offline access token and records the calls. */
export function interceptTokenExchange(accessToken = "shpat_test_token"): { shop: string }[] {
  const calls: { shop: string }[] = [];
  shopifyApiMock.use(
    http.post("https://:shop/admin/oauth/access_token", ({ params }) => {
      calls.push({ shop: String(params.shop) });
      return HttpResponse.json({ access_token: accessToken, scope: process.env.SCOPES });
    }),
  );
  return calls;
}
