import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

/**
 * A customer's webhook receiver on 127.0.0.1, the one test double of it for vitest and
 * Playwright alike (senders need WEBHOOK_ALLOW_PRIVATE_TARGETS=true to reach it). Every request
 * is recorded as it arrived; what it answers is scripted, for every path or per path; with a
 * path's signing secret, it checks each request's Standard Webhooks signature as a careful
 * receiver would, and refuses one that does not verify.
 */

/** A status, a status with a body and a delay before answering, or "hang": never answer. */
export type Answer = number | { status: number; body?: string; delayMs?: number } | "hang";

/** Answers taken in turn by the next requests (the last one repeats), or one per request. */
export type Script = Answer[] | ((nth: number) => Answer);

export type ReceivedRequest = {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Date.now() when the request's headers arrived. */
  at: number;
  /** The status answered; null for a request held open ("hang"). */
  answered: number | null;
  /** Date.now() when the sender gave up on a held request; null while it is open. */
  abandonedAt: number | null;
  /** Whether its signature verified with its path's secret; null when the path has none. */
  verified: boolean | null;
};

export type WebhookReceiver = {
  /** `origin` + "/hooks": an endpoint URL for tests that need just one. */
  url: string;
  origin: string;
  requests: ReceivedRequest[];
  /** What every path without a script of its own answers next (204 until told). */
  reply(...answers: Answer[]): void;
  /** What requests on `path` answer next; a function gets the request's number on the path. */
  script(path: string, script: Script): void;
  /** Verifies requests on `path` with this secret; unverified ones are answered 401. */
  verify(path: string, secret: string): void;
  /** Requests on a path, in arrival order. */
  on(path: string): ReceivedRequest[];
  /** Requests held open right now. */
  held(): ReceivedRequest[];
  close(): Promise<void>;
};

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const scripts = new Map<string, Script>();
  const secrets = new Map<string, string>();
  let answers: Answer[] = [204];

  const server = http.createServer((request, response) => {
    const at = Date.now();
    const path = new URL(request.url ?? "/", "http://receiver").pathname;
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const headers = flattenHeaders(request.headers);
      const body = Buffer.concat(chunks).toString("utf8");
      const secret = secrets.get(path);
      const verified = secret === undefined ? null : verifies(secret, body, headers);
      const nth = requests.filter((received) => received.path === path).length + 1;
      const answer = verified === false ? { status: 401, body: "bad signature" } : next(path, nth);
      const received: ReceivedRequest = {
        path,
        headers,
        body,
        at,
        answered: answer === "hang" ? null : statusOf(answer),
        abandonedAt: null,
        verified,
      };
      requests.push(received);
      if (answer === "hang") {
        response.on("close", () => {
          received.abandonedAt = Date.now();
        });
        return;
      }
      const {
        status,
        body: text = `answered ${status}`,
        delayMs = 0,
      } = typeof answer === "number" ? { status: answer } : answer;
      const send = () =>
        response
          .writeHead(status, { "content-type": "text/plain", "x-receiver": "test" })
          .end(text);
      if (delayMs > 0) setTimeout(send, delayMs);
      else send();
    });
  });

  function next(path: string, nth: number): Answer {
    const script = scripts.get(path);
    if (typeof script === "function") return script(nth);
    const queue = script ?? answers;
    return (queue.length > 1 ? queue.shift() : queue[0]) ?? 204;
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/hooks`,
    origin,
    requests,
    reply(...next) {
      answers = next;
    },
    script(path, script) {
      scripts.set(path, Array.isArray(script) ? [...script] : script);
    },
    verify(path, secret) {
      secrets.set(path, secret);
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

function statusOf(answer: Exclude<Answer, "hang">): number {
  return typeof answer === "number" ? answer : answer.status;
}

function verifies(secret: string, body: string, headers: Record<string, string>): boolean {
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch {
    return false;
  }
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}
