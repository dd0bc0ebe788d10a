import "server-only";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { parseWith } from "@/lib/api/route";
import { DomainError, NotFoundError, ValidationError } from "@/lib/errors";
import { type DashboardViewer, requireDashboardScope } from "./access";

/** What every dashboard server action answers: its result, or what to tell the viewer. */
export type ActionResult<Data extends object = object> =
  | ({ ok: true } & Data)
  | {
      ok: false;
      /** A message about the whole request (the endpoint was deleted meanwhile, say). */
      error?: string;
      /** Per form field, readable as it is ("URL is required"). */
      fieldErrors?: Record<string, string>;
    };

/**
 * A dashboard action, called with its input, or as a form's action with the previous state and
 * the form's data (useActionState).
 */
export type DashboardAction<Input, Data extends object> = (
  inputOrState: Input | ActionResult | null,
  formData?: FormData,
) => Promise<ActionResult<Data>>;

export type DashboardActionOptions<Schema extends z.ZodType> = {
  /** The action's input, parsed with the API's own schema and wording. */
  schema: Schema;
  /** The page the action belongs to: a signed-out viewer signs in and comes back to it. */
  page: string;
  /** Pages whose data the action changes, rendered again once it succeeds. */
  revalidate?: string[];
  /** Said when what the action names does not exist, or belongs to another organization. */
  notFound: string;
  /** A form's fields as `name: label`, so "is required" reads "URL is required". */
  fields?: Record<string, string>;
  /** The values a <form> posts, as the schema's input (for actions used with useActionState). */
  fromForm?: (formData: FormData) => unknown;
  /** The form's own words for a field's problem, where the API's read oddly in a form. */
  reword?: (field: string, message: string) => string;
  /**
   * Input fields that name what the action acts on. One that cannot be read names nothing that
   * exists, so the answer is `notFound`, as the management API answers 404 for such an id.
   */
  ids?: string[];
};

/**
 * Every dashboard server action, one way: the viewer must be a dashboard admin (else a redirect
 * to sign in or to the no-access page), the input is parsed as the management API parses it, the
 * handler runs in the viewer's Scope, and domain refusals become an ActionResult rather than an
 * error page. Only genuine faults throw. Called with one argument, or as a form action with the
 * previous state and the FormData (useActionState).
 */
export function dashboardAction<Schema extends z.ZodType, Data extends object>(
  options: DashboardActionOptions<Schema>,
  handler: (input: z.output<Schema>, viewer: DashboardViewer) => Promise<Data>,
): DashboardAction<z.input<Schema>, Data> {
  return async (inputOrState, formData) => {
    const viewer = await requireDashboardScope(options.page);
    const raw =
      formData && options.fromForm ? options.fromForm(formData) : (formData ?? inputOrState);
    try {
      const data = await handler(parseWith(options.schema, raw), viewer);
      for (const page of options.revalidate ?? []) revalidatePath(page);
      return { ok: true, ...data };
    } catch (error) {
      return refusal(error, options);
    }
  };
}

function refusal<Schema extends z.ZodType>(
  error: unknown,
  options: DashboardActionOptions<Schema>,
): ActionResult<never> {
  if (error instanceof NotFoundError) return { ok: false, error: options.notFound };
  if (error instanceof ValidationError) {
    if (Object.keys(error.fields).some((path) => options.ids?.includes(path))) {
      return { ok: false, error: options.notFound };
    }
    const fieldErrors: Record<string, string> = {};
    const other: string[] = [];
    for (const [path, message] of Object.entries(error.fields)) {
      // `event_types[2]` (or `changes.event_types[2]`) is a problem of the `event_types` control.
      const field = path.split(/[.[]/).find((segment) => options.fields?.[segment]);
      const label = field && options.fields?.[field];
      if (!field || !label) {
        other.push(path === "body" ? message : `${path} ${message}`);
        continue;
      }
      const worded = options.reword?.(path, message) ?? message;
      // "is required" gets its label; whole sentences ("Enter a full URL…") stay as they are.
      fieldErrors[field] ??= /^[a-z]/.test(worded) ? `${label} ${worded}` : worded;
    }
    return {
      ok: false,
      ...(other.length > 0 ? { error: other.join("; ") } : {}),
      ...(Object.keys(fieldErrors).length > 0 ? { fieldErrors } : {}),
    };
  }
  // Still being delivered, disabled, not allowed…: said as it is.
  if (error instanceof DomainError) return { ok: false, error: error.message };
  throw error;
}
