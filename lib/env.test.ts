import { describe, expect, it } from "vitest";
import { embeddedInngestKeys, parseEnv } from "./env";

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

describe("Inngest settings", () => {
  it("run the embedded engine, signed, on PORT + 10000 when no Inngest server is configured", () => {
    expect(parseEnv({}).inngest).toEqual({
      embeddedEngine: true,
      enginePort: 13000,
      baseUrl: "http://127.0.0.1:13000",
      isDev: false,
      signingKey: undefined,
      eventKey: undefined,
    });
    // Servers side by side on different ports get engines of their own.
    expect(parseEnv({ PORT: "3150" }).inngest.baseUrl).toBe("http://127.0.0.1:13150");
    expect(parseEnv({ INNGEST_ENGINE_PORT: "9400" }).inngest.baseUrl).toBe("http://127.0.0.1:9400");
    // An event key alone configures no server: the engine accepts it.
    expect(parseEnv({ INNGEST_EVENT_KEY: "shared" }).inngest).toMatchObject({
      embeddedEngine: true,
      eventKey: "shared",
    });
  });

  it("point the client at a configured server instead", () => {
    expect(parseEnv({ INNGEST_DEV: "1" }).inngest).toMatchObject({
      embeddedEngine: false,
      isDev: true,
      baseUrl: undefined,
    });
    expect(parseEnv({ INNGEST_DEV: "http://inngest:8288" }).inngest).toMatchObject({
      embeddedEngine: false,
      isDev: true,
      baseUrl: "http://inngest:8288",
    });
    const selfHosted = {
      INNGEST_BASE_URL: "http://inngest:8288",
      INNGEST_SIGNING_KEY: "signkey-prod-00",
      INNGEST_EVENT_KEY: "prod-event-key",
    };
    expect(parseEnv(selfHosted).inngest).toEqual({
      embeddedEngine: false,
      enginePort: 13000,
      baseUrl: "http://inngest:8288",
      isDev: false,
      signingKey: "signkey-prod-00",
      eventKey: "prod-event-key",
    });
    expect(parseEnv({ INNGEST_SIGNING_KEY: "signkey-prod-00" }).inngest).toMatchObject({
      embeddedEngine: false,
      baseUrl: undefined,
      isDev: false,
    });
  });

  it("name the variable when a value cannot be used", () => {
    expect(() => parseEnv({ INNGEST_ENGINE_PORT: "0" })).toThrow(/INNGEST_ENGINE_PORT/);
    expect(() => parseEnv({ INNGEST_ENGINE_PORT: "port" })).toThrow(/INNGEST_ENGINE_PORT/);
    expect(() => parseEnv({ PORT: "60000" })).toThrow(/INNGEST_ENGINE_PORT/);
    expect(parseEnv({ PORT: "60000", INNGEST_DEV: "1" }).inngest.embeddedEngine).toBe(false);
    expect(() => parseEnv({ INNGEST_DEV: "yes" })).toThrow(/INNGEST_DEV/);
    expect(() => parseEnv({ INNGEST_BASE_URL: "the inngest box" })).toThrow(/INNGEST_BASE_URL/);
  });

  it("derive the embedded engine's keys from AUTH_SECRET: the same in every module, every start", () => {
    const secret = "s".repeat(32);
    const keys = embeddedInngestKeys(secret);
    expect(keys.signingKey).toMatch(/^signkey-embedded-[0-9a-f]{64}$/);
    expect(keys.eventKey).toMatch(/^embedded-[0-9a-f]{64}$/);
    expect(embeddedInngestKeys(secret)).toEqual(keys);
    const rotated = embeddedInngestKeys("t".repeat(32));
    expect(rotated.signingKey).not.toBe(keys.signingKey);
    expect(rotated.eventKey).not.toBe(keys.eventKey);
    expect(embeddedInngestKeys(secret, "shared")).toEqual({ ...keys, eventKey: "shared" });
  });
});
