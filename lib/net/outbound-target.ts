import "server-only";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors";

/**
 * Rules for URLs Gatehouse calls on someone else's behalf (interceptors, webhooks): HTTPS only,
 * and never an address inside the network Gatehouse runs in (loopback, private ranges,
 * link-local, the cloud metadata service at 169.254.169.254…), which would let whoever saves a
 * URL probe internal services (SSRF).
 *
 * Checked twice: when the URL is saved (fast feedback) and at call time, because DNS can change
 * in between. At call time the name is resolved once, every address is checked, and the
 * connection goes to a checked address, so a second, different DNS answer (rebinding) cannot
 * slip in between the check and the connect.
 *
 * `allowPrivate` (WEBHOOK_ALLOW_PRIVATE_TARGETS, on by default in development) lifts the address
 * rules and also allows plain `http:`, for receivers on localhost during development and tests.
 */
export type OutboundPolicy = { allowPrivate?: boolean };

export type OutboundTargetProblem =
  | "invalid_url"
  | "insecure_scheme"
  | "credentials_in_url"
  | "private_address"
  | "unresolvable";

export class OutboundTargetError extends DomainError {
  constructor(
    readonly problem: OutboundTargetProblem,
    message: string,
  ) {
    super("outbound_target_forbidden", message);
  }
}

/** A URL that passed the rules, with the address to connect to. */
export type OutboundTarget = {
  url: URL;
  /** Host name without IPv6 brackets, for the Host header, SNI and certificate checks. */
  hostname: string;
  address: string;
  family: 4 | 6;
};

/**
 * The checks that need no network: scheme, no user:password@, and a literal IP or a `localhost`
 * name must be public. Returns the parsed URL or throws OutboundTargetError.
 */
export function parseOutboundUrl(raw: string, policy: OutboundPolicy = {}): URL {
  const allowPrivate = policy.allowPrivate ?? env.allowPrivateTargets;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundTargetError(
      "invalid_url",
      "Enter a full URL such as https://example.com/hook",
    );
  }
  const schemeAllowed = url.protocol === "https:" || (allowPrivate && url.protocol === "http:");
  if (!schemeAllowed) {
    throw new OutboundTargetError("insecure_scheme", "The URL must start with https://");
  }
  if (url.username || url.password) {
    throw new OutboundTargetError(
      "credentials_in_url",
      "Put no user name or password in the URL; the request is signed instead",
    );
  }
  const hostname = bareHostname(url);
  if (!hostname) throw new OutboundTargetError("invalid_url", "The URL has no host");
  if (!allowPrivate) {
    if (isLocalhostName(hostname) || (isIP(hostname) && isPrivateAddress(hostname))) {
      throw privateAddressError(hostname);
    }
  }
  return url;
}

/**
 * Save-time check: `parseOutboundUrl`, then the name's current DNS answers. A name that does
 * not resolve yet is accepted (it may be created after the hook is saved); call time refuses it
 * until it resolves to public addresses.
 */
export async function validateOutboundUrl(raw: string, policy: OutboundPolicy = {}): Promise<URL> {
  const url = parseOutboundUrl(raw, policy);
  try {
    await resolveOutboundTarget(url.href, policy);
  } catch (error) {
    if (error instanceof OutboundTargetError && error.problem === "unresolvable") return url;
    throw error;
  }
  return url;
}

/** Call-time check: resolves the host once, checks every address, returns the one to use. */
export async function resolveOutboundTarget(
  raw: string,
  policy: OutboundPolicy = {},
): Promise<OutboundTarget> {
  const allowPrivate = policy.allowPrivate ?? env.allowPrivateTargets;
  const url = parseOutboundUrl(raw, policy);
  const hostname = bareHostname(url);
  const literal = isIP(hostname);
  const addresses = literal
    ? [{ address: hostname, family: literal as 4 | 6 }]
    : await resolveAll(hostname);
  if (!allowPrivate) {
    // Every answer is checked, not just the first: the client may use any of them.
    const blocked = addresses.find((entry) => isPrivateAddress(entry.address));
    if (blocked) throw privateAddressError(`${hostname} (${blocked.address})`);
  }
  const [chosen] = addresses;
  if (!chosen) throw new OutboundTargetError("unresolvable", `${hostname} has no address`);
  return { url, hostname, address: chosen.address, family: chosen.family };
}

/**
 * True for every address that is not publicly routable: loopback, RFC 1918 and CGNAT ranges,
 * link-local (which holds the 169.254.169.254 metadata service), multicast, documentation and
 * reserved ranges; IPv6 unique-local and link-local; and IPv6 forms that carry an IPv4 address
 * (mapped, compatible, NAT64, 6to4) when that IPv4 address is itself private. Unparseable input
 * counts as private.
 */
export function isPrivateAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) return isPrivateIPv4(parseIPv4(address));
  if (version === 6) return isPrivateIPv6(parseIPv6(address));
  return true;
}

// ---------------------------------------------------------------------------------------------

// [first octets, prefix length] of IPv4 ranges that are not public (RFC 6890 special-purpose).
const PRIVATE_IPV4: ReadonlyArray<readonly [number[], number]> = [
  [[0], 8], // "this network"
  [[10], 8], // RFC 1918
  [[100, 64], 10], // carrier-grade NAT (RFC 6598)
  [[127], 8], // loopback
  [[169, 254], 16], // link-local, incl. cloud metadata 169.254.169.254
  [[172, 16], 12], // RFC 1918
  [[192, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2], 24], // documentation
  [[192, 88, 99], 24], // 6to4 relay anycast
  [[192, 168], 16], // RFC 1918
  [[198, 18], 15], // benchmarking
  [[198, 51, 100], 24], // documentation
  [[203, 0, 113], 24], // documentation
  [[224], 4], // multicast
  [[240], 4], // reserved, incl. broadcast 255.255.255.255
];

function isPrivateIPv4(octets: number[]): boolean {
  return PRIVATE_IPV4.some(([prefix, bits]) => matchesPrefix(octets, prefix, bits));
}

function isPrivateIPv6(bytes: number[]): boolean {
  const embedded = embeddedIPv4(bytes);
  if (embedded) return isPrivateIPv4(embedded);
  // Only global unicast (2000::/3) is public; this rules out ::, ::1, ULA fc00::/7,
  // link-local fe80::/10, site-local fec0::/10, multicast ff00::/8 and discard 100::/64.
  if (!matchesPrefix(bytes, [0x20], 3)) return true;
  return (
    matchesPrefix(bytes, [0x20, 0x01, 0x00], 23) || // IETF protocol assignments, incl. Teredo
    matchesPrefix(bytes, [0x20, 0x01, 0x0d, 0xb8], 32) // documentation
  );
}

/** The IPv4 address inside mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 and 6to4 forms. */
function embeddedIPv4(bytes: number[]): number[] | null {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((byte) => byte === 0);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12);
  if (zeros(0, 12)) return bytes.slice(12); // compatible, and :: / ::1 (0.0.0.0 / 0.0.0.1)
  if (matchesPrefix(bytes, [0x00, 0x64, 0xff, 0x9b], 32) && zeros(4, 12)) return bytes.slice(12);
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6);
  return null;
}

function matchesPrefix(bytes: number[], prefix: number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit++) {
    const index = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((bytes[index] ?? 0) & mask) !== ((prefix[index] ?? 0) & mask)) return false;
  }
  return true;
}

function parseIPv4(address: string): number[] {
  return address.split(".").map(Number);
}

/** 16 bytes of an IPv6 address already validated by `isIP` (handles `::`, dotted tail, zone). */
function parseIPv6(address: string): number[] {
  let text = address.split("%")[0] ?? "";
  let tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    tail = parseIPv4(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}0:0`;
  }
  const [head = "", rest] = text.split("::");
  const toGroups = (part: string) =>
    part ? part.split(":").map((group) => parseInt(group, 16)) : [];
  const before = toGroups(head);
  const after = rest === undefined ? [] : toGroups(rest);
  const groups = [...before, ...new Array(8 - before.length - after.length).fill(0), ...after];
  const bytes = groups.flatMap((group) => [group >> 8, group & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function bareHostname(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "");
}

function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase();
  // RFC 6761: localhost and everything under it resolve to loopback.
  return name === "localhost" || name.endsWith(".localhost");
}

async function resolveAll(hostname: string): Promise<{ address: string; family: 4 | 6 }[]> {
  try {
    const answers = await lookup(hostname, { all: true, verbatim: true });
    return answers.map((answer) => ({ address: answer.address, family: answer.family as 4 | 6 }));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "lookup failed";
    throw new OutboundTargetError("unresolvable", `${hostname} could not be resolved (${code})`);
  }
}

function privateAddressError(what: string): OutboundTargetError {
  return new OutboundTargetError(
    "private_address",
    `${what} is a private, loopback or link-local address; use a public HTTPS URL`,
  );
}
