import { json } from "@remix-run/node";
import { NotFoundError, ValidationError } from "~/lib/errors.server";

// How every admin action answers a model's refusal: field errors on the form (422), another
// shop's or a missing tracking as 404. Anything else is a real failure and propagates.
export async function answerModelErrors<T>(work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ValidationError) {
      return json({ ok: false as const, fieldErrors: error.fieldErrors }, { status: 422 });
    }
    if (error instanceof NotFoundError) throw new Response("Not found", { status: 404 });
    throw error;
  }
}

/** A form's list of ids, sent as a JSON array in one field. */
export function formIds(form: FormData, field = "ids"): string[] {
  try {
    const value = JSON.parse(String(form.get(field) ?? "[]")) as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}
