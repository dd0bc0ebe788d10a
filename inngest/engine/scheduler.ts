import {
  concurrencyKeysFor,
  type FunctionDefinition,
  type ThrottleConfig,
  throttleKeyFor,
} from "./functions";
import { MinHeap } from "./heap";
import type { RunState } from "./run";

// The in-process dispatcher. Runs that can make a call wait in one ready queue ordered by run
// id (= creation order); at most `maxInFlight` calls are in flight. A run that would exceed a
// concurrency limit or a throttle waits in that group's own line and is handed back to the
// ready queue when the group has room, so nothing is ever rescanned. Sleeps, retries and
// throttle windows share one timer heap and one setTimeout armed for the earliest entry: an
// idle engine costs nothing and never polls the database.

/** What a run does after a call: call again, wait until a time, or nothing (finished). */
export type AfterCall = { kind: "call" } | { kind: "wait"; until: number } | { kind: "done" };

export interface SchedulerHooks {
  maxInFlight: number;
  functionFor(id: string): FunctionDefinition | undefined;
  /** Makes one call request for the run, stores the outcome and says what comes next. */
  execute(run: RunState, fn: FunctionDefinition): Promise<AfterCall>;
  /** A run names a function the last sync did not have: the engine should sync again. */
  onUnknownFunction(): void;
}

export interface SchedulerStats {
  inFlight: number;
  ready: number;
  timers: number;
  waitingForSync: number;
}

interface Timer {
  at: number;
  fire: () => void;
  cancelled: boolean;
}

interface ConcurrencyGroup {
  key: string;
  // The limit of the constraint that last used the group (shared env/account groups may differ).
  limit: number;
  active: number;
  // Runs handed back to the ready queue for a freed slot that have not tried to start yet.
  promoting: number;
  waiting: MinHeap<RunState>;
}

interface ThrottleBucket {
  // Theoretical arrival time of the generic cell rate algorithm Inngest's throttle uses.
  tat: number;
  waiting: MinHeap<RunState>;
  timer: Timer | null;
}

// setTimeout cannot wait longer than 2^31-1 ms; longer waits re-arm on the way.
const MAX_TIMEOUT_MS = 2_147_483_647;
const byRunId = (a: RunState, b: RunState) => a.id < b.id;

export class Scheduler {
  private readonly ready = new MinHeap<RunState>(byRunId);
  private readonly timers = new MinHeap<Timer>((a, b) => a.at < b.at);
  private readonly groups = new Map<string, ConcurrencyGroup>();
  private readonly throttles = new Map<string, ThrottleBucket>();
  private readonly promotedFrom = new WeakMap<RunState, ConcurrencyGroup>();
  private waitingForSync: RunState[] = [];
  private timeout: NodeJS.Timeout | null = null;
  private timeoutAt = Number.POSITIVE_INFINITY;
  private inFlight = 0;
  private pumpQueued = false;
  private running = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly hooks: SchedulerHooks) {}

  /** Starts dispatching (after the first sync: before it no function is known). */
  start(): void {
    this.running = true;
    this.schedulePump();
  }

  stop(): void {
    this.running = false;
    if (this.timeout) clearTimeout(this.timeout);
    this.timeout = null;
    this.timeoutAt = Number.POSITIVE_INFINITY;
  }

  /** The run can make its next call now. */
  enqueue(run: RunState): void {
    if (run.phase === "ready" || run.phase === "in-flight") return;
    run.phase = "ready";
    this.ready.push(run);
    this.schedulePump();
  }

  /** The run makes its next call at `at` (a sleep or a retry). */
  wakeAt(run: RunState, at: number): void {
    run.phase = "timer";
    run.wakeAt = at;
    this.at(at, () => {
      if (run.phase === "timer" && run.wakeAt === at) this.enqueue(run);
    });
  }

  /** Calls `fire` at `at`; returns a cancel function. */
  at(at: number, fire: () => void): () => void {
    const timer: Timer = { at, fire, cancelled: false };
    this.timers.push(timer);
    if (at < this.timeoutAt) this.armTimeout(at);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Runs parked for an unknown function go back to the queue after a sync. */
  retryUnknownFunctions(): RunState[] {
    const parked = this.waitingForSync;
    this.waitingForSync = [];
    const stillUnknown: RunState[] = [];
    for (const run of parked) {
      if (run.phase !== "waiting") continue;
      if (this.hooks.functionFor(run.functionId)) this.enqueue(run);
      else stillUnknown.push(run);
    }
    return stillUnknown;
  }

  stats(): SchedulerStats {
    return {
      inFlight: this.inFlight,
      ready: this.ready.size,
      timers: this.timers.size,
      waitingForSync: this.waitingForSync.length,
    };
  }

  /** Forgets throttle buckets whose window has passed and that nobody waits in. */
  forgetIdleThrottles(now: number): void {
    for (const [key, bucket] of this.throttles) {
      if (bucket.tat < now && bucket.waiting.size === 0 && !bucket.timer) {
        this.throttles.delete(key);
      }
    }
  }

  /** Resolves when no call is in flight (used by stop()). */
  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedulePump(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private pump(): void {
    if (!this.running) return;
    while (this.inFlight < this.hooks.maxInFlight) {
      const run = this.ready.pop();
      if (!run) break;
      if (run.phase !== "ready") {
        this.handBackPromotion(run);
        continue;
      }
      this.tryStart(run);
    }
  }

  private tryStart(run: RunState): void {
    const promotedFrom = this.promotedFrom.get(run);
    if (promotedFrom) {
      promotedFrom.promoting--;
      this.promotedFrom.delete(run);
    }
    const fn = this.hooks.functionFor(run.functionId);
    if (!fn) {
      run.phase = "waiting";
      this.waitingForSync.push(run);
      this.hooks.onUnknownFunction();
      if (promotedFrom) this.promote(promotedFrom);
      return;
    }
    const keys =
      run.concurrencyKeys.length === fn.concurrency.length
        ? run.concurrencyKeys
        : concurrencyKeysFor(fn, run.event);
    const groups: ConcurrencyGroup[] = [];
    for (const [index, constraint] of fn.concurrency.entries()) {
      const group = this.group(keys[index] as string);
      group.limit = constraint.limit;
      if (group.active >= constraint.limit) {
        run.phase = "waiting";
        group.waiting.push(run);
        if (promotedFrom && promotedFrom !== group) this.promote(promotedFrom);
        return;
      }
      groups.push(group);
    }
    if (fn.throttle && !run.admitted) {
      const key = run.throttleKey ?? (throttleKeyFor(fn, run.event) as string);
      const delay = this.admit(key, run, fn.throttle, Date.now());
      if (delay > 0) {
        run.phase = "waiting";
        const bucket = this.bucket(key);
        bucket.waiting.push(run);
        this.armThrottle(bucket, Date.now() + delay);
        if (promotedFrom) this.promote(promotedFrom);
        return;
      }
      run.admitted = true;
    }
    this.launch(run, fn, groups);
  }

  private launch(run: RunState, fn: FunctionDefinition, groups: ConcurrencyGroup[]): void {
    for (const group of groups) group.active++;
    this.inFlight++;
    run.phase = "in-flight";
    this.hooks
      .execute(run, fn)
      .catch((error): AfterCall => {
        // A bug, not an app failure: keep the run and try again a little later.
        console.error(`[inngest-engine] run ${run.id} crashed`, error);
        return { kind: "wait", until: Date.now() + 5_000 };
      })
      .then((after) => {
        this.inFlight--;
        for (const group of groups) {
          group.active--;
          this.promote(group);
          // Keys such as an endpoint id come and go: forget groups nobody uses.
          if (group.active === 0 && group.promoting === 0 && group.waiting.size === 0) {
            this.groups.delete(group.key);
          }
        }
        run.phase = "done";
        if (this.running) {
          // After the slots were handed on: an older run still comes first in the queue.
          if (after.kind === "call") this.enqueue(run);
          else if (after.kind === "wait") this.wakeAt(run, after.until);
        }
        if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
        this.schedulePump();
      });
  }

  /** Hands free slots of a group to its oldest waiting runs. */
  private promote(group: ConcurrencyGroup): void {
    while (group.active + group.promoting < group.limit) {
      const next = group.waiting.pop();
      if (!next) break;
      if (next.phase !== "waiting") continue;
      group.promoting++;
      this.promotedFrom.set(next, group);
      this.enqueue(next);
    }
  }

  /** A promoted run that left the queue without starting passes its slot on. */
  private handBackPromotion(run: RunState): void {
    const group = this.promotedFrom.get(run);
    if (!group) return;
    group.promoting--;
    this.promotedFrom.delete(run);
    this.promote(group);
  }

  /**
   * Generic cell rate algorithm, as Inngest documents its throttle: `limit + burst` runs may
   * start at once, then one every `period / limit`. Returns 0 when the run may start now, else
   * how long it must wait. Runs of one key start first-in first-out.
   */
  private admit(key: string, run: RunState, throttle: ThrottleConfig, now: number): number {
    const bucket = this.bucket(key);
    const interval = throttle.periodMs / throttle.limit;
    const tolerance = interval * (throttle.limit + throttle.burst - 1);
    let head = bucket.waiting.peek();
    while (head && head.phase !== "waiting") {
      bucket.waiting.pop();
      head = bucket.waiting.peek();
    }
    const tat = Math.max(bucket.tat, now);
    const wait = tat - tolerance - now;
    if (head && head.id < run.id) return Math.max(1, wait);
    if (wait > 0) return wait;
    bucket.tat = tat + interval;
    // The next run in line gets its own turn without waiting for another arrival.
    if (bucket.waiting.size > 0) this.armThrottle(bucket, Math.max(now, bucket.tat - tolerance));
    return 0;
  }

  private armThrottle(bucket: ThrottleBucket, at: number): void {
    if (bucket.timer && !bucket.timer.cancelled && bucket.timer.at <= at) return;
    if (bucket.timer) bucket.timer.cancelled = true;
    const timer: Timer = {
      at,
      cancelled: false,
      fire: () => {
        if (bucket.timer === timer) bucket.timer = null;
        // Hand the oldest waiting run back; if it still may not start it waits again and
        // re-arms the timer for its exact turn.
        for (let next = bucket.waiting.pop(); next; next = bucket.waiting.pop()) {
          if (next.phase !== "waiting") continue;
          this.enqueue(next);
          break;
        }
      },
    };
    bucket.timer = timer;
    this.timers.push(timer);
    if (at < this.timeoutAt) this.armTimeout(at);
  }

  private group(key: string): ConcurrencyGroup {
    let group = this.groups.get(key);
    if (!group) {
      group = { key, limit: 1, active: 0, promoting: 0, waiting: new MinHeap(byRunId) };
      this.groups.set(key, group);
    }
    return group;
  }

  private bucket(key: string): ThrottleBucket {
    let bucket = this.throttles.get(key);
    if (!bucket) {
      bucket = { tat: 0, waiting: new MinHeap(byRunId), timer: null };
      this.throttles.set(key, bucket);
    }
    return bucket;
  }

  private armTimeout(at: number): void {
    if (this.timeout) clearTimeout(this.timeout);
    this.timeoutAt = at;
    const delay = Math.min(Math.max(0, at - Date.now()), MAX_TIMEOUT_MS);
    this.timeout = setTimeout(() => this.fireTimers(), delay);
    // Timers alone must not keep a process alive (the HTTP server does that).
    this.timeout.unref();
  }

  private fireTimers(): void {
    this.timeout = null;
    this.timeoutAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    for (let timer = this.timers.peek(); timer && timer.at <= now; timer = this.timers.peek()) {
      this.timers.pop();
      if (!timer.cancelled) timer.fire();
    }
    const next = this.timers.peek();
    if (next && next.at < this.timeoutAt) this.armTimeout(next.at);
  }
}
