import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres, { type Sql, type TransactionSql } from "postgres";
import { env } from "@/lib/env";
import * as schema from "./schema";

type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Transaction = PgTransaction<
  PgQueryResultHKT,
  Schema,
  ExtractTablesWithRelations<Schema>
>;
/** Either the database or an open transaction: data functions accept both. */
export type Executor = Database | Transaction;

export type Connection =
  | { kind: "postgres"; db: Database; sql: Sql }
  | { kind: "pglite"; db: Database; pglite: PGlite };

// One connection per process, kept on globalThis so Next's dev reloads do not open another:
// PGlite in particular must have exactly one owner of its data folder, and no pool.
const holder = globalThis as unknown as { __gatehouseDb?: Connection };

/** The connection, opened on first use: postgres.js for DATABASE_URL, else embedded PGlite. */
export function connection(): Connection {
  holder.__gatehouseDb ??= connect();
  return holder.__gatehouseDb;
}

/** The database. Both drivers queue queries until connected, so this is usable at once. */
export const db: Database = new Proxy({} as Database, {
  get(_target, property) {
    const target = connection().db;
    const value = Reflect.get(target, property);
    return typeof value === "function" ? value.bind(target) : value;
  },
});

/**
 * Makes `pglite` this process's database instead of opening one: for tests, which start each
 * file from a copy of one database migrated once (see tests/support/pglite-template.ts).
 */
export function adoptPglite(pglite: PGlite): void {
  if (holder.__gatehouseDb) throw new Error("A database connection is already open");
  holder.__gatehouseDb = {
    kind: "pglite",
    pglite,
    db: drizzlePglite(pglite, { schema, casing: "snake_case" }),
  };
}

/**
 * A statement built once per connection and then run with new values (`sql.placeholder`s). For
 * hot paths only: drizzle's builder costs more CPU than a small statement's round trip (about
 * 0.2 ms against 0.06 ms for a select by id), which a webhook delivery would pay several times.
 * Runs on the database, never inside a transaction.
 */
export function preparedStatement<Prepared>(
  name: string,
  build: (db: Database) => { prepare(name: string): Prepared },
): () => Prepared {
  // Per connection: tests and restarts open new ones, and a statement belongs to its own.
  const built = new WeakMap<Connection, Prepared>();
  return () => {
    const current = connection();
    let prepared = built.get(current);
    if (!prepared) {
      prepared = build(current.db).prepare(name);
      built.set(current, prepared);
    }
    return prepared;
  };
}

/** Rows of `execute()`: postgres.js returns an array, PGlite an object with `rows`. */
export function rowsOf<Row>(result: unknown): Row[] {
  if (Array.isArray(result)) return result as Row[];
  return ((result as { rows?: Row[] }).rows ?? []) as Row[];
}

export async function closeDatabase(): Promise<void> {
  const open = holder.__gatehouseDb;
  if (!open) return;
  holder.__gatehouseDb = undefined;
  if (open.kind === "postgres") await open.sql.end({ timeout: 5 });
  else await open.pglite.close();
}

function connect(): Connection {
  if (env.databaseUrl) {
    const sql = postgres(env.databaseUrl, {
      max: env.databasePoolSize,
      onnotice: () => {},
    });
    return {
      kind: "postgres",
      sql,
      db: drizzlePostgres(preparingClient(sql), { schema, casing: "snake_case" }),
    };
  }
  if (!env.embeddedDb.startsWith("memory://")) mkdirSync(env.embeddedDb, { recursive: true });
  const pglite = new PGlite(env.embeddedDb);
  return { kind: "pglite", pglite, db: drizzlePglite(pglite, { schema, casing: "snake_case" }) };
}

/**
 * Statements with at most this many parameters are prepared (named, once per connection).
 * drizzle asks postgres.js for unnamed statements, and postgres.js sends each unnamed statement
 * with parameters twice: a describe, a wait for the answer, then the execution. A prepared one
 * is a single message after its first use, and PostgreSQL parses and plans it once: measured on
 * the webhook path, a third less PostgreSQL CPU per delivery. The limit keeps the set of
 * statements per connection bounded by the code's query shapes: batches of many rows or long
 * `in (…)` lists, whose text differs with their length, stay unnamed. (Connections are also
 * replaced every 30 to 60 minutes, postgres.js's max_lifetime, which drops their statements.)
 */
export const PREPARED_MAX_PARAMETERS = 32;

/**
 * `sql` as drizzle should use it: every statement it runs, in transactions and savepoints too,
 * goes through `unsafe`, which here prepares the statements that PREPARED_MAX_PARAMETERS allows.
 */
function preparingClient<Client extends Sql | TransactionSql>(client: Client): Client {
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (typeof value !== "function") return value;
      if (property === "unsafe") {
        return (query: string, parameters: unknown[] = [], options: { prepare?: boolean } = {}) =>
          value.call(target, query, parameters, {
            ...options,
            prepare: options.prepare || parameters.length <= PREPARED_MAX_PARAMETERS,
          });
      }
      if (property === "begin" || property === "savepoint") {
        // The callback comes last (`begin(options?, fn)`); its client is wrapped the same way.
        return (...args: unknown[]) => {
          const callback = args.pop() as (client: TransactionSql) => unknown;
          return value.call(target, ...args, (inner: TransactionSql) =>
            callback(preparingClient(inner)),
          );
        };
      }
      return value.bind(target);
    },
  });
}
