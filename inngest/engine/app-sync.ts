import type { AppClient } from "./http-client";
import { canonicalJson } from "./signing";

// Syncing the app, as the Inngest Dev Server does: `PUT {appUrl}` with
// `x-inngest-sync-kind: in_band`, answered with the app's function configs. The first sync is
// retried until the app answers (it usually is still booting when the engine starts); later
// ones happen when a run names a function the engine does not know.

const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5_000;
// An unknown function id triggers at most one re-sync per this interval.
const RESYNC_MIN_INTERVAL_MS = 2_000;

export class AppSync {
  private stopped = false;
  private lastSyncAt = 0;
  private resyncTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly client: AppClient,
    private readonly appUrl: string,
    private readonly apply: (functions: unknown[]) => void,
    // Whether functions came in before (an out-of-band sync through /fn/register counts).
    private readonly alreadySynced: () => boolean,
    // Signature headers for a body (signed mode), or none.
    private readonly sign: (body: string) => Record<string, string>,
  ) {}

  /** Syncs, retrying with backoff until the app answers or the engine stops. */
  async untilAnswered(): Promise<void> {
    let delay = RETRY_MIN_MS;
    let reported = false;
    while (!this.stopped) {
      try {
        await this.once();
        return;
      } catch (error) {
        if (!reported) {
          console.log(
            `[inngest-engine] waiting for the app at ${this.appUrl} to answer the sync (${error instanceof Error ? error.message : String(error)})`,
          );
          reported = true;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    }
  }

  /** Asks for a sync soon, at most once per interval however often it is asked. */
  requestResync(): void {
    if (this.resyncTimer || this.stopped) return;
    const delay = Math.max(0, this.lastSyncAt + RESYNC_MIN_INTERVAL_MS - Date.now());
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = null;
      this.once().catch((error) => {
        console.error("[inngest-engine] re-sync failed", error);
        this.requestResync();
      });
    }, delay);
    this.resyncTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
  }

  private async once(): Promise<void> {
    this.lastSyncAt = Date.now();
    const body = canonicalJson({ url: this.appUrl });
    const response = await this.client.request(this.appUrl, {
      method: "PUT",
      headers: {
        "content-type": "application/json",
        "x-inngest-sync-kind": "in_band",
        ...this.sign(body),
      },
      body,
      timeoutMs: 60_000,
    });
    if (this.stopped) return;
    if (response.status !== 200) {
      throw new Error(`it answered ${response.status} ${response.body.slice(0, 200)}`);
    }
    const answer = JSON.parse(response.body) as { functions?: unknown };
    if (Array.isArray(answer.functions)) {
      this.apply(answer.functions);
      return;
    }
    // With INNGEST_ALLOW_IN_BAND_SYNC=0 the SDK posted its functions to /fn/register instead.
    if (response.headers["x-inngest-sync-kind"] !== "out_of_band" || !this.alreadySynced()) {
      throw new Error("the sync answer holds no functions");
    }
  }
}
