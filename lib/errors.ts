/** Domain errors; each surface (OAuth, API, UI) maps them to its own format at the edge. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super("not_found", `${what} was not found`);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = "You are not allowed to do that") {
    super("forbidden", message);
  }
}

export class ConflictError extends DomainError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super("conflict", message);
  }
}

/** Input that parsed but breaks a rule; `fields` maps a field name to what is wrong with it. */
export class ValidationError extends DomainError {
  constructor(readonly fields: Record<string, string>) {
    super("validation_failed", Object.values(fields).join("; "));
  }
}
