import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

type RouteFunction = (args: ActionFunctionArgs | LoaderFunctionArgs) => Promise<unknown> | unknown;

/**
 * Calls a route's loader or action as Remix would, returning a Response whether the route
 * returned or threw it (authentication failures and redirects are thrown).
 */
export async function callRoute(
  fn: RouteFunction,
  request: Request,
  params: Record<string, string> = {},
): Promise<Response> {
  try {
    const result = await fn({ request, params, context: {} });
    if (result instanceof Response) return result;
    return Response.json(result ?? null);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
