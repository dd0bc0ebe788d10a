import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

describe("GATEHOUSE_COMPRESS", () => {
  it("is off unless set: compressing is the TLS proxy's job", () => {
    expect(parseEnv({}).compressResponses).toBe(false);
    expect(parseEnv({ GATEHOUSE_COMPRESS: "" }).compressResponses).toBe(false);
    expect(parseEnv({ GATEHOUSE_COMPRESS: "false" }).compressResponses).toBe(false);
  });

  it("turns on with true or 1", () => {
    expect(parseEnv({ GATEHOUSE_COMPRESS: "true" }).compressResponses).toBe(true);
    expect(parseEnv({ GATEHOUSE_COMPRESS: "1" }).compressResponses).toBe(true);
  });

  it("names the variable when its value is not a boolean", () => {
    expect(() => parseEnv({ GATEHOUSE_COMPRESS: "gzip" })).toThrow(/GATEHOUSE_COMPRESS/);
  });
});
