import http from "node:http";

// The Inngest server endpoints the SDK talks to, on 127.0.0.1 only:
//   POST /e/{eventKey}   send events (one or an array), answered `{ ids, status: 200 }`
//   POST /fn/register    out-of-band sync (what `PUT /api/inngest` makes the SDK send)
//   POST /v1/checkpoint/{runId}/async
//                        steps a call in flight has finished (the SDK's async checkpointing)
//   GET  /health         liveness, for humans and scripts
// In signed mode only the event key and signing key the engine handed to the SDK are accepted;
// in dev mode any key is, as the Inngest Dev Server does. Either way only local processes can
// reach this port.

/** An event as a sender posts it. */
export interface IncomingEvent {
  name: string;
  data?: Record<string, unknown>;
  id?: string;
  ts?: number;
  [field: string]: unknown;
}

export interface IntakeHandlers {
  receiveEvents(events: IncomingEvent[], idSeed: string | undefined): Promise<string[]>;
  registerFunctions(body: unknown): { modified: boolean };
  describe(): Record<string, unknown>;
  /** Whether an event key may send events (any key in dev mode). */
  acceptsEventKey(key: string): boolean;
  /** Steps a call in flight reports as done; 409 when that call is no longer expected. */
  checkpoint(runId: string, body: unknown): Promise<{ status: number; error?: string }>;
  /**
   * Whether the bearer token of an SDK API call (out-of-band sync, checkpoint) is the app's
   * hashed signing key (always in dev mode).
   */
  acceptsApiKey(bearer: string | undefined): boolean;
}

const CHECKPOINT_PATH = /^\/v1\/checkpoint\/([^/]+)\/async$/;
// Inngest Cloud accepts up to 3 MB per request; leave some room above that.
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export function createIntakeServer(handlers: IntakeHandlers): http.Server {
  return http.createServer((request, response) => {
    route(handlers, request)
      .then(({ status, body }) => send(response, status, body))
      .catch((error: unknown) => {
        console.error("[inngest-engine] request failed", error);
        send(response, 500, { error: "Internal error", status: 500 });
      });
  });
}

export function validateEvents(body: unknown): IncomingEvent[] | string {
  const list = Array.isArray(body) ? body : [body];
  for (const [index, event] of list.entries()) {
    const where = Array.isArray(body) ? `event ${index}` : "event";
    if (!event || typeof event !== "object" || Array.isArray(event)) {
      return `${where} is not an object`;
    }
    const fields = event as Record<string, unknown>;
    if (typeof fields.name !== "string" || fields.name.trim() === "") {
      return `${where} has no name`;
    }
    if (fields.data !== undefined && fields.data !== null && !isRecord(fields.data)) {
      return `${where}: data must be an object`;
    }
    if (fields.id !== undefined && fields.id !== null && typeof fields.id !== "string") {
      return `${where}: id must be a string`;
    }
    if (fields.ts !== undefined && fields.ts !== null && typeof fields.ts !== "number") {
      return `${where}: ts must be a number of milliseconds`;
    }
  }
  return list as IncomingEvent[];
}

async function route(
  handlers: IntakeHandlers,
  request: http.IncomingMessage,
): Promise<{ status: number; body: unknown }> {
  const path = (request.url ?? "/").split("?")[0] as string;
  if (request.method === "POST" && path.startsWith("/e/")) {
    const key = decodeURIComponent(path.slice("/e/".length));
    if (!handlers.acceptsEventKey(key)) {
      request.resume();
      return { status: 401, body: { error: "Event key not found", status: 401 } };
    }
    const body = await readJson(request);
    if (!body.ok) return { status: body.status, body: { error: body.error, status: body.status } };
    const events = validateEvents(body.value);
    if (typeof events === "string") return { status: 400, body: { error: events, status: 400 } };
    const seed = request.headers["x-inngest-event-id-seed"];
    const ids = await handlers.receiveEvents(events, typeof seed === "string" ? seed : undefined);
    return { status: 200, body: { ids, status: 200 } };
  }
  const checkpointOf = CHECKPOINT_PATH.exec(path)?.[1];
  if (request.method === "POST" && (path === "/fn/register" || checkpointOf)) {
    const bearer = request.headers.authorization?.replace(/^Bearer\s+/i, "");
    if (!handlers.acceptsApiKey(bearer)) {
      request.resume();
      return { status: 401, body: { error: "Unauthorized", status: 401 } };
    }
    const body = await readJson(request);
    if (!body.ok) return { status: body.status, body: { error: body.error, status: body.status } };
    if (checkpointOf) {
      const { status, error } = await handlers.checkpoint(
        decodeURIComponent(checkpointOf),
        body.value,
      );
      return { status, body: error ? { error, status } : {} };
    }
    const { modified } = handlers.registerFunctions(body.value);
    return { status: 200, body: { ok: true, modified } };
  }
  if (request.method === "GET" && (path === "/" || path === "/health")) {
    return { status: 200, body: handlers.describe() };
  }
  return {
    status: 404,
    body: { error: `${request.method} ${path} is not served here`, status: 404 },
  };
}

type JsonBody = { ok: true; value: unknown } | { ok: false; status: number; error: string };

function readJson(request: http.IncomingMessage): Promise<JsonBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("error", reject);
    request.on("end", () => {
      if (size > MAX_BODY_BYTES) {
        resolve({ ok: false, status: 413, error: "Request body larger than 4 MB" });
        return;
      }
      try {
        resolve({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
      } catch {
        resolve({ ok: false, status: 400, error: "Request body is not JSON" });
      }
    });
  });
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
