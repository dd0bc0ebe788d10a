import type * as EnvModule from "@/lib/env";

/**
 * lib/env as it would be parsed with some variables set otherwise, for a test file that runs
 * with a configuration of its own:
 *
 *   vi.mock("@/lib/env", async (original) =>
 *     (await import("@/tests/support/settings")).withSettings(await original(), {
 *       WEBHOOK_RETRY_DELAYS: "1s,1s,1s",
 *     }),
 *   );
 *
 * The settings are parsed by the app's own parser, so a file gets exactly what a server started
 * with those variables would, and no test changes the settings another test reads.
 */
export function withSettings(
  actual: typeof EnvModule,
  variables: Record<string, string>,
): typeof EnvModule {
  return { ...actual, env: actual.parseEnv({ ...process.env, ...variables }) };
}
