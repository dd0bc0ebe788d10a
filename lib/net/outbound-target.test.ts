import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { OutboundRequestError, sendOutboundRequest } from "./outbound-request";
import {
  isPrivateAddress,
  OutboundTargetError,
  parseOutboundUrl,
  resolveOutboundTarget,
  validateOutboundUrl,
} from "./outbound-target";

// DNS answers are scripted per host name; every other name goes to the real resolver.
const dnsAnswers = new Map<string, { address: string; family: number }[]>();
vi.mock("node:dns/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:dns/promises")>();
  const lookup = (hostname: string, options: object) => {
    const scripted = dnsAnswers.get(hostname);
    if (scripted) return Promise.resolve(scripted);
    return real.lookup(hostname, options as never);
  };
  return { ...real, default: { ...real, lookup }, lookup };
});

const strict = { allowPrivate: false };

describe("isPrivateAddress", () => {
  it.each([
    "127.0.0.1",
    "127.255.255.254",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "100.64.0.1",
    "169.254.169.254",
    "169.254.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "192.0.2.10",
    "::",
    "::1",
    "fe80::1",
    "fe80::1%eth0",
    "fc00::1",
    "fd00:ec2::254",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "::127.0.0.1",
    "64:ff9b::a9fe:a9fe",
    "2002:7f00:1::1",
    "2001:db8::1",
    "not-an-ip",
  ])("refuses %s", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "172.32.0.1",
    "100.128.0.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
  ])("allows %s", (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe("parseOutboundUrl", () => {
  it("requires https unless private targets are allowed", () => {
    expect(parseOutboundUrl("https://hooks.example.com/x", strict).hostname).toBe(
      "hooks.example.com",
    );
    expect(() => parseOutboundUrl("http://hooks.example.com/x", strict)).toThrow(/https/);
    expect(parseOutboundUrl("http://127.0.0.1:9/x", { allowPrivate: true }).protocol).toBe("http:");
    expect(() => parseOutboundUrl("ftp://example.com", { allowPrivate: true })).toThrow();
  });

  it("refuses literal private addresses in any spelling, localhost names and credentials", () => {
    for (const url of [
      "https://127.0.0.1/",
      "https://2130706433/",
      "https://0x7f.1/",
      "https://[::1]/",
      "https://[::ffff:127.0.0.1]/",
      "https://169.254.169.254/latest/meta-data/",
      "https://[fe80::1]/",
      "https://localhost/",
      "https://api.localhost/",
    ]) {
      expect(() => parseOutboundUrl(url, strict), url).toThrow(OutboundTargetError);
    }
    expect(() => parseOutboundUrl("https://user:pw@example.com/", strict)).toThrow(/password/);
    expect(() => parseOutboundUrl("not a url", strict)).toThrow(/full URL/);
  });
});

describe("resolveOutboundTarget", () => {
  it("checks every DNS answer, not only the first", async () => {
    dnsAnswers.set("mixed.test", [
      { address: "93.184.215.14", family: 4 },
      { address: "10.0.0.7", family: 4 },
    ]);
    await expect(resolveOutboundTarget("https://mixed.test/hook", strict)).rejects.toMatchObject({
      problem: "private_address",
    });
  });

  it("refuses names that resolve to metadata or mapped loopback addresses", async () => {
    dnsAnswers.set("metadata.test", [{ address: "169.254.169.254", family: 4 }]);
    dnsAnswers.set("mapped.test", [{ address: "::ffff:127.0.0.1", family: 6 }]);
    await expect(resolveOutboundTarget("https://metadata.test/", strict)).rejects.toThrow(
      OutboundTargetError,
    );
    await expect(resolveOutboundTarget("https://mapped.test/", strict)).rejects.toThrow(
      OutboundTargetError,
    );
  });

  it("returns the checked public address to connect to", async () => {
    dnsAnswers.set("public.test", [{ address: "93.184.215.14", family: 4 }]);
    const target = await resolveOutboundTarget("https://public.test/hook", strict);
    expect(target).toMatchObject({ hostname: "public.test", address: "93.184.215.14", family: 4 });
  });

  it("accepts unresolvable names at save time but refuses them at call time", async () => {
    const url = "https://does-not-exist.invalid/hook";
    expect((await validateOutboundUrl(url, strict)).hostname).toBe("does-not-exist.invalid");
    await expect(resolveOutboundTarget(url, strict)).rejects.toMatchObject({
      problem: "unresolvable",
    });
    dnsAnswers.set("internal.test", [{ address: "192.168.0.5", family: 4 }]);
    await expect(validateOutboundUrl("https://internal.test/", strict)).rejects.toMatchObject({
      problem: "private_address",
    });
  });
});

describe("sendOutboundRequest", () => {
  let server: Server;
  let port: number;
  const received: { host?: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        received.push({ host: request.headers.host, body });
        if (request.url === "/slow") {
          setTimeout(() => response.end("late"), 1_000);
          return;
        }
        response.writeHead(201, { "content-type": "application/json" });
        response.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it("connects to the checked address while keeping the host name", async () => {
    dnsAnswers.set("hooks.pinned.test", [{ address: "127.0.0.1", family: 4 }]);
    const response = await sendOutboundRequest({
      url: `http://hooks.pinned.test:${port}/hook`,
      body: '{"hello":1}',
      headers: { "content-type": "application/json" },
      timeoutMs: 2_000,
      policy: { allowPrivate: true },
    });
    expect(response).toMatchObject({ status: 201, body: '{"ok":true}' });
    expect(received.at(-1)).toEqual({ host: `hooks.pinned.test:${port}`, body: '{"hello":1}' });
  });

  it("times out and refuses private targets before connecting", async () => {
    await expect(
      sendOutboundRequest({
        url: `http://127.0.0.1:${port}/slow`,
        body: "{}",
        timeoutMs: 200,
        policy: { allowPrivate: true },
      }),
    ).rejects.toMatchObject({ kind: "timeout" });
    const before = received.length;
    const refused = sendOutboundRequest({
      url: `https://127.0.0.1:${port}/hook`,
      body: "{}",
      timeoutMs: 2_000,
      policy: strict,
    });
    await expect(refused).rejects.toBeInstanceOf(OutboundRequestError);
    await expect(refused).rejects.toMatchObject({ kind: "forbidden_target" });
    expect(received.length).toBe(before);
  });
});

describe("sendOutboundRequest connections", () => {
  let server: Server;
  let port: number;
  // Each request: the connection it came on (numbered), and the local address it reached.
  const seen: { connection: number; address: string }[] = [];
  let connections = 0;
  // Connections the server drops, unanswered, on their next request (a server that closed
  // them while the client kept them in its pool).
  const dropOnNextRequest = new Set<number>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      const connection = (request.socket as { number?: number }).number ?? 0;
      if (dropOnNextRequest.delete(connection)) {
        request.socket.destroy();
        return;
      }
      request.resume();
      request.on("end", () => {
        seen.push({ connection, address: request.socket.localAddress ?? "" });
        response.end("ok");
      });
    });
    server.on("connection", (socket) => {
      Object.assign(socket, { number: ++connections });
    });
    await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const post = (host: string) =>
    sendOutboundRequest({
      url: `http://${host}:${port}/hook`,
      body: "{}",
      timeoutMs: 2_000,
      policy: { allowPrivate: true },
    });

  it("keeps the connection for the next request to the same checked address", async () => {
    dnsAnswers.set("hooks.kept.test", [{ address: "127.0.0.1", family: 4 }]);
    const before = seen.length;
    for (let n = 0; n < 3; n++) expect((await post("hooks.kept.test")).status).toBe(200);
    const used = new Set(seen.slice(before).map((request) => request.connection));
    expect(used.size).toBe(1);
  });

  it("opens a new connection when the check approves another address", async () => {
    dnsAnswers.set("hooks.moved.test", [{ address: "127.0.0.1", family: 4 }]);
    await post("hooks.moved.test");
    dnsAnswers.set("hooks.moved.test", [{ address: "127.0.0.2", family: 4 }]);
    await post("hooks.moved.test");
    const [first, second] = seen.slice(-2);
    expect(first?.address).toBe("127.0.0.1");
    expect(second?.address).toBe("127.0.0.2");
    expect(second?.connection).not.toBe(first?.connection);
  });

  it("sends again on a new connection when a kept one was closed by the server", async () => {
    dnsAnswers.set("hooks.stale.test", [{ address: "127.0.0.1", family: 4 }]);
    await post("hooks.stale.test");
    const kept = seen.at(-1)?.connection as number;
    dropOnNextRequest.add(kept);
    const response = await post("hooks.stale.test");
    expect(response.status).toBe(200);
    expect(seen.at(-1)?.connection).not.toBe(kept);
  });
});
