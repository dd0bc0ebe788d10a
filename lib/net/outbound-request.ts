import "server-only";
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { DomainError } from "@/lib/errors";
import { replaceNul } from "@/lib/text";
import { type OutboundPolicy, OutboundTargetError, resolveOutboundTarget } from "./outbound-target";

export type OutboundRequest = {
  url: string;
  method?: "POST" | "PUT";
  headers?: Record<string, string>;
  body: string;
  /** Covers DNS, connect, and reading the whole response. */
  timeoutMs: number;
  /** Responses larger than this are cut off as an error; hooks answer with a few bytes. */
  maxResponseBytes?: number;
  /**
   * What a response larger than `maxResponseBytes` does: `fail` (default) rejects it as
   * `response_too_large`; `truncate` keeps the first `maxResponseBytes` and marks it truncated,
   * for callers that only log the body (webhook deliveries).
   */
  onLargeResponse?: "fail" | "truncate";
  policy?: OutboundPolicy;
};

export type OutboundResponse = {
  status: number;
  /** Decoded as UTF-8, NULs replaced (see replaceNul), so it can be logged as it is. */
  body: string;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** True when the body was cut at `maxResponseBytes` (`onLargeResponse: "truncate"`). */
  truncated: boolean;
  latencyMs: number;
};

export type OutboundFailureKind = "forbidden_target" | "timeout" | "network" | "response_too_large";

export class OutboundRequestError extends DomainError {
  constructor(
    readonly kind: OutboundFailureKind,
    message: string,
    readonly latencyMs: number,
  ) {
    super(`outbound_${kind}`, message);
  }
}

/**
 * Sends one request to a URL that passes the outbound-target rules, connecting to the address
 * that was checked (see outbound-target.ts). Redirects are not followed: a 3xx could point
 * anywhere, including inside the network, so it is returned as is.
 */
export async function sendOutboundRequest(request: OutboundRequest): Promise<OutboundResponse> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), request.timeoutMs);
  try {
    const target = await withAbort(
      resolveOutboundTarget(request.url, request.policy),
      controller.signal,
    );
    const response = await send(request, target, controller.signal);
    return { ...response, latencyMs: elapsed() };
  } catch (error) {
    if (controller.signal.aborted) {
      throw new OutboundRequestError(
        "timeout",
        `No answer within ${request.timeoutMs} ms`,
        elapsed(),
      );
    }
    if (error instanceof OutboundTargetError) {
      throw new OutboundRequestError("forbidden_target", error.message, elapsed());
    }
    if (error instanceof OutboundRequestError) {
      throw new OutboundRequestError(error.kind, error.message, elapsed());
    }
    const code = (error as NodeJS.ErrnoException).code;
    const message = code ? `${code}: ${(error as Error).message}` : (error as Error).message;
    throw new OutboundRequestError("network", message, elapsed());
  } finally {
    clearTimeout(timer);
  }
}

// Connections stay open between requests and are reused, as webhook senders' are: otherwise
// every delivery to an HTTPS endpoint pays a TCP and a TLS handshake (round trips, and the most
// CPU of the whole request). The agents pool connections by the address they were opened to
// (a request's host is the checked address; the name travels in the Host header and in TLS SNI,
// and certificates are verified against it), so a kept connection is only used again for the
// very address the latest check approved. Idle connections close after IDLE_MS, or sooner when
// the server says so in its Keep-Alive header.
const IDLE_MS = 15_000;
const agents = {
  "http:": new http.Agent({ keepAlive: true, timeout: IDLE_MS, scheduling: "lifo" }),
  "https:": new https.Agent({ keepAlive: true, timeout: IDLE_MS, scheduling: "lifo" }),
};
// A kept connection the server closed just as a request went out fails without an answer; the
// request then goes again on a new connection (at most this many times), rather than being
// reported as the endpoint's failure. Webhooks are at-least-once anyway: the receiver may see
// a request twice, with the same webhook-id.
const STALE_CONNECTION_RETRIES = 2;

async function send(
  request: OutboundRequest,
  target: Awaited<ReturnType<typeof resolveOutboundTarget>>,
  signal: AbortSignal,
): Promise<Omit<OutboundResponse, "latencyMs">> {
  for (let retry = 0; ; retry++) {
    try {
      return await sendOnce(request, target, signal);
    } catch (error) {
      const stale = error instanceof StaleConnectionError;
      if (!stale || retry >= STALE_CONNECTION_RETRIES || signal.aborted) {
        throw stale ? error.cause : error;
      }
    }
  }
}

class StaleConnectionError extends Error {
  constructor(readonly cause: unknown) {
    super("A kept connection was closed by the server");
  }
}

function sendOnce(
  request: OutboundRequest,
  target: Awaited<ReturnType<typeof resolveOutboundTarget>>,
  signal: AbortSignal,
): Promise<Omit<OutboundResponse, "latencyMs">> {
  const maxBytes = request.maxResponseBytes ?? 64 * 1024;
  const truncate = request.onLargeResponse === "truncate";
  const secure = target.url.protocol === "https:";
  const transport = secure ? https : http;
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = transport.request(
      {
        protocol: target.url.protocol,
        // Connect to the address that was checked, whatever DNS would answer now.
        host: target.address,
        family: target.family,
        port: target.url.port || (secure ? 443 : 80),
        path: `${target.url.pathname}${target.url.search}`,
        // SNI and certificate checks are for the name (an IP literal is checked as itself).
        servername: isIP(target.hostname) ? undefined : target.hostname,
        method: request.method ?? "POST",
        headers: {
          host: target.url.host,
          "content-length": String(Buffer.byteLength(request.body)),
          ...request.headers,
        },
        signal,
        agent: agents[secure ? "https:" : "http:"],
      },
      (incoming) => {
        answered = true;
        const chunks: Buffer[] = [];
        let size = 0;
        const answer = (body: Buffer, truncated: boolean) =>
          resolve({
            status: incoming.statusCode ?? 0,
            body: replaceNul(body.toString("utf8")),
            headers: flattenHeaders(incoming.headers),
            truncated,
          });
        incoming.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes && truncate) {
            // The status and the first bytes are all the caller keeps; stop reading here.
            chunks.push(chunk);
            incoming.destroy();
            answer(Buffer.concat(chunks).subarray(0, maxBytes), true);
            return;
          }
          if (size > maxBytes) {
            incoming.destroy();
            reject(
              new OutboundRequestError(
                "response_too_large",
                `Response larger than ${maxBytes} bytes`,
                0,
              ),
            );
            return;
          }
          chunks.push(chunk);
        });
        incoming.on("end", () => answer(Buffer.concat(chunks), false));
        incoming.on("error", reject);
      },
    );
    outgoing.on("error", (error) => {
      reject(!answered && outgoing.reusedSocket ? new StaleConnectionError(error) : error);
    });
    outgoing.end(request.body);
  });
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

function withAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
