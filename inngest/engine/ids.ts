import { createHash, randomBytes } from "node:crypto";

// ULIDs (48-bit millisecond time + 80 random bits, Crockford base32), the ids Inngest uses for
// events and runs: they sort by creation time as text.
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const ENTROPY_BITS = 80n;
const ENTROPY_MASK = (1n << ENTROPY_BITS) - 1n;

let lastTime = 0;
let lastEntropy = 0n;

/**
 * A ULID strictly greater than every one this process made before, even within one
 * millisecond: run ids double as the order runs wait in, so ties must not be random.
 */
export function monotonicUlid(now: number = Date.now()): string {
  if (now > lastTime) {
    lastTime = now;
    lastEntropy = randomEntropy();
  } else if (lastEntropy === ENTROPY_MASK) {
    lastTime += 1;
    lastEntropy = randomEntropy();
  } else {
    lastEntropy += 1n;
  }
  return encodeUlid(lastTime, lastEntropy);
}

/**
 * Event ids for one send. The SDK sends `x-inngest-event-id-seed: <ms>,<base64 of 10 bytes>`
 * and repeats the same seed when it retries a send, so ids derived from it make a retried
 * send land on the same rows instead of starting runs twice.
 */
export function eventIdsFromSeed(seed: string | undefined, count: number): string[] {
  const parsed = parseSeed(seed);
  if (!parsed) return Array.from({ length: count }, () => monotonicUlid());
  return Array.from({ length: count }, (_, index) =>
    encodeUlid(parsed.time, (parsed.entropy + BigInt(index)) & ENTROPY_MASK),
  );
}

/** A short stable digest, for ids derived from other values (cron slots). */
export function digest(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 32);
}

function parseSeed(seed: string | undefined): { time: number; entropy: bigint } | null {
  if (!seed) return null;
  const [millis, encoded] = seed.split(",");
  const time = Number(millis);
  if (!Number.isSafeInteger(time) || time < 0 || !encoded) return null;
  const bytes = Buffer.from(encoded, "base64");
  if (bytes.length === 0) return null;
  return { time, entropy: bytesToBigInt(bytes) & ENTROPY_MASK };
}

function randomEntropy(): bigint {
  // Keep the top bit clear so increments within one millisecond rarely reach the mask.
  return bytesToBigInt(randomBytes(10)) >> 1n;
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

function encodeUlid(time: number, entropy: bigint): string {
  let timePart = "";
  let rest = time;
  for (let i = 0; i < 10; i++) {
    timePart = CROCKFORD[rest % 32] + timePart;
    rest = Math.floor(rest / 32);
  }
  let randomPart = "";
  let bits = entropy;
  for (let i = 0; i < 16; i++) {
    randomPart = CROCKFORD[Number(bits & 31n)] + randomPart;
    bits >>= 5n;
  }
  return timePart + randomPart;
}
