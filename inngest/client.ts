import { Inngest } from "inngest";
import { env, inngestKeys } from "@/lib/env";

const settings = env.inngest;

/**
 * The one Inngest client, configured from lib/env: the embedded engine of this process, the
 * Inngest Dev Server, self-hosted Inngest or Inngest Cloud; nothing in the app depends on which.
 */
export const inngest = new Inngest({
  id: "gatehouse",
  isDev: settings.isDev,
  baseUrl: settings.baseUrl,
  // Getters: the SDK reads these options each time it signs, verifies or sends (the engine's
  // contract suite checks it), and the keys are only derived then, never during a build.
  get signingKey() {
    return inngestKeys().signingKey;
  },
  get eventKey() {
    return inngestKeys().eventKey;
  },
});
