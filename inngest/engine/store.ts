import { and, asc, eq, inArray, isNotNull, isNull, lt, type SQL, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import {
  type EngineEventPayload,
  type EngineMemoizedStep,
  type EngineRunPlan,
  type EngineRunStatus,
  engineEvents,
  engineRuns,
} from "@/db/schema/engine";
import { BatchQueue } from "./batch-queue";
import type { RunUpdate } from "./run";

// The engine's writes go through two queues, one for new events and runs and one for run
// updates, each turning whatever piled up meanwhile into a single statement: with 16+ runs
// advancing at once, one round trip carries all their step results. On PGlite, which has one
// connection and spends most of a small write on parsing and planning, this is the difference
// between queueing behind each other and sharing one write. The two queues write side by side
// (on PostgreSQL, over two connections of the pool), so an event's intake never waits behind
// a large batch of updates: a run's updates only ever follow its intake.

export type NewEventRow = typeof engineEvents.$inferInsert;
export type NewRunRow = typeof engineRuns.$inferInsert;

/** An unfinished run as recovery reads it; steps are loaded when the run next needs them. */
export interface OpenRunRow {
  id: string;
  functionId: string;
  eventId: string;
  event: EngineEventPayload;
  status: EngineRunStatus;
  attempt: number;
  plan: EngineRunPlan;
  wakeAt: Date | null;
  startedAt: Date | null;
  concurrencyKeys: string[];
  throttleKey: string | null;
}

export interface LoadedSteps {
  steps: Record<string, EngineMemoizedStep>;
  stack: string[];
}

const OPEN_STATUSES: EngineRunStatus[] = ["queued", "running", "sleeping"];
// Rows per INSERT or UPDATE: PostgreSQL allows 65 535 bind parameters per statement.
const INSERT_CHUNK = 1_000;

interface PendingIntake {
  events: NewEventRow[];
  runs: NewRunRow[];
  resolve: (inserted: Set<string>) => void;
  reject: (error: unknown) => void;
}

interface PendingUpdate {
  update: RunUpdate;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class EngineStore {
  private readonly intakes = new BatchQueue<PendingIntake>(async (batch) => {
    const inserted = await writeIntakes(this.db, batch);
    for (const intake of batch) intake.resolve(inserted);
  });
  private readonly updates = new BatchQueue<PendingUpdate>(async (batch) => {
    await writeUpdates(this.db, batch);
    for (const pending of batch) pending.resolve();
  });
  private loadQueue = new Map<string, Array<(steps: LoadedSteps | undefined) => void>>();
  private loadScheduled = false;

  constructor(
    private readonly db: Database,
    private readonly environment: string,
  ) {}

  /**
   * Stores events and the runs they start, atomically. Resolves with the ids of the events
   * that were new: a duplicate (same sender id, or a retried send) inserts nothing, and the
   * runs meant for it are dropped with it.
   */
  recordEvents(events: NewEventRow[], runs: NewRunRow[]): Promise<Set<string>> {
    return new Promise((resolve, reject) => {
      this.intakes.push({ events, runs, resolve, reject });
    });
  }

  /** Writes one run's change; resolves once it is durable. */
  updateRun(update: RunUpdate): Promise<void> {
    return new Promise((resolve, reject) => {
      this.updates.push({ update, resolve, reject });
    });
  }

  /** Resolves when every queued write has been attempted. */
  async drain(): Promise<void> {
    await Promise.all([this.intakes.drain(), this.updates.drain()]);
  }

  /** Memoized steps of a run, read together with other runs asking in the same tick. */
  loadSteps(runId: string): Promise<LoadedSteps | undefined> {
    return new Promise((resolve) => {
      const waiting = this.loadQueue.get(runId) ?? [];
      waiting.push(resolve);
      this.loadQueue.set(runId, waiting);
      if (this.loadScheduled) return;
      this.loadScheduled = true;
      setImmediate(() => this.loadBatch());
    });
  }

  async openRuns(): Promise<OpenRunRow[]> {
    return this.db
      .select({
        id: engineRuns.id,
        functionId: engineRuns.functionId,
        eventId: engineRuns.eventId,
        event: engineRuns.event,
        status: engineRuns.status,
        attempt: engineRuns.attempt,
        plan: engineRuns.plan,
        wakeAt: engineRuns.wakeAt,
        startedAt: engineRuns.startedAt,
        concurrencyKeys: engineRuns.concurrencyKeys,
        throttleKey: engineRuns.throttleKey,
      })
      .from(engineRuns)
      .where(
        and(
          eq(engineRuns.environment, this.environment),
          inArray(engineRuns.status, OPEN_STATUSES),
        ),
      )
      .orderBy(asc(engineRuns.id));
  }

  /** Events stored before the engine knew which functions they start. */
  async untriggeredEvents(): Promise<Array<{ id: string; payload: EngineEventPayload }>> {
    return this.db
      .select({ id: engineEvents.id, payload: engineEvents.payload })
      .from(engineEvents)
      .where(and(eq(engineEvents.environment, this.environment), isNull(engineEvents.triggeredAt)))
      .orderBy(asc(engineEvents.id));
  }

  /** Creates the runs of events that waited for a sync, and marks those events triggered. */
  async triggerEvents(eventIds: string[], runs: NewRunRow[]): Promise<void> {
    if (eventIds.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const chunk of chunks(runs)) await tx.insert(engineRuns).values(chunk);
      await tx
        .update(engineEvents)
        .set({ triggeredAt: new Date() })
        .where(inArray(engineEvents.id, eventIds));
    });
  }

  /** Deletes events and finished runs older than the given instants. */
  async prune(eventsBefore: Date, runsBefore: Date): Promise<void> {
    await this.db
      .delete(engineEvents)
      .where(
        and(
          eq(engineEvents.environment, this.environment),
          lt(engineEvents.receivedAt, eventsBefore),
          isNotNull(engineEvents.triggeredAt),
        ),
      );
    await this.db
      .delete(engineRuns)
      .where(
        and(
          eq(engineRuns.environment, this.environment),
          isNotNull(engineRuns.finishedAt),
          lt(engineRuns.finishedAt, runsBefore),
        ),
      );
  }

  private async loadBatch(): Promise<void> {
    this.loadScheduled = false;
    const queue = this.loadQueue;
    this.loadQueue = new Map();
    const ids = [...queue.keys()];
    let rows: Array<{ id: string } & LoadedSteps> = [];
    try {
      rows = await this.db
        .select({ id: engineRuns.id, steps: engineRuns.steps, stack: engineRuns.stepStack })
        .from(engineRuns)
        .where(inArray(engineRuns.id, ids));
    } catch (error) {
      console.error("[inngest-engine] loading run steps failed", error);
    }
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const [id, waiting] of queue) {
      const row = byId.get(id);
      for (const resolve of waiting) {
        resolve(row ? { steps: { ...row.steps }, stack: [...row.stack] } : undefined);
      }
    }
  }
}

/** Events and their runs; resolves with the ids of the events that were new. */
async function writeIntakes(db: Database, intakes: PendingIntake[]): Promise<Set<string>> {
  const runs = intakes.flatMap((intake) => intake.runs);
  const statements = chunks(intakes.flatMap((intake) => intake.events)).map((chunk) => {
    const ids = new Set(chunk.map((event) => event.id));
    return intakeStatement(
      chunk,
      runs.filter((run) => ids.has(run.eventId)),
    );
  });
  const inserted = new Set<string>();
  await executeAll(db, statements, (result) => {
    for (const row of rowsOf<{ id: string }>(result)) inserted.add(row.id);
  });
  return inserted;
}

async function writeUpdates(db: Database, updates: PendingUpdate[]): Promise<void> {
  await executeAll(db, chunks(updates).map(updateStatement), () => {});
}

/** Usually one statement, atomic by itself; a transaction only for very large batches. */
async function executeAll(
  db: Database,
  statements: SQL[],
  onResult: (result: unknown) => void,
): Promise<void> {
  const run = async (executor: Executor) => {
    for (const statement of statements) onResult(await executor.execute(statement));
  };
  if (statements.length > 1) await db.transaction((tx) => run(tx));
  else await run(db);
}

/**
 * Events and the runs they start in one statement (one round trip, atomic without BEGIN and
 * COMMIT): a run row is inserted only if its event row was, so a duplicate event starts nothing.
 */
function intakeStatement(events: NewEventRow[], runs: NewRunRow[]): SQL {
  const eventValues = events.map(
    (event) => sql`(
      ${event.id}::text, ${event.environment}::text, ${event.name}::text,
      ${event.dedupeKey ?? null}::text, ${JSON.stringify(event.payload)}::jsonb,
      ${event.triggeredAt ? event.triggeredAt.toISOString() : null}::timestamptz
    )`,
  );
  const insertEvents = sql`
    insert into engine_events (id, environment, name, dedupe_key, payload, triggered_at)
    values ${sql.join(eventValues, sql`, `)}
    on conflict do nothing
    returning id, payload`;
  if (runs.length === 0) return insertEvents;
  const runValues = runs.map(
    (run) => sql`(
      ${run.id}::text, ${run.environment}::text, ${run.functionId}::text, ${run.eventId}::text,
      ${textArray(run.concurrencyKeys ?? [])}::text[], ${run.throttleKey ?? null}::text
    )`,
  );
  return sql`
    with new_events as (${insertEvents}),
    new_runs as (
      insert into engine_runs
        (id, environment, function_id, event_id, event, concurrency_keys, throttle_key)
      select r.id, r.environment, r.function_id, r.event_id, e.payload, r.keys, r.throttle_key
      from (values ${sql.join(runValues, sql`, `)})
        as r(id, environment, function_id, event_id, keys, throttle_key)
      join new_events e on e.id = r.event_id
    )
    select id from new_events`;
}

/**
 * One UPDATE for many runs. Steps and stack are appended to (`||`), so a write carries only
 * what a call added; finished rows are never touched again, so a late answer for a cancelled
 * run cannot revive it. The rows come as a VALUES list rather than a JSON recordset: the
 * planner then knows how few they are and looks each one up by primary key instead of
 * scanning the table.
 */
function updateStatement(pending: PendingUpdate[]): SQL {
  const rows = mergeById(pending.map((item) => item.update)).map(
    (update) => sql`(
      ${update.id}::text, ${update.status}::text, ${update.attempt}::integer,
      ${JSON.stringify(update.steps)}::jsonb, ${JSON.stringify(update.stack)}::jsonb,
      ${JSON.stringify(update.plan)}::jsonb, ${iso(update.wakeAt)}::timestamptz,
      ${iso(update.startedAt)}::timestamptz, ${jsonOrNull(update.output)}::jsonb,
      ${jsonOrNull(update.error)}::jsonb, ${iso(update.finishedAt)}::timestamptz
    )`,
  );
  return sql`
    update engine_runs as r set
      status = u.status,
      attempt = u.attempt,
      steps = r.steps || u.steps,
      step_stack = r.step_stack || u.stack,
      plan = u.plan,
      wake_at = u.wake_at,
      started_at = coalesce(r.started_at, u.started_at),
      output = u.output,
      error = u.error,
      finished_at = u.finished_at,
      updated_at = now()
    from (values ${sql.join(rows, sql`, `)}) as u(
      id, status, attempt, steps, stack, plan, wake_at, started_at, output, error, finished_at
    )
    where r.id = u.id and r.status in ('queued', 'running', 'sleeping')`;
}

/** Two updates of one run in a batch (cancel during a write) become one, later fields winning. */
function mergeById(updates: RunUpdate[]): RunUpdate[] {
  const merged = new Map<string, RunUpdate>();
  for (const update of updates) {
    const earlier = merged.get(update.id);
    merged.set(
      update.id,
      earlier
        ? {
            ...update,
            steps: { ...earlier.steps, ...update.steps },
            stack: [...earlier.stack, ...update.stack],
          }
        : update,
    );
  }
  return [...merged.values()];
}

/** Rows of `execute()`: postgres.js returns an array, PGlite an object with `rows`. */
function rowsOf<Row>(result: unknown): Row[] {
  if (Array.isArray(result)) return result as Row[];
  return ((result as { rows?: Row[] }).rows ?? []) as Row[];
}

/** A PostgreSQL array literal, every element quoted. */
function textArray(values: string[]): string {
  const quoted = values.map((value) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`);
  return `{${quoted.join(",")}}`;
}

function jsonOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += INSERT_CHUNK) {
    result.push(items.slice(index, index + INSERT_CHUNK));
  }
  return result;
}
