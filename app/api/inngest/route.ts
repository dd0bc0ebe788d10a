import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

// Inngest (the embedded engine, the Dev Server or Inngest Cloud) syncs the app and runs its
// functions through this route; in signed mode the SDK refuses calls it cannot verify.
export const { GET, POST, PUT } = serve({ client: inngest, functions });

// A webhook attempt may take up to 15 s; the SDK answers each call after at most one step.
export const maxDuration = 60;
