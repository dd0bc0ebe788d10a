import { describe, expect, it } from "vitest";
import { compileExpression, ExpressionSyntaxError, keyString } from "./expression";
import { concurrencyKeysFor, FunctionRegistry, throttleKeyFor } from "./functions";

const event = {
  id: "e1",
  name: "webhook/delivery.requested",
  ts: 0,
  data: { endpointId: "ep_1", tenant: { id: 7 }, tags: ["a", "b"], "odd-key": "x" },
};
const evaluate = (source: string) => compileExpression(source, ["event"])({ event });

describe("expressions", () => {
  it("reads paths, indexes and literals", () => {
    expect(evaluate("event.data.endpointId")).toBe("ep_1");
    expect(evaluate("event.data.tenant.id")).toBe(7);
    expect(evaluate("event.data.tags[1]")).toBe("b");
    expect(evaluate('event.data["odd-key"]')).toBe("x");
    expect(evaluate("event.data.missing.deeper")).toBeUndefined();
    expect(evaluate("'ai'")).toBe("ai");
  });

  it("compares, combines and concatenates", () => {
    expect(evaluate("event.data.endpointId == 'ep_1' && event.data.tenant.id > 5")).toBe(true);
    expect(evaluate("event.data.endpointId != 'ep_1' || !(event.data.tenant.id >= 8)")).toBe(true);
    expect(evaluate('event.data.endpointId + "-" + event.data.tenant.id')).toBe("ep_1-7");
    expect(evaluate("event.data.missing == null")).toBe(true);
  });

  it("rejects anything outside the subset instead of guessing", () => {
    for (const bad of [
      "size(event.data.tags)",
      "event.data.x ==",
      "vars.x",
      "event.data.x ? 1 : 2",
      "'open",
    ]) {
      expect(() => compileExpression(bad, ["event"]), bad).toThrow(ExpressionSyntaxError);
    }
  });

  it("turns key values into group names", () => {
    expect(keyString("a")).toBe("a");
    expect(keyString(7)).toBe("7");
    expect(keyString(undefined)).toBe("");
    expect(keyString({ a: 1 })).toBe('{"a":1}');
  });
});

describe("FunctionRegistry", () => {
  const config = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    name: id,
    triggers: [{ event: "webhook/delivery.requested" }],
    steps: { step: { id: "step", name: "step", runtime: { type: "http", url: "http://app" } } },
    ...extra,
  });

  it("matches exact names, wildcards and trigger conditions", () => {
    const registry = new FunctionRegistry([
      config("app-exact"),
      config("app-wild", { triggers: [{ event: "webhook/*" }] }),
      config("app-other", { triggers: [{ event: "billing/*" }] }),
      config("app-picky", {
        triggers: [
          { event: "webhook/delivery.requested", expression: "event.data.endpointId == 'ep_2'" },
        ],
      }),
    ]);
    expect(registry.match(event).map((fn) => fn.id)).toEqual(["app-exact", "app-wild"]);
  });

  it("reads retries (4 by default, like Inngest), concurrency and throttle", () => {
    const registry = new FunctionRegistry([
      config("app-default"),
      config("app-tuned", {
        steps: {
          step: {
            id: "step",
            name: "step",
            runtime: { type: "http", url: "x" },
            retries: { attempts: 0 },
          },
        },
        concurrency: [{ limit: 1, key: "event.data.endpointId" }, { limit: 10 }],
        throttle: { limit: 5, period: "1m", burst: 2, key: "event.data.tenant.id" },
      }),
    ]);
    expect(registry.get("app-default")?.maxAttempts).toBe(5);
    const tuned = registry.get("app-tuned");
    if (!tuned) throw new Error("missing");
    expect(tuned.maxAttempts).toBe(1);
    expect(concurrencyKeysFor(tuned, event)).toEqual(["fn:app-tuned:0:ep_1", "fn:app-tuned"]);
    expect(tuned.throttle).toMatchObject({ limit: 5, periodMs: 60_000, burst: 2 });
    expect(throttleKeyFor(tuned, event)).toBe("app-tuned:7");
  });

  it("keeps a function whose settings it cannot read, conservatively, and says why", () => {
    const registry = new FunctionRegistry([
      config("app-odd", {
        concurrency: [{ limit: 1, key: "size(event.data.tags)" }],
        debounce: { period: "5s" },
      }),
    ]);
    const odd = registry.get("app-odd");
    if (!odd) throw new Error("missing");
    // An unreadable key becomes one shared group: never more concurrency than asked for.
    expect(concurrencyKeysFor(odd, event)).toEqual(["fn:app-odd:0:size(event.data.tags)"]);
    expect(odd.unsupported).toEqual(["debounce"]);
    expect(registry.problems.join()).toContain("app-odd");
  });
});
