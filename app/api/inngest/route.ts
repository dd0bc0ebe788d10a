import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

// Inngest (the embedded engine, the Dev Server or Inngest Cloud) syncs the app and runs its
// functions through this route; in signed mode the SDK refuses calls it cannot verify.
const handlers = serve({ client: inngest, functions });

type Handler = typeof handlers.POST;

/**
 * The SDK parses a call's body before it checks the signature, and lets a JSON error escape,
 * which Next.js would answer with a 500. Whoever sends a body that is not JSON gets a 400, in
 * the SDK's own `{ message }` shape; anything else the SDK throws is left alone.
 */
function refusingMalformedJson(handler: Handler): Handler {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      return Response.json({ message: "The request body is not valid JSON" }, { status: 400 });
    }
  };
}

export const GET = handlers.GET;
export const POST = refusingMalformedJson(handlers.POST);
export const PUT = refusingMalformedJson(handlers.PUT);

// A webhook attempt may take up to 15 s; the SDK answers each call after at most one step.
export const maxDuration = 60;
