// The piece of the Admin API client our models need: `authenticate.admin(...).admin`,
// `unauthenticated.admin(shop)` and the tests' fakes all have it.
export interface AdminGraphql {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

/** A GraphQL answer: the operation's generated data type, plus errors and cost extensions. */
export interface GraphqlBody<TData> {
  data?: TData | null;
  errors?: unknown;
  extensions?: unknown;
}

/** Sends one operation and reads its JSON body, typed by the operation's generated type. */
export async function adminRequest<TData, TVariables extends object = Record<string, unknown>>(
  admin: AdminGraphql,
  operation: string,
  variables?: TVariables,
): Promise<GraphqlBody<TData>> {
  const response = await admin.graphql(
    operation,
    variables ? { variables: { ...variables } as Record<string, unknown> } : undefined,
  );
  return (await response.json()) as GraphqlBody<TData>;
}
