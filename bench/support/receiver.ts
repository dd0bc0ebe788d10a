/**
 * The customer's endpoint for the webhook benchmarks: bench/support/receiver-process.mjs in a
 * child process, as the customer's server would be, so its work does not share the event loop
 * being measured. Arrivals (webhook-id and time) are collected over IPC while waiting.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

export type Received = { id: string; at: number };

/** Starts the receiver; `url` is where it listens. */
export async function startReceiver() {
  const child = fork(fileURLToPath(new URL("./receiver-process.mjs", import.meta.url)), {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const requests: Received[] = [];
  let answer: ((message: unknown) => void) | null = null;
  child.on("message", (message) => answer?.(message));
  const next = () => new Promise<unknown>((resolve) => (answer = resolve));
  const { port } = (await next()) as { port: number };
  const collect = async () => {
    const reply = next();
    child.send("collect");
    const { arrivals } = (await reply) as { arrivals: [string, number][] };
    for (const [id, at] of arrivals) requests.push({ id, at });
  };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Resolves once `count` requests matching `matches` have arrived. */
    async waitFor(matches: (request: Received) => boolean, count: number, timeoutMs: number) {
      const deadline = performance.now() + timeoutMs;
      let seen = 0;
      let arrived = 0;
      for (;;) {
        await collect();
        for (; seen < requests.length; seen++) if (matches(requests[seen] as Received)) arrived++;
        if (arrived >= count) return;
        if (performance.now() > deadline) {
          throw new Error(`Only ${arrived} of ${count} deliveries arrived`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send("stop");
      await exited;
    },
  };
}
