import { Webhook } from "standardwebhooks";
import type { ReceivedRequest } from "../tests/support/webhook-receiver";
import { managementApi } from "./support/api";
import { E2E_PORT } from "./support/constants";
import { test as base, expect } from "./support/fixtures";
import {
  createGatehouseData,
  type GatehouseData,
  type GatehouseProcess,
  startGatehouse,
} from "./support/gatehouse-process";

// Durability of webhook delivery (issue 4): a Gatehouse server of this test's own, with its
// embedded Inngest engine, is killed with SIGKILL while two deliveries sleep between attempts
// and two attempts are in flight (the receiver holds them unanswered), then started again on
// the same data (PGlite folder, or a database of its own when DATABASE_URL is set). Every
// delivery must still reach its final status on schedule, with its attempts numbered without
// gaps, and a resent attempt must carry the same `webhook-id`.

// The waits before attempts 2, 3 and 4 (WEBHOOK_RETRY_DELAYS). The first is long enough that
// the deliveries sleeping at the kill are still asleep when the new process resumes them, so
// their timers are set again from the stored wake-up time rather than fired at once.
const DELAYS_MS = [10_000, 3_000, 3_000];
const PORT = E2E_PORT + 50;
// How late an attempt may be, beyond max(its due time, the restarted server answering): the
// engine syncs with the app after start-up, and the machine is shared.
const SCHEDULE_SLACK_MS = 6_000;
// A timer may fire a little before the wall clock says the wait is over.
const CLOCK_TOLERANCE_MS = 50;

// What each endpoint answers, request by request (the last answer repeats):
// - late:  fails, then holds attempt 2 open across the kill, then accepts its resend;
// - flaky: fails twice (it sleeps through the kill), then accepts;
// - down:  always fails, so it ends Failed after 4 attempts, 3 of them after the restart;
// - stuck: holds attempt 1 of its first delivery across the kill, then accepts; its second
//   delivery waits behind it (one request in flight per endpoint) and must follow it.
const SCRIPTS = {
  late: [500, "hang", 204],
  flaky: [500, 500, 204],
  down: [500],
  stuck: ["hang", 204],
} as const;

// What the receiver and the API must show once everything is final.
const EXPECTED = {
  late: { status: "success", attempts: [500, 204], requests: [500, "dropped", 204] },
  flaky: { status: "success", attempts: [500, 500, 204], requests: [500, 500, 204] },
  down: { status: "failed", attempts: [500, 500, 500, 500], requests: [500, 500, 500, 500] },
  stuckFirst: { status: "success", attempts: [204], requests: ["dropped", 204] },
  stuckSecond: { status: "success", attempts: [204], requests: [204] },
} as const;

type Name = keyof typeof EXPECTED;

type Delivery = {
  id: string;
  status: "queued" | "retrying" | "success" | "failed";
  event_id: string;
  attempt_count: number;
  next_attempt_at: string | null;
  endpoint_id: string;
  attempts: {
    attempt: number;
    request_headers: Record<string, string>;
    response_status: number | null;
  }[];
};

type Endpoint = { id: string; secret: string; path: string };

const api = managementApi(`http://localhost:${PORT}`);

const test = base.extend<{
  /** Starts this test's own Gatehouse server on its own data; the last one is killed after. */
  gatehouse: { start(): Promise<{ server: GatehouseProcess; bootMs: number }> };
}>({
  // Torn down even when the test times out: the server is a detached process group and would
  // otherwise outlive the run.
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from its first parameter's pattern
  gatehouse: async ({}, use) => {
    const data: GatehouseData = await createGatehouseData("durability");
    let server: GatehouseProcess | undefined;
    await use({
      async start() {
        const started = Date.now();
        server = await startGatehouse({
          port: PORT,
          data,
          env: { WEBHOOK_RETRY_DELAYS: DELAYS_MS.map((ms) => `${ms / 1000}s`).join(",") },
        });
        return { server, bootMs: server.readyAt - started };
      },
    });
    await server?.kill();
    await data.remove();
  },
});

test("webhook deliveries survive a SIGKILL mid-sleep and mid-flight", async ({
  gatehouse,
  receiver: hooks,
}) => {
  test.setTimeout(110_000);
  const testStarted = Date.now();
  for (const [name, answers] of Object.entries(SCRIPTS)) hooks.script(`/${name}`, [...answers]);
  const start = gatehouse.start;

  // ---- first life: set everything up and kill it at the right moment ----------------------
  const first = await start();
  const endpoints = {
    late: await createEndpoint(hooks.origin, "/late"),
    flaky: await createEndpoint(hooks.origin, "/flaky"),
    down: await createEndpoint(hooks.origin, "/down"),
    stuck: await createEndpoint(hooks.origin, "/stuck"),
  };
  // `late` first: once its attempt 2 is held open (after its first wait), the others start,
  // so that the kill comes right after flaky and down failed their attempt 1, a whole delay
  // before their attempt 2 is due.
  const late = await sendTestEvent(endpoints.late);
  await expect
    .poll(() => hooks.on("/late").length, {
      message: "late's attempt 2 in flight",
      timeout: 30_000,
      intervals: [100],
    })
    .toBe(2);
  const ids: Record<Name, string> = {
    late,
    stuckFirst: await sendTestEvent(endpoints.stuck),
    stuckSecond: await sendTestEvent(endpoints.stuck),
    flaky: await sendTestEvent(endpoints.flaky),
    down: await sendTestEvent(endpoints.down),
  };
  await expect
    .poll(
      async () => {
        if (hooks.held().length < 2) return false;
        const [flaky, down] = await Promise.all([readDelivery(ids.flaky), readDelivery(ids.down)]);
        return flaky.status === "retrying" && down.status === "retrying";
      },
      {
        message: "two attempts in flight and two deliveries sleeping",
        timeout: 30_000,
        intervals: [100],
      },
    )
    .toBe(true);
  const atKill = await readAll(ids);
  const lateHeld = hooks.on("/late")[1];
  const stuckHeld = hooks.on("/stuck")[0];
  const killAt = Date.now();
  await first.server.kill();

  // Not vacuous: the kill really came mid-sleep and mid-flight.
  for (const name of ["flaky", "down"] as const) {
    expect(atKill[name], `${name} sleeps at the kill`).toMatchObject({
      status: "retrying",
      attempt_count: 1,
    });
    expect(Date.parse(atKill[name].next_attempt_at ?? "")).toBeGreaterThan(killAt);
    expect(hooks.on(`/${name}`)).toHaveLength(1);
  }
  expect(atKill.late).toMatchObject({ status: "retrying", attempt_count: 1 });
  expect(atKill.stuckFirst).toMatchObject({ status: "queued", attempt_count: 0 });
  expect(atKill.stuckSecond).toMatchObject({ status: "queued", attempt_count: 0 });
  await expect
    .poll(() => Boolean(lateHeld?.abandonedAt && stuckHeld?.abandonedAt), {
      message: "the held requests dropped by the killed server",
      timeout: 30_000,
      intervals: [100],
    })
    .toBe(true);
  for (const held of [lateHeld, stuckHeld]) {
    expect(held?.answered).toBeNull();
    expect(held?.abandonedAt).toBeGreaterThanOrEqual(killAt);
  }
  expect(hooks.on("/stuck")).toHaveLength(1);

  // ---- second life on the same data: everything must end, on schedule ---------------------
  const second = await start();
  const restartedAt = second.server.readyAt;
  const final = await readAll(
    ids,
    (delivery) => delivery.status === "success" || delivery.status === "failed",
  );
  const finishedAt = Date.now();

  // The new process's engine picked the runs up from the database (no re-dispatch).
  const output = second.server.output();
  const resumed = Number(/resuming (\d+) unfinished run/.exec(output)?.[1] ?? 0);
  expect(resumed, output).toBeGreaterThanOrEqual(5);

  // None lost: each delivery ended as its endpoint's answers say, attempts numbered 1..n, and
  // the receiver got exactly the requests that implies, each with the event id as webhook-id.
  const requestsOf = (name: Name) =>
    hooks.requests.filter((request) => request.headers["webhook-id"] === final[name].event_id);
  for (const [name, want] of Object.entries(EXPECTED) as [Name, (typeof EXPECTED)[Name]][]) {
    const delivery = final[name];
    expect(delivery.status, name).toBe(want.status);
    expect(delivery.attempt_count, name).toBe(want.attempts.length);
    expect(
      delivery.attempts.map((attempt) => [attempt.attempt, attempt.response_status]),
      name,
    ).toEqual(want.attempts.map((status, index) => [index + 1, status]));
    for (const attempt of delivery.attempts) {
      expect(attempt.request_headers["webhook-id"], name).toBe(delivery.event_id);
    }
    expect(requestsOf(name).map(outcome), name).toEqual(want.requests);
  }

  // Every request received is one of these deliveries', on its endpoint's path, and verifies
  // with that endpoint's secret (standardwebhooks) — resends included.
  const endpointById = new Map(Object.values(endpoints).map((e) => [e.id, e]));
  const deliveryByEventId = new Map(Object.values(final).map((d) => [d.event_id, d]));
  for (const request of hooks.requests) {
    const delivery = deliveryByEventId.get(request.headers["webhook-id"] ?? "");
    const endpoint = endpointById.get(delivery?.endpoint_id ?? "");
    expect(endpoint, `a request on ${request.path}`).toBeDefined();
    expect(request.path).toBe(endpoint?.path);
    expect(() =>
      new Webhook(endpoint?.secret ?? "").verify(request.body, request.headers),
    ).not.toThrow();
  }

  // The attempts in flight at the kill were resent soon after the restart: same message id,
  // same body.
  const resends = [
    [lateHeld, requestsOf("late")[2]],
    [stuckHeld, requestsOf("stuckFirst")[1]],
  ] as const;
  for (const [held, resend] of resends) {
    expect(resend?.headers["webhook-id"]).toBe(held?.headers["webhook-id"]);
    expect(resend?.body).toBe(held?.body);
    expect(resend?.at).toBeGreaterThanOrEqual(restartedAt);
    expect(resend?.at).toBeLessThanOrEqual(restartedAt + SCHEDULE_SLACK_MS);
  }
  // One request in flight per endpoint, in creation order, across the restart too.
  expect(requestsOf("stuckSecond")[0]?.at).toBeGreaterThanOrEqual(
    requestsOf("stuckFirst")[1]?.at ?? Number.POSITIVE_INFINITY,
  );

  // On schedule: each retry waited its delay, and went out no later than it was due (or than
  // the restarted server could send it) plus some slack.
  let latest = 0;
  for (const name of ["late", "flaky", "down"] as const) {
    const answered = requestsOf(name).filter((request) => request.answered !== null);
    for (let n = 1; n < answered.length; n++) {
      const previous = answered[n - 1] as ReceivedRequest;
      const current = answered[n] as ReceivedRequest;
      const delay = DELAYS_MS[n - 1] as number;
      const allowedFrom = Math.max(previous.at + delay, restartedAt);
      expect(current.at - previous.at, `${name}, wait before its attempt ${n + 1}`).toBeGreaterThan(
        delay - CLOCK_TOLERANCE_MS,
      );
      expect(current.at, `${name}, attempt ${n + 1} on time`).toBeLessThanOrEqual(
        allowedFrom + SCHEDULE_SLACK_MS,
      );
      latest = Math.max(latest, current.at - allowedFrom);
    }
  }

  const sleepersDue = Math.min(
    ...(["flaky", "down"] as const).map((name) => Date.parse(atKill[name].next_attempt_at ?? "")),
  );
  console.log(
    [
      `first boot ${first.bootMs} ms; killed ${killAt - testStarted} ms into the test, ` +
        `${sleepersDue - killAt} ms before the sleepers were due, ` +
        `${killAt - (lateHeld?.at ?? killAt)} ms into late's attempt 2`,
      `restart boot ${second.bootMs} ms (kill → answering ${restartedAt - killAt} ms), ` +
        `${resumed} runs resumed, sleepers due ${sleepersDue - restartedAt} ms after it answered`,
      `resends after the restart: +${(resends[0][1]?.at ?? 0) - restartedAt} ms, ` +
        `+${(resends[1][1]?.at ?? 0) - restartedAt} ms; latest retry ${latest} ms after allowed`,
      `all final ${finishedAt - restartedAt} ms after the restart; test ${Date.now() - testStarted} ms`,
    ].join("\n"),
  );
});

// ---------------------------------------------------------------------------------------------

async function createEndpoint(receiverUrl: string, path: string): Promise<Endpoint> {
  // Only test events: nothing the server emits on its own reaches these endpoints.
  const created = await api<{ id: string; secret: string }>("POST", "/webhooks/endpoints", {
    url: `${receiverUrl}${path}`,
    event_types: ["webhook.test"],
  });
  return { id: created.id, secret: created.secret, path };
}

async function sendTestEvent(endpoint: Endpoint): Promise<string> {
  return (await api<Delivery>("POST", `/webhooks/endpoints/${endpoint.id}/test`)).id;
}

function readDelivery(id: string): Promise<Delivery> {
  return api<Delivery>("GET", `/webhooks/deliveries/${id}`);
}

/** Every delivery, once each satisfies `ready` (at once by default). */
async function readAll(
  ids: Record<Name, string>,
  ready: (delivery: Delivery) => boolean = () => true,
): Promise<Record<Name, Delivery>> {
  const entries = await Promise.all(
    Object.entries(ids).map(async ([name, id]) => {
      let delivery: Delivery | undefined;
      await expect
        .poll(
          async () => {
            delivery = await readDelivery(id);
            return ready(delivery);
          },
          { message: `delivery ${name} (${id})`, timeout: 60_000, intervals: [100] },
        )
        .toBe(true);
      return [name, delivery as Delivery] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<Name, Delivery>;
}

function outcome(request: ReceivedRequest): number | "dropped" | "open" {
  if (request.answered !== null) return request.answered;
  return request.abandonedAt ? "dropped" : "open";
}
