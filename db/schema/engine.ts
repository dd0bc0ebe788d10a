import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

// Tables of the embedded Inngest-protocol engine (inngest/engine). Only that engine reads or
// writes them; with a real Inngest server (Dev Server, `inngest start`, Cloud) they stay empty.

export const engineRunStatuses = [
  "queued",
  "running",
  "sleeping",
  "completed",
  "failed",
  "cancelled",
] as const;
export type EngineRunStatus = (typeof engineRunStatuses)[number];

/** An event as handed to functions: what the sender posted, with its id and timestamp filled. */
export interface EngineEventPayload {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: number;
  [field: string]: unknown;
}

/** A memoized step, in the shape call requests carry it. */
export type EngineMemoizedStep =
  | { type: "data"; data: unknown }
  | { type: "error"; error: Record<string, unknown> };

/** What the next call request of a run depends on besides memoized steps. */
export interface EngineRunPlan {
  // Steps the SDK planned (parallel steps), run one call each, oldest first.
  planned: string[];
  // Sleeps reported by the SDK; memoized as `null` once their time has come.
  sleeps: Array<{ id: string; until: number }>;
  // The execution version the SDK chose on the run's first call (its `x-inngest-req-version`
  // answer), sent back on every later call so an SDK upgrade mid-run cannot change how the
  // memoized steps are read. Unset until then: the call says -1, "SDK decides", as Inngest does.
  requestVersion?: number;
}

/** Every event received, kept for deduplication (the sender's `id`) and inspection. */
export const engineEvents = pgTable(
  "engine_events",
  {
    // ULID returned to the sender; derived from the SDK's id seed so a retried send repeats it.
    id: text().primaryKey(),
    // The engine serves one environment; tests and side-by-side engines use their own.
    environment: text().notNull(),
    name: text().notNull(),
    // The `id` the sender set, if any: a second event with the same one starts no runs.
    dedupeKey: text(),
    payload: jsonb().$type<EngineEventPayload>().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    // Null while the engine does not know the app's functions yet (before the first sync).
    triggeredAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    // Deduplication: inserting an event whose sender id was seen before does nothing.
    uniqueIndex("engine_events_dedupe_idx")
      .on(table.environment, table.dedupeKey)
      .where(sql`dedupe_key is not null`),
    // After a sync the engine starts runs for events that arrived before it; only those match.
    index("engine_events_untriggered_idx")
      .on(table.environment, table.id)
      .where(sql`triggered_at is null`),
    // The retention sweep deletes events by age.
    index("engine_events_received_idx").on(table.receivedAt),
  ],
);

/** One row per function run: its event, memoized steps and where it stands. */
export const engineRuns = pgTable(
  "engine_runs",
  {
    // Monotonic ULID: sorting by id is creation order, the order runs start in per key.
    id: text().primaryKey(),
    environment: text().notNull(),
    // Composite id as synced (`<app id>-<function id>`).
    functionId: text().notNull(),
    eventId: text().notNull(),
    // A copy of the triggering event, so pruning old events never breaks a run.
    event: jsonb().$type<EngineEventPayload>().notNull(),
    status: text({ enum: engineRunStatuses }).notNull().default("queued"),
    // Attempt of the current step (or of the function when it throws outside steps), from 0.
    attempt: integer().notNull().default(0),
    // Memoized step results keyed by hashed step id.
    steps: jsonb().$type<Record<string, EngineMemoizedStep>>().notNull().default({}),
    // Hashed step ids in completion order (`ctx.stack.stack`).
    stepStack: jsonb().$type<string[]>().notNull().default([]),
    plan: jsonb().$type<EngineRunPlan>().notNull().default({ planned: [], sleeps: [] }),
    // When a sleeping run wakes or a failed attempt is retried.
    wakeAt: timestamp({ withTimezone: true }),
    // Concurrency groups the run counts against, evaluated from the event when it was created.
    concurrencyKeys: text().array().notNull().default(sql`'{}'::text[]`),
    throttleKey: text(),
    output: jsonb(),
    error: jsonb().$type<Record<string, unknown>>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    // Start-up recovery reads every unfinished run; this keeps that proportional to open runs.
    index("engine_runs_open_idx")
      .on(table.environment, table.id)
      .where(sql`status in ('queued', 'running', 'sleeping')`),
    // Senders only know event ids: finding the runs an event started goes through this.
    index("engine_runs_event_idx").on(table.eventId),
    // The retention sweep deletes finished runs by age.
    index("engine_runs_finished_idx").on(table.finishedAt).where(sql`finished_at is not null`),
  ],
);

/**
 * One row per environment naming the process whose engine serves it. Two engines on one
 * database and environment would both resume the same runs; the lease refuses the second.
 */
export const engineLeases = pgTable("engine_leases", {
  environment: text().primaryKey(),
  owner: text().notNull(),
  host: text().notNull(),
  pid: integer().notNull(),
  heartbeatAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type EngineEvent = typeof engineEvents.$inferSelect;
export type EngineRun = typeof engineRuns.$inferSelect;
export type EngineLease = typeof engineLeases.$inferSelect;
