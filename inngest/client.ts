import { Inngest } from "inngest";

/**
 * The one Inngest client. Where it sends events and who calls its functions (the embedded
 * engine, the Inngest Dev Server, self-hosted Inngest or Inngest Cloud) comes from the SDK's own
 * INNGEST_* variables; nothing in the app depends on which it is.
 */
export const inngest = new Inngest({ id: "gatehouse" });
