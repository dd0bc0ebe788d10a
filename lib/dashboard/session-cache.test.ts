import { decode, encode, type JWTDecodeParams } from "next-auth/jwt";
import { describe, expect, it, vi } from "vitest";
import { rememberingDecoder } from "./session-cache";

const secret = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
const salt = "authjs.session-token";

async function cookieFor(sub: string, maxAge = 3600): Promise<string> {
  return encode({ token: { sub, email: `${sub}@example.test` }, secret, salt, maxAge });
}

describe("rememberingDecoder", () => {
  it("decrypts a cookie once and answers later requests with the same session", async () => {
    const real = vi.fn((params: JWTDecodeParams) => decode(params));
    const remembering = rememberingDecoder(real, { max: 10 });
    const token = await cookieFor("usr_a");

    const first = await remembering({ token, secret, salt });
    const second = await remembering({ token, secret, salt });

    expect(first).toMatchObject({ sub: "usr_a", email: "usr_a@example.test" });
    expect(second).toEqual(first);
    expect(real).toHaveBeenCalledTimes(1);
  });

  it("tells different cookies apart, and the same token under another cookie name", async () => {
    const real = vi.fn((params: JWTDecodeParams) => decode(params));
    const remembering = rememberingDecoder(real, { max: 10 });
    const a = await cookieFor("usr_a");
    const b = await cookieFor("usr_b");

    expect(await remembering({ token: a, secret, salt })).toMatchObject({ sub: "usr_a" });
    expect(await remembering({ token: b, secret, salt })).toMatchObject({ sub: "usr_b" });
    // Encrypted for one cookie name (the salt), it is no session under another.
    await expect(remembering({ token: a, secret, salt: "other-cookie" })).rejects.toThrow();
    expect(real).toHaveBeenCalledTimes(3);
  });

  it("does not answer with a session once it has expired", async () => {
    let now = Date.now();
    const real = vi.fn((params: JWTDecodeParams) => decode(params));
    const remembering = rememberingDecoder(real, { max: 10, now: () => now });
    const token = await cookieFor("usr_a", 60);
    expect(await remembering({ token, secret, salt })).toMatchObject({ sub: "usr_a" });

    now += 61_000;
    // The cookie is decoded again, and the decoder, at that time, refuses it.
    real.mockResolvedValueOnce(null);
    expect(await remembering({ token, secret, salt })).toBeNull();
    expect(real).toHaveBeenCalledTimes(2);
  });

  it("does not remember cookies that fail to decode", async () => {
    const real = vi.fn(async () => {
      throw new Error("bad cookie");
    });
    const remembering = rememberingDecoder(real, { max: 10 });
    await expect(remembering({ token: "junk", secret, salt })).rejects.toThrow("bad cookie");
    await expect(remembering({ token: "junk", secret, salt })).rejects.toThrow("bad cookie");
    expect(real).toHaveBeenCalledTimes(2);
  });

  it("forgets the least recently used session first", async () => {
    const real = vi.fn(async ({ token }: JWTDecodeParams) => ({ sub: token ?? "" }));
    const remembering = rememberingDecoder(real, { max: 2 });
    const read = (token: string) => remembering({ token, secret, salt });

    await read("a");
    await read("b");
    await read("a"); // a is now the most recent
    await read("c"); // forgets b
    expect(real).toHaveBeenCalledTimes(3);
    await read("a");
    expect(real).toHaveBeenCalledTimes(3);
    await read("b");
    expect(real).toHaveBeenCalledTimes(4);
  });
});
