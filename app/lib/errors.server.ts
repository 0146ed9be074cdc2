/**
 * Merchant input that cannot be accepted. Routes turn it into field errors on the form (422);
 * nothing is saved when it is thrown.
 */
export class ValidationError extends Error {
  override name = "ValidationError";
  constructor(
    public readonly fieldErrors: Record<string, string>,
    message = "The input is not valid",
  ) {
    super(message);
  }
}

/** The thing asked for does not exist for this shop (also when it belongs to another shop). */
export class NotFoundError extends Error {
  override name = "NotFoundError";
}
