import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres, { type Sql, type TransactionSql } from "postgres";
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

/** Where the database is: a PostgreSQL URL, or else an embedded PGlite folder (or `memory://`). */
export type DatabaseConfig = {
  url?: string;
  poolSize: number;
  embeddedDb: string;
};

/** Opens a connection: postgres.js for a URL, else embedded PGlite. Both queue until connected. */
export function openConnection(config: DatabaseConfig): Connection {
  if (config.url) {
    const sql = postgres(config.url, {
      max: config.poolSize,
      onnotice: () => {},
    });
    return {
      kind: "postgres",
      sql,
      db: drizzlePostgres(preparingClient(sql), { schema, casing: "snake_case" }),
    };
  }
  if (!config.embeddedDb.startsWith("memory://")) mkdirSync(config.embeddedDb, { recursive: true });
  return pgliteConnection(new PGlite(config.embeddedDb));
}

/** A connection over a PGlite the caller opened (tests start from a copy of a migrated one). */
export function pgliteConnection(pglite: PGlite): Connection {
  return { kind: "pglite", pglite, db: drizzlePglite(pglite, { schema, casing: "snake_case" }) };
}

export async function closeConnection(open: Connection): Promise<void> {
  if (open.kind === "postgres") await open.sql.end({ timeout: 5 });
  else await open.pglite.close();
}

/** Rows of `execute()`: postgres.js returns an array, PGlite an object with `rows`. */
export function rowsOf<Row>(result: unknown): Row[] {
  if (Array.isArray(result)) return result as Row[];
  return ((result as { rows?: Row[] }).rows ?? []) as Row[];
}

/**
 * Statements with at most this many parameters are prepared (named, once per connection).
 * drizzle asks postgres.js for unnamed statements, and postgres.js sends each unnamed statement
 * with parameters twice: a describe, a wait for the answer, then the execution. A prepared one
 * is a single message after its first use, and PostgreSQL parses and plans it once (see
 * bench/RESULTS.md for what that saves on the webhook path). The limit keeps the set of
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
