import { describe, expect, it } from "vitest";
import { compileExpression, ExpressionSyntaxError, keyString } from "./expression";
import { concurrencyKeysFor, FunctionRegistry, throttleKeyFor } from "./functions";

const event = {
  id: "e1",
  name: "webhook/delivery.requested",
  ts: 0,
  data: { endpointId: "ep_1", tenant: { id: 7 }, urgent: true, count: 1, tags: ["a", "b"] },
};
const evaluate = (source: string) => compileExpression(source)({ event });

describe("expressions", () => {
  it("read paths into the event", () => {
    expect(evaluate("event.data.endpointId")).toBe("ep_1");
    expect(evaluate(" event.data.tenant.id ")).toBe(7);
    expect(evaluate("event.name")).toBe("webhook/delivery.requested");
    expect(evaluate("event.data.missing.deeper")).toBeUndefined();
    expect(evaluate("event.data.constructor")).toBeUndefined();
  });

  it("compare a path with a string, as the SDK's onFailure trigger does", () => {
    expect(evaluate("event.data.endpointId == 'ep_1'")).toBe(true);
    expect(evaluate('event.data.endpointId=="ep_2"')).toBe(false);
    expect(evaluate("event.data.missing == ''")).toBe(false);
    expect(evaluate("event.data.tenant.id == '7'")).toBe(false);
  });

  it("refuse anything else instead of guessing", () => {
    for (const bad of [
      "size(event.data.tags)",
      "event.data.endpointId != 'ep_1'",
      "event.data.tenant.id == 7",
      "event.data.a == 'x' && event.data.b == 'y'",
      "event.data.a == 'it\\'s'",
      'event.data.a + "-" + event.data.b',
      'event.data["odd-key"]',
      "event.data.tags[1]",
      "event",
      "vars.x",
      "'ep_1'",
    ]) {
      expect(() => compileExpression(bad), bad).toThrow(ExpressionSyntaxError);
    }
  });

  it("turn key values into group names", () => {
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
    const when = (expression: string) => ({
      triggers: [{ event: "webhook/delivery.requested", expression }],
    });
    const registry = new FunctionRegistry([
      config("app-exact"),
      config("app-wild", { triggers: [{ event: "webhook/*" }] }),
      config("app-other", { triggers: [{ event: "billing/*" }] }),
      config("app-urgent", when("event.data.urgent")),
      // CEL conditions are booleans: a value that is merely truthy does not match.
      config("app-counted", when("event.data.count")),
      config("app-this-endpoint", when("event.data.endpointId == 'ep_1'")),
      config("app-other-endpoint", when("event.data.endpointId == 'ep_2'")),
      // A condition the engine cannot read matches nothing, and is reported.
      config("app-picky", when("event.data.endpointId != 'ep_2'")),
    ]);
    expect(registry.match(event).map((fn) => fn.id)).toEqual([
      "app-exact",
      "app-urgent",
      "app-this-endpoint",
      "app-wild",
    ]);
    expect(registry.problems.join()).toContain("app-picky");
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
