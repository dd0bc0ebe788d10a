import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A customer's webhook receiver on 127.0.0.1, scripted per path: each request on a path takes
 * the next answer of that path's script (the last one repeats). An answer is a status code, or
 * `"hang"`: the request is held open, unanswered, until the sender goes away — how a test keeps
 * an attempt in flight while it kills the server. Every request is recorded with its headers,
 * raw body, arrival time and how it ended.
 */
export type ScriptedAnswer = number | "hang";

export type ReceivedRequest = {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Date.now() when the request's headers arrived. */
  at: number;
  /** The status answered, or null for a request held open (`"hang"`). */
  answered: number | null;
  /** Date.now() when the sender closed the connection of a held request; null while open. */
  abandonedAt: number | null;
};

export type WebhookReceiver = {
  url: string;
  requests: ReceivedRequest[];
  script(path: string, answers: ScriptedAnswer[]): void;
  /** Requests on a path, in arrival order. */
  on(path: string): ReceivedRequest[];
  /** Requests held open right now. */
  held(): ReceivedRequest[];
  close(): Promise<void>;
};

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const scripts = new Map<string, ScriptedAnswer[]>();
  const server = http.createServer((request, response) => {
    const at = Date.now();
    const path = new URL(request.url ?? "/", "http://receiver").pathname;
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const script = scripts.get(path) ?? [204];
      const nth = requests.filter((received) => received.path === path).length;
      const answer = script[Math.min(nth, script.length - 1)] ?? 204;
      const received: ReceivedRequest = {
        path,
        headers: flattenHeaders(request.headers),
        body: Buffer.concat(chunks).toString("utf8"),
        at,
        answered: answer === "hang" ? null : answer,
        abandonedAt: null,
      };
      requests.push(received);
      if (answer === "hang") {
        response.on("close", () => {
          received.abandonedAt = Date.now();
        });
        return;
      }
      response.writeHead(answer, { "content-type": "text/plain" }).end(`scripted ${answer}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    script(path, answers) {
      scripts.set(path, answers);
    },
    on(path) {
      return requests.filter((received) => received.path === path);
    },
    held() {
      return requests.filter((received) => received.answered === null && !received.abandonedAt);
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}
