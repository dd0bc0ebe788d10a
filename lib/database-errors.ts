/** PostgreSQL SQLSTATEs the application answers rather than reports as bugs. */
export const UNIQUE_VIOLATION = "23505";
export const FOREIGN_KEY_VIOLATION = "23503";

export type ConstraintViolation = { code: string; constraint: string | undefined };

/**
 * The SQLSTATE and constraint name of a unique or foreign-key violation, or undefined for any
 * other error. drizzle wraps driver errors (walk the cause chain); postgres.js names the
 * constraint `constraint_name`, PGlite `constraint`.
 */
export function constraintViolation(error: unknown): ConstraintViolation | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as {
      code?: unknown;
      constraint_name?: unknown;
      constraint?: unknown;
      cause?: unknown;
    };
    if (candidate.code === UNIQUE_VIOLATION || candidate.code === FOREIGN_KEY_VIOLATION) {
      const constraint = candidate.constraint_name ?? candidate.constraint;
      return {
        code: candidate.code,
        constraint: typeof constraint === "string" ? constraint : undefined,
      };
    }
    current = candidate.cause;
  }
  return undefined;
}
