import { describe, expect, it } from "vitest";
import { textWithoutNul } from "@/lib/validation";
import { hasNul, NUL_MESSAGE, pathsWithNul } from "./text";

describe("pathsWithNul", () => {
  it("finds nothing in clean input", () => {
    expect(pathsWithNul({ name: "Acme", tags: ["a", "b"], n: 1, ok: true, none: null })).toEqual(
      [],
    );
    expect(pathsWithNul(undefined)).toEqual([]);
  });

  it("names every string that holds a NUL, however deep", () => {
    const input = { name: "a\u0000b", domains: ["ok.test", "\u0000"], meta: { note: "x\u0000" } };
    expect(pathsWithNul(input)).toEqual([["name"], ["domains", 1], ["meta", "note"]]);
  });

  it("names a key that holds a NUL, and a bare string at the top", () => {
    expect(pathsWithNul({ "k\u0000": "v" })).toEqual([["k\u0000"]]);
    expect(pathsWithNul("\u0000")).toEqual([[]]);
  });

  it("tells NUL from other control characters, which text columns accept", () => {
    expect(hasNul("line\nbreak\ttab\u0001")).toBe(false);
    expect(hasNul("\u0000")).toBe(true);
  });
});

describe("textWithoutNul", () => {
  it("refuses a NUL with the shared message and still chains like a string schema", () => {
    const id = textWithoutNul().trim().min(1);
    expect(id.parse("  whep_1 ")).toBe("whep_1");
    expect(id.safeParse("whep_\u0000").error?.issues[0]?.message).toBe(NUL_MESSAGE);
  });
});

describe("pathsWithNul on hostile shapes", () => {
  it("walks a body nested far deeper than the call stack", () => {
    const depth = 200_000;
    const deep = JSON.parse(`${"[".repeat(depth)}"\\u0000"${"]".repeat(depth)}`);
    const [path] = pathsWithNul(deep);
    expect(path).toHaveLength(depth);
    expect(pathsWithNul(JSON.parse(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`))).toEqual([]);
  });
});
