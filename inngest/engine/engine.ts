import { randomUUID } from "node:crypto";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import type { Database } from "@/db/client";
import type { EngineEventPayload } from "@/db/schema/engine";
import { AppSync } from "./app-sync";
import { CronTimers } from "./cron-timers";
import {
  concurrencyKeysFor,
  type FunctionDefinition,
  FunctionRegistry,
  throttleKeyFor,
} from "./functions";
import { AppClient } from "./http-client";
import { digest, eventIdsFromSeed, monotonicUlid } from "./ids";
import { acquireLease, LEASE_TTL_MS, type Lease } from "./lease";
import {
  answeredRequestVersion,
  callRequestPayload,
  callUrlPrefix,
  readCallResponse,
  readCheckpoint,
  requestedStepId,
  type SerializedError,
  unreachableOutcome,
} from "./protocol";
import { endDueSleeps, newRunState, pinRequestVersion, type RunState } from "./run";
import { type AfterCall, Scheduler, type SchedulerStats } from "./scheduler";
import { createIntakeServer, type IncomingEvent } from "./server";
import {
  canonicalJson,
  hashedSigningKey,
  newEventKey,
  newSigningKey,
  sameSecret,
  signatureHeader,
} from "./signing";
import { EngineStore, type NewEventRow, type NewRunRow } from "./store";
import {
  applyOutcome,
  type Backoff,
  cancellation,
  checkpointUpdate,
  failure,
  type Transition,
} from "./transitions";

export interface EngineOptions {
  /** The app's `serve()` endpoint, e.g. http://127.0.0.1:3000/api/inngest. */
  appUrl: string;
  /** Where events, runs and the lease are kept (the tables of db/schema/engine.ts). */
  db: Database;
  /**
   * Port on 127.0.0.1: the one the SDK's clients are configured with, or 0 for a free one
   * (clients then take it from `sdkConnection`).
   */
  port: number;
  /** Events and runs of other environments in the same database are left alone. */
  environment: string;
  /** Call requests in flight at once, across all runs. */
  maxInFlight: number;
  /** How long one call request may take before it counts as failed. */
  callTimeoutMs: number;
  /** Delay before retry n (1 = first retry) of a failed step or function. */
  backoff: Backoff;
  /** Events are kept (and their ids deduplicated) this long. */
  eventRetentionMs: number;
  /** Finished runs are kept this long. */
  runRetentionMs: number;
  /**
   * How the SDK talks to the engine. "signed" (default): like a self-hosted Inngest server,
   * with a signing key and an event key, so the app's `serve()` endpoint refuses call requests
   * that do not come from the engine. "dev": like the Inngest Dev Server, unsigned; for local
   * use only.
   */
  sdkMode: "signed" | "dev";
  /** Keys for signed mode, as the app's client has them; made up for this engine if not given. */
  signingKey?: string;
  eventKey?: string;
}

/** The options an Inngest client needs to use this engine. */
export interface SdkConnection {
  baseUrl: string;
  isDev: boolean;
  signingKey?: string;
  eventKey?: string;
}

export interface EngineStats extends SchedulerStats {
  openRuns: number;
  synced: boolean;
  functions: number;
}

// Runs sleeping longer than this drop their memoized steps from memory until they wake.
const UNLOAD_AFTER_MS = 60_000;
const HOUSEKEEPING_INTERVAL_MS = 3_600_000;
const FUNCTION_FAILED_EVENT = "inngest/function.failed";
const SCHEDULED_EVENT = "inngest/scheduled.timer";

/**
 * The embedded Inngest server: event intake, function runs driven by call requests to the
 * app, sleeps, retries and flow control, all state in the database. See README.md.
 */
export class EmbeddedEngine {
  private registry = new FunctionRegistry([]);
  private callUrls = new Map<string, string>();
  private synced = false;
  private stopped = false;
  private readonly runs = new Map<string, RunState>();
  private readonly store: EngineStore;
  private readonly client: AppClient;
  private readonly scheduler: Scheduler;
  private readonly intervals: NodeJS.Timeout[] = [];
  private readonly reportedProblems = new Set<string>();
  private readonly appSync: AppSync;
  private readonly cron: CronTimers;
  private server: http.Server | null = null;
  private lease: Lease | null = null;
  private address = "";
  private readonly signingKey: string | undefined;
  private readonly eventKey: string | undefined;
  // The bearer token the SDK's API calls carry (sync, every checkpoint): hashed once, here.
  private readonly apiKey: string | undefined;
  // Call ids (`qi_id`) are this engine's id and a count: a checkpoint naming a call of an
  // engine that stopped, or a call that is over, is refused.
  private readonly instance = randomUUID();
  private calls = 0;
  // Call bodies are signed as canonical JSON; unsigned ones need not pay for sorting keys.
  private readonly serialize: (value: object) => string;

  private constructor(readonly options: EngineOptions) {
    if (options.sdkMode === "signed") {
      this.signingKey = options.signingKey ?? newSigningKey();
      this.eventKey = options.eventKey ?? newEventKey();
    }
    this.apiKey = this.signingKey && hashedSigningKey(this.signingKey);
    this.serialize = this.signingKey ? canonicalJson : JSON.stringify;
    this.store = new EngineStore(options.db, options.environment);
    this.client = new AppClient(options.maxInFlight + 2);
    this.scheduler = new Scheduler({
      maxInFlight: options.maxInFlight,
      functionFor: (id) => this.registry.get(id),
      execute: (run, fn) => this.advance(run, fn),
      onUnknownFunction: () => this.appSync.requestResync(),
    });
    this.appSync = new AppSync(
      this.client,
      options.appUrl,
      (functions) => this.applyFunctions(functions),
      () => this.synced,
      (body) => this.signatureHeaders(body),
    );
    this.cron = new CronTimers(
      (at, fire) => this.scheduler.at(at, fire),
      (functionId, expression, slot) => this.startCronRun(functionId, expression, slot),
    );
  }

  /** Takes the lease, listens, resumes stored runs, and syncs the app in the background. */
  static async start(options: EngineOptions): Promise<EmbeddedEngine> {
    const engine = new EmbeddedEngine(options);
    engine.lease = await acquireLease(options.db, options.environment, randomUUID());
    try {
      await engine.listen();
      await engine.recover();
    } catch (error) {
      await engine.stop();
      throw error;
    }
    engine.startTimers();
    void engine.appSync.untilAnswered();
    return engine;
  }

  /** The base URL the SDK must use. */
  get url(): string {
    return this.address;
  }

  get port(): number {
    return Number(new URL(this.address).port);
  }

  /** How a client reaches this engine: its base URL, and its keys or dev mode. */
  get sdkConnection(): SdkConnection {
    return this.signingKey
      ? {
          baseUrl: this.address,
          isDev: false,
          signingKey: this.signingKey,
          eventKey: this.eventKey,
        }
      : { baseUrl: this.address, isDev: true };
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Whether the app answered a sync: before that, events are stored but start nothing. */
  get isSynced(): boolean {
    return this.synced;
  }

  stats(): EngineStats {
    return {
      ...this.scheduler.stats(),
      openRuns: this.runs.size,
      synced: this.synced,
      functions: this.registry.size,
    };
  }

  /** Syncs the app now (in-band, as the Inngest Dev Server does); retries until it answers. */
  sync(): Promise<void> {
    return this.appSync.untilAnswered();
  }

  /** Stores events and starts the runs they trigger; returns the event ids. */
  async receiveEvents(incoming: IncomingEvent[], idSeed?: string): Promise<string[]> {
    const ids = eventIdsFromSeed(idSeed, incoming.length);
    const now = Date.now();
    const eventRows: NewEventRow[] = [];
    const started: RunState[] = [];
    const synced = this.synced;
    for (const [index, event] of incoming.entries()) {
      const id = ids[index] as string;
      const dedupeKey = typeof event.id === "string" && event.id !== "" ? event.id : null;
      const payload: EngineEventPayload = {
        ...event,
        name: event.name,
        data: event.data ?? {},
        id: dedupeKey ?? id,
        ts: typeof event.ts === "number" ? event.ts : now,
      };
      eventRows.push({
        id,
        environment: this.options.environment,
        name: payload.name,
        dedupeKey,
        payload,
        triggeredAt: synced ? new Date(now) : null,
      });
      if (synced) {
        for (const fn of this.registry.match(payload)) started.push(this.newRun(fn, id, payload));
      }
    }
    const inserted = await this.store.recordEvents(eventRows, started.map(runRow(this.options)));
    this.admit(started.filter((run) => inserted.has(run.eventId)));
    return ids;
  }

  /** Out-of-band sync: the SDK posts its functions (after `PUT /api/inngest`). */
  registerFunctions(body: unknown): { modified: boolean } {
    const functions = (body as { functions?: unknown } | null)?.functions;
    if (!Array.isArray(functions)) return { modified: false };
    this.applyFunctions(functions);
    return { modified: true };
  }

  /** Cancels an unfinished run; false when it is not open in this engine. */
  async cancelRun(runId: string): Promise<boolean> {
    const run = this.runs.get(runId);
    if (!run) return false;
    if (run.phase === "in-flight") {
      // The answer of the call in flight is dropped when it arrives (see advance()).
      run.cancelRequested = true;
      return true;
    }
    run.phase = "done";
    this.runs.delete(runId);
    await this.store.updateRun(cancellation(run, Date.now()));
    return true;
  }

  /**
   * Stops serving: calls in flight are abandoned (their runs resume, and those steps run again,
   * in the next engine), queued writes finish, the lease is released.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const interval of this.intervals) clearInterval(interval);
    this.cron.stop();
    this.appSync.stop();
    this.scheduler.stop();
    // Fails the calls in flight; their runs stay as stored.
    this.client.close();
    if (this.server) {
      const server = this.server;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    await this.scheduler.whenIdle();
    await this.store.drain();
    await this.lease?.release().catch(() => {});
  }

  // ---- one step of a run -------------------------------------------------------------------

  /** Makes one call request for a run and stores what it answered before acting on it. */
  private async advance(run: RunState, fn: FunctionDefinition): Promise<AfterCall> {
    if (!run.steps || !run.stack) {
      const loaded = await this.store.loadSteps(run.id);
      if (!loaded) {
        // The row is gone (deleted by hand): nothing left to run.
        this.runs.delete(run.id);
        return { kind: "done" };
      }
      run.steps = { ...loaded.steps, ...run.unsaved.steps };
      run.stack = [...loaded.stack, ...run.unsaved.stack];
    }
    const startedAt = Date.now();
    endDueSleeps(run, startedAt);
    const stepId = requestedStepId(run);
    run.call = `${this.instance}.${++this.calls}`;
    let outcome: ReturnType<typeof readCallResponse>;
    try {
      const body = this.serialize(callRequestPayload(run, fn));
      const response = await this.client.request(this.callUrl(fn.id, stepId), {
        method: "POST",
        headers: { "content-type": "application/json", ...this.signatureHeaders(body) },
        body,
        timeoutMs: this.options.callTimeoutMs,
      });
      outcome = readCallResponse(response, Date.now());
      pinRequestVersion(run, answeredRequestVersion(response));
    } catch (error) {
      outcome = unreachableOutcome(error);
    }
    run.call = null;
    // Stopped meanwhile: the stored state is untouched, the next engine repeats this call.
    if (this.stopped) return { kind: "done" };
    if (run.cancelRequested) return this.finish(run, fn, cancellation(run, Date.now()));
    if (outcome.kind === "error" && outcome.functionMissing) this.appSync.requestResync();
    return this.commit(run, fn, applyOutcome(run, fn, outcome, Date.now(), this.options.backoff));
  }

  private async commit(run: RunState, fn: FunctionDefinition, transition: Transition) {
    const { update, next } = transition;
    try {
      await this.store.updateRun(update);
    } catch (error) {
      return this.storageFailed(run, fn, error);
    }
    if (next.kind === "finished") return this.finished(run, fn.id, next.failure);
    this.remember(run, update);
    if (next.kind === "call") return { kind: "call" } as const;
    if (next.until - Date.now() > UNLOAD_AFTER_MS) {
      run.steps = null;
      run.stack = null;
    }
    return { kind: "wait", until: next.until } as const;
  }

  /** Once an update is written, the memory copy of the run moves on to match it. */
  private remember(run: RunState, update: Transition["update"]): void {
    const steps = run.steps ?? {};
    const stack = run.stack ?? [];
    // The unsaved steps (ended sleeps) are in memory already; only the new ones are added.
    for (const id of update.stack.slice(run.unsaved.stack.length)) {
      steps[id] = update.steps[id] as NonNullable<(typeof steps)[string]>;
      stack.push(id);
    }
    run.unsaved = { steps: {}, stack: [] };
    run.status = update.status;
    run.attempt = update.attempt;
    run.plan = update.plan;
    run.wakeAt = update.wakeAt;
    run.startedAt = update.startedAt;
    run.storageFailures = 0;
  }

  /**
   * An async checkpoint: the SDK ran steps within the call in flight and reports them before
   * going on. They are written first, then remembered, so the rest of the call (or, after a
   * crash, the next one) starts past them. A checkpoint for a call that is over (answered,
   * timed out, cancelled, or made by an engine that stopped) gets 409: the SDK then stops that
   * execution rather than race the run's newer state.
   */
  async checkpoint(runId: string, body: unknown): Promise<{ status: number; error?: string }> {
    const checkpoint = readCheckpoint(body);
    if (!checkpoint) return { status: 400, error: "A checkpoint needs qi_id and steps" };
    const run = this.runs.get(runId);
    const expected =
      run?.phase === "in-flight" && run.call === checkpoint.callId && !run.cancelRequested;
    if (!run || !expected || this.stopped) {
      return { status: 409, error: `Run ${runId} is not waiting for call ${checkpoint.callId}` };
    }
    const update = checkpointUpdate(run, checkpoint.operations, Date.now());
    if (typeof update === "string") return { status: 400, error: update };
    try {
      await this.store.updateRun(update);
    } catch (error) {
      // The SDK retries, then answers with the steps instead: nothing is lost.
      console.error(
        `[inngest-engine] storing a checkpoint of run ${run.id} failed: ${databaseReason(error)}`,
      );
      return { status: 500, error: "The checkpoint could not be stored" };
    }
    // A call that ended while the write was in progress (timed out) keeps the written state
    // in the database only; its run repeats those steps, which is what steps allow.
    if (run.call === checkpoint.callId) this.remember(run, update);
    return { status: 200 };
  }

  private async finish(run: RunState, fn: FunctionDefinition, update: Transition["update"]) {
    try {
      await this.store.updateRun(update);
    } catch (error) {
      return this.storageFailed(run, fn, error);
    }
    return this.finished(run, fn.id, update.status === "failed" ? update.error : undefined);
  }

  private finished(run: RunState, functionId: string, error?: unknown): AfterCall {
    this.runs.delete(run.id);
    run.phase = "done";
    if (error) this.announceFailure(run, functionId, error);
    return { kind: "done" };
  }

  /**
   * The outcome of a call could not be stored. The run keeps its last stored state and calls
   * again later, so the step runs again (at-least-once); a run whose state keeps failing to
   * store (a value PostgreSQL refuses) fails after as many tries as it has attempts.
   */
  private async storageFailed(run: RunState, fn: FunctionDefinition, error: unknown) {
    run.storageFailures++;
    console.error(`[inngest-engine] storing run ${run.id} failed: ${databaseReason(error)}`);
    if (run.storageFailures < fn.maxAttempts) {
      return {
        kind: "wait",
        until: Date.now() + this.options.backoff(run.storageFailures),
      } as const;
    }
    const reason: SerializedError = {
      name: "StorageError",
      message: `The run's state could not be stored: ${databaseReason(error)}`,
    };
    try {
      await this.store.updateRun(failure(run, reason, Date.now()));
    } catch {
      // Still open in the database: the next start picks it up again.
    }
    return this.finished(run, fn.id, reason);
  }

  private announceFailure(run: RunState, functionId: string, error: unknown): void {
    const event = {
      name: FUNCTION_FAILED_EVENT,
      data: { function_id: functionId, run_id: run.id, error, event: run.event },
    };
    this.receiveEvents([event]).catch((reason) =>
      console.error("[inngest-engine] recording a function failure failed", reason),
    );
  }

  // ---- runs --------------------------------------------------------------------------------

  private newRun(fn: FunctionDefinition, eventId: string, event: EngineEventPayload): RunState {
    return newRunState({
      id: monotonicUlid(),
      functionId: fn.id,
      eventId,
      event,
      concurrencyKeys: concurrencyKeysFor(fn, event),
      throttleKey: throttleKeyFor(fn, event),
    });
  }

  private admit(runs: RunState[]): void {
    if (this.stopped) return;
    for (const run of runs) {
      this.runs.set(run.id, run);
      this.scheduler.enqueue(run);
    }
  }

  /** Every unfinished run of the environment goes back into the queue or onto its timer. */
  private async recover(): Promise<void> {
    const now = Date.now();
    for (const row of await this.store.openRuns()) {
      const run = newRunState({
        id: row.id,
        functionId: row.functionId,
        eventId: row.eventId,
        event: row.event,
        concurrencyKeys: row.concurrencyKeys,
        throttleKey: row.throttleKey,
      });
      run.status = row.status;
      run.attempt = row.attempt;
      run.plan = row.plan;
      run.startedAt = row.startedAt?.getTime() ?? null;
      run.admitted = run.startedAt !== null;
      run.steps = null;
      run.stack = null;
      this.runs.set(run.id, run);
      const wakeAt = row.wakeAt?.getTime() ?? null;
      if (wakeAt !== null && wakeAt > now) this.scheduler.wakeAt(run, wakeAt);
      else this.scheduler.enqueue(run);
    }
    if (this.runs.size > 0) {
      console.log(`[inngest-engine] resuming ${this.runs.size} unfinished run(s)`);
    }
  }

  /** Starts runs for events stored while no sync had happened yet. */
  private async triggerWaitingEvents(): Promise<void> {
    // Events accepted before `synced` flipped may still be in the write queue.
    await this.store.drain();
    const waiting = await this.store.untriggeredEvents();
    if (waiting.length === 0) return;
    const runs = waiting.flatMap(({ id, payload }) =>
      this.registry.match(payload).map((fn) => this.newRun(fn, id, payload)),
    );
    await this.store.triggerEvents(
      waiting.map((event) => event.id),
      runs.map(runRow(this.options)),
    );
    this.admit(runs);
  }

  // ---- sync --------------------------------------------------------------------------------

  private applyFunctions(configs: unknown[]): void {
    if (this.stopped) return;
    const registry = new FunctionRegistry(configs);
    for (const problem of registry.problems) this.reportOnce(problem);
    for (const fn of registry.functions.values()) {
      if (fn.unsupported.length > 0) {
        this.reportOnce(
          `Function "${fn.id}": ${fn.unsupported.join(", ")} not supported by the embedded engine (ignored)`,
        );
      }
    }
    this.registry = registry;
    this.callUrls = new Map();
    this.cron.schedule(registry.functions.values());
    const first = !this.synced;
    this.synced = true;
    if (first) {
      console.log(
        `[inngest-engine] synced ${registry.size} function(s) from ${this.options.appUrl}`,
      );
      this.scheduler.start();
    }
    // Runs of functions that were missing before this sync and still are: give up on them.
    for (const run of this.scheduler.retryUnknownFunctions()) {
      const error: SerializedError = {
        name: "FunctionNotFound",
        message: `The app no longer serves function "${run.functionId}"`,
      };
      this.store
        .updateRun(failure(run, error, Date.now()))
        .then(() => this.finished(run, run.functionId, error))
        .catch((reason) => console.error(`[inngest-engine] failing run ${run.id} failed`, reason));
    }
    this.triggerWaitingEvents().catch((error) =>
      console.error("[inngest-engine] starting runs for waiting events failed", error),
    );
  }

  private signatureHeaders(body: string): Record<string, string> {
    return this.signingKey ? { "x-inngest-signature": signatureHeader(body, this.signingKey) } : {};
  }

  private reportOnce(problem: string): void {
    if (this.reportedProblems.has(problem)) return;
    this.reportedProblems.add(problem);
    console.warn(`[inngest-engine] ${problem}`);
  }

  private callUrl(fnId: string, stepId: string): string {
    let base = this.callUrls.get(fnId);
    if (!base) {
      base = callUrlPrefix(this.options.appUrl, fnId);
      this.callUrls.set(fnId, base);
    }
    return base + encodeURIComponent(stepId);
  }

  // ---- cron --------------------------------------------------------------------------------

  /** One run per function and schedule slot, even if two engines or a restart fire it twice. */
  private async startCronRun(functionId: string, expression: string, slot: Date): Promise<void> {
    const fn = this.registry.get(functionId);
    if (!fn || this.stopped) return;
    const id = monotonicUlid();
    const dedupeKey = `cron-${digest(`${functionId}\n${expression}\n${slot.toISOString()}`)}`;
    const payload: EngineEventPayload = {
      id: dedupeKey,
      name: SCHEDULED_EVENT,
      data: { cron: expression },
      ts: slot.getTime(),
    };
    const run = this.newRun(fn, id, payload);
    const inserted = await this.store.recordEvents(
      [
        {
          id,
          environment: this.options.environment,
          name: SCHEDULED_EVENT,
          dedupeKey,
          payload,
          triggeredAt: new Date(),
        },
      ],
      [runRow(this.options)(run)],
    );
    if (inserted.has(id)) this.admit([run]);
  }

  // ---- process plumbing --------------------------------------------------------------------

  private async listen(): Promise<void> {
    const server = createIntakeServer({
      receiveEvents: (events, seed) => this.receiveEvents(events, seed),
      registerFunctions: (body) => this.registerFunctions(body),
      describe: () => ({
        engine: "gatehouse-embedded-inngest",
        environment: this.options.environment,
        app: this.options.appUrl,
        functions: [...this.registry.functions.keys()],
        stats: this.stats(),
      }),
      acceptsEventKey: (key) => !this.eventKey || sameSecret(key, this.eventKey),
      checkpoint: (runId, body) => this.checkpoint(runId, body),
      acceptsApiKey: (bearer) =>
        !this.apiKey || (bearer !== undefined && sameSecret(bearer, this.apiKey)),
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error) => {
        // The app's client was configured with this port: no other will do.
        const where = `127.0.0.1:${this.options.port}`;
        reject(
          new Error(`The embedded Inngest engine cannot listen on ${where}: ${error.message}`),
        );
      });
      server.listen(this.options.port, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    this.address = `http://127.0.0.1:${port}`;
  }

  private startTimers(): void {
    const heartbeat = setInterval(() => {
      this.lease
        ?.renew()
        .then((held) => {
          if (held) return;
          console.error("[inngest-engine] another engine took over this environment; stopping");
          return this.stop();
        })
        .catch((error) => console.error("[inngest-engine] lease renewal failed", error));
    }, LEASE_TTL_MS / 3);
    const housekeeping = setInterval(() => {
      const now = Date.now();
      this.scheduler.forgetIdleThrottles(now);
      this.store
        .prune(
          new Date(now - this.options.eventRetentionMs),
          new Date(now - this.options.runRetentionMs),
        )
        .catch((error) =>
          console.error("[inngest-engine] pruning old events and runs failed", error),
        );
    }, HOUSEKEEPING_INTERVAL_MS);
    heartbeat.unref();
    housekeeping.unref();
    this.intervals.push(heartbeat, housekeeping);
  }
}

/**
 * What the database said about a failed write, without the statement: drizzle's error quotes it
 * with its values, which hold step results and event data that do not belong in logs.
 */
function databaseReason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

function runRow(options: EngineOptions): (run: RunState) => NewRunRow {
  return (run) => ({
    id: run.id,
    environment: options.environment,
    functionId: run.functionId,
    eventId: run.eventId,
    event: run.event,
    concurrencyKeys: run.concurrencyKeys,
    throttleKey: run.throttleKey,
  });
}
