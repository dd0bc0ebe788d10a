import type { EngineEventPayload } from "@/db/schema/engine";
import { type CronSchedule, parseCron } from "./cron";
import { parseTimeString } from "./duration";
import { type CompiledExpression, compileExpression, keyString } from "./expression";

// What the engine keeps of a synced function config (the `functions` array of an in-band sync
// response or of an out-of-band `POST /fn/register`), compiled once per sync so that nothing
// is parsed again per run.

/** Inngest's own default when a function sets no `retries`: 4 retries, 5 attempts. */
export const DEFAULT_RETRIES = 4;

export interface ConcurrencyConstraint {
  limit: number;
  scope: "fn" | "env" | "account";
  key?: CompiledExpression;
}

export interface ThrottleConfig {
  limit: number;
  periodMs: number;
  burst: number;
  key?: CompiledExpression;
}

export interface FunctionDefinition {
  id: string;
  name: string;
  maxAttempts: number;
  concurrency: ConcurrencyConstraint[];
  throttle?: ThrottleConfig;
  cron: CronSchedule[];
  /** Settings the function asks for that this engine ignores (logged at sync). */
  unsupported: string[];
}

interface EventTrigger {
  function: FunctionDefinition;
  condition?: CompiledExpression;
}

/** The synced functions of the app, indexed for matching events. */
export class FunctionRegistry {
  readonly functions = new Map<string, FunctionDefinition>();
  readonly problems: string[] = [];
  private readonly byName = new Map<string, EventTrigger[]>();
  private readonly wildcards: Array<EventTrigger & { pattern: RegExp }> = [];

  constructor(configs: unknown[]) {
    for (const raw of configs) {
      try {
        this.add(raw);
      } catch (error) {
        this.problems.push(error instanceof Error ? error.message : String(error));
      }
    }
  }

  get(id: string): FunctionDefinition | undefined {
    return this.functions.get(id);
  }

  get size(): number {
    return this.functions.size;
  }

  /** The functions an event starts, each at most once. */
  match(event: EngineEventPayload): FunctionDefinition[] {
    const matched = new Set<FunctionDefinition>();
    const consider = (trigger: EventTrigger) => {
      if (matched.has(trigger.function)) return;
      // A condition is CEL: it matches when it is true, not merely truthy.
      if (trigger.condition && trigger.condition({ event }) !== true) return;
      matched.add(trigger.function);
    };
    for (const trigger of this.byName.get(event.name) ?? []) consider(trigger);
    for (const trigger of this.wildcards) if (trigger.pattern.test(event.name)) consider(trigger);
    return [...matched];
  }

  private add(raw: unknown): void {
    const config = record(raw);
    const id = text(config.id);
    if (!id) throw new Error("A synced function has no id");
    const problem = (what: string) => this.problems.push(`Function "${id}": ${what}`);
    const step = record(record(config.steps).step);
    const retries = record(step.retries).attempts;
    const definition: FunctionDefinition = {
      id,
      name: text(config.name) ?? id,
      maxAttempts: (typeof retries === "number" && retries >= 0 ? retries : DEFAULT_RETRIES) + 1,
      concurrency: parseConcurrency(config.concurrency, problem),
      throttle: parseThrottle(config.throttle, problem),
      cron: [],
      unsupported: [
        "batchEvents",
        "rateLimit",
        "debounce",
        "idempotency",
        "cancel",
        "timeouts",
        "priority",
        "singleton",
      ].filter((option) => config[option] !== undefined && config[option] !== null),
    };
    const triggers = Array.isArray(config.triggers) ? config.triggers.map(record) : [];
    for (const trigger of triggers) {
      const cron = text(trigger.cron);
      if (cron) {
        try {
          definition.cron.push(parseCron(cron));
        } catch (error) {
          problem(error instanceof Error ? error.message : String(error));
        }
        continue;
      }
      const name = text(trigger.event);
      if (!name) continue;
      const expression = text(trigger.expression);
      // A condition the engine cannot read matches nothing rather than everything.
      const entry: EventTrigger = {
        function: definition,
        condition: expression ? (compile(expression, problem) ?? (() => false)) : undefined,
      };
      if (name.includes("*")) {
        this.wildcards.push({ ...entry, pattern: wildcardPattern(name) });
      } else {
        const list = this.byName.get(name) ?? [];
        list.push(entry);
        this.byName.set(name, list);
      }
    }
    this.functions.set(id, definition);
  }
}

/** The concurrency groups a run counts against, one per constraint of its function. */
export function concurrencyKeysFor(fn: FunctionDefinition, event: EngineEventPayload): string[] {
  return fn.concurrency.map((constraint, index) => {
    if (!constraint.key) return constraint.scope === "fn" ? `fn:${fn.id}` : constraint.scope;
    const value = keyString(constraint.key({ event }));
    // Function-scoped groups never mix functions; env/account groups are shared by key value.
    return constraint.scope === "fn"
      ? `fn:${fn.id}:${index}:${value}`
      : `${constraint.scope}:${value}`;
  });
}

/** The throttle bucket of a run; each function has its own buckets even with equal keys. */
export function throttleKeyFor(fn: FunctionDefinition, event: EngineEventPayload): string | null {
  if (!fn.throttle) return null;
  return fn.throttle.key ? `${fn.id}:${keyString(fn.throttle.key({ event }))}` : fn.id;
}

type Report = (what: string) => void;

function parseConcurrency(raw: unknown, problem: Report): ConcurrencyConstraint[] {
  if (raw === undefined || raw === null) return [];
  const options = Array.isArray(raw) ? raw : [typeof raw === "number" ? { limit: raw } : raw];
  const constraints: ConcurrencyConstraint[] = [];
  for (const option of options.map(record)) {
    const limit = option.limit;
    // 0 (or no limit) means "as much as the engine allows".
    if (typeof limit !== "number" || limit <= 0) continue;
    const scope = option.scope === "env" || option.scope === "account" ? option.scope : "fn";
    const keyExpression = text(option.key);
    // A key the engine cannot read becomes one shared group: stricter, never looser.
    constraints.push({
      limit: Math.floor(limit),
      scope,
      key: keyExpression ? (compile(keyExpression, problem) ?? (() => keyExpression)) : undefined,
    });
  }
  return constraints;
}

function parseThrottle(raw: unknown, problem: Report): ThrottleConfig | undefined {
  if (raw === undefined || raw === null) return undefined;
  const option = record(raw);
  const period = text(option.period);
  const periodMs = period ? parseTimeString(period) : null;
  if (typeof option.limit !== "number" || option.limit < 1 || !periodMs) {
    problem(`throttle ignored: it needs a limit ≥ 1 and a period, got ${JSON.stringify(raw)}`);
    return undefined;
  }
  const keyExpression = text(option.key);
  return {
    limit: Math.floor(option.limit),
    periodMs,
    burst: typeof option.burst === "number" && option.burst > 0 ? Math.floor(option.burst) : 0,
    key: keyExpression ? (compile(keyExpression, problem) ?? (() => keyExpression)) : undefined,
  };
}

function compile(source: string, problem: Report): CompiledExpression | undefined {
  try {
    return compileExpression(source);
  } catch (error) {
    problem(error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

function wildcardPattern(name: string): RegExp {
  const escaped = name.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`);
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
