// The small part of CEL (https://github.com/google/cel-spec) that function configs use for
// concurrency and throttle keys and trigger conditions:
//   event.data.user_id              paths, also event.data["a-b"] and event.data.items[0]
//   "ai" / 'ai', 42, true, null     literals
//   event.data.a + "-" + event.data.b
//   ==  !=  <  <=  >  >=  &&  ||  !  ( )
// Anything else is a syntax error at sync time, reported once, never guessed at.

export type Bindings = Record<string, unknown>;
export type CompiledExpression = (bindings: Bindings) => unknown;

export class ExpressionSyntaxError extends Error {
  override name = "ExpressionSyntaxError";
}

export function compileExpression(
  source: string,
  variables: readonly string[],
): CompiledExpression {
  const parser = new Parser(tokenize(source), source, variables);
  const compiled = parser.expression();
  parser.expectEnd();
  return compiled;
}

/** A key expression's value as a group name: strings as they are, the rest as JSON. */
export function keyString(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "";
  return JSON.stringify(value);
}

type Token =
  | { kind: "number"; value: number }
  | { kind: "string"; value: string }
  | { kind: "name"; value: string }
  | { kind: "op"; value: string };

const OPERATORS = [
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "<",
  ">",
  "!",
  "+",
  "-",
  "(",
  ")",
  "[",
  "]",
  ".",
];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  const fail = (why: string) =>
    new ExpressionSyntaxError(`${why} at position ${index} in "${source}"`);
  while (index < source.length) {
    const char = source[index] as string;
    if (/\s/.test(char)) {
      index++;
    } else if (char === '"' || char === "'") {
      let value = "";
      index++;
      while (index < source.length && source[index] !== char) {
        if (source[index] === "\\") index++;
        value += source[index] ?? "";
        index++;
      }
      if (index >= source.length) throw fail("Unterminated string");
      index++;
      tokens.push({ kind: "string", value });
    } else if (/\d/.test(char)) {
      const match = /^\d+(\.\d+)?/.exec(source.slice(index)) as RegExpExecArray;
      tokens.push({ kind: "number", value: Number(match[0]) });
      index += match[0].length;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(index)) as RegExpExecArray;
      tokens.push({ kind: "name", value: match[0] });
      index += match[0].length;
    } else {
      const operator = OPERATORS.find((candidate) => source.startsWith(candidate, index));
      if (!operator) throw fail(`Unexpected "${char}"`);
      tokens.push({ kind: "op", value: operator });
      index += operator.length;
    }
  }
  return tokens;
}

class Parser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
    private readonly variables: readonly string[],
  ) {}

  expression(): CompiledExpression {
    return this.binary(0);
  }

  expectEnd(): void {
    if (this.position < this.tokens.length) throw this.fail("Unexpected trailing input");
  }

  // Precedence climbing over the binary operators, loosest first.
  private static readonly LEVELS: string[][] = [
    ["||"],
    ["&&"],
    ["==", "!=", "<", "<=", ">", ">="],
    ["+", "-"],
  ];

  private binary(level: number): CompiledExpression {
    const operators = Parser.LEVELS[level];
    if (!operators) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const token = this.tokens[this.position];
      if (token?.kind !== "op" || !operators.includes(token.value)) return left;
      this.position++;
      const right = this.binary(level + 1);
      left = combine(token.value, left, right);
    }
  }

  private unary(): CompiledExpression {
    const token = this.tokens[this.position];
    if (token?.kind === "op" && token.value === "!") {
      this.position++;
      const operand = this.unary();
      return (bindings) => !operand(bindings);
    }
    if (token?.kind === "op" && token.value === "-") {
      this.position++;
      const operand = this.unary();
      return (bindings) => -Number(operand(bindings));
    }
    return this.primary();
  }

  private primary(): CompiledExpression {
    const token = this.tokens[this.position++];
    if (!token) throw this.fail("Unexpected end of expression");
    if (token.kind === "number" || token.kind === "string") {
      const value = token.value;
      return () => value;
    }
    if (token.kind === "op" && token.value === "(") {
      const inner = this.expression();
      this.expect(")");
      return inner;
    }
    if (token.kind === "name") {
      if (token.value === "true") return () => true;
      if (token.value === "false") return () => false;
      if (token.value === "null") return () => null;
      if (!this.variables.includes(token.value)) {
        throw this.fail(`Unknown name "${token.value}"`);
      }
      return this.path(token.value);
    }
    throw this.fail(`Unexpected "${token.value}"`);
  }

  private path(root: string): CompiledExpression {
    const segments: Array<string | number> = [];
    for (;;) {
      const token = this.tokens[this.position];
      if (token?.kind !== "op" || (token.value !== "." && token.value !== "[")) break;
      this.position++;
      const key = this.tokens[this.position++];
      if (token.value === ".") {
        if (key?.kind !== "name") throw this.fail("Expected a field name after '.'");
        segments.push(key.value);
      } else {
        if (key?.kind !== "string" && key?.kind !== "number") {
          throw this.fail("Expected a string or number index");
        }
        segments.push(key.value);
        this.expect("]");
      }
    }
    return (bindings) => {
      let value: unknown = bindings[root];
      for (const segment of segments) {
        if (value === null || typeof value !== "object") return undefined;
        value = (value as Record<string | number, unknown>)[segment];
      }
      return value;
    };
  }

  private expect(operator: string): void {
    const token = this.tokens[this.position++];
    if (token?.kind !== "op" || token.value !== operator) throw this.fail(`Expected "${operator}"`);
  }

  private fail(why: string): ExpressionSyntaxError {
    return new ExpressionSyntaxError(`${why} in "${this.source}"`);
  }
}

function combine(
  operator: string,
  left: CompiledExpression,
  right: CompiledExpression,
): CompiledExpression {
  switch (operator) {
    case "||":
      return (b) => Boolean(left(b)) || Boolean(right(b));
    case "&&":
      return (b) => Boolean(left(b)) && Boolean(right(b));
    case "==":
      return (b) => equal(left(b), right(b));
    case "!=":
      return (b) => !equal(left(b), right(b));
    case "<":
      return (b) => compare(left(b), right(b), (x) => x < 0);
    case "<=":
      return (b) => compare(left(b), right(b), (x) => x <= 0);
    case ">":
      return (b) => compare(left(b), right(b), (x) => x > 0);
    case ">=":
      return (b) => compare(left(b), right(b), (x) => x >= 0);
    case "+":
      return (b) => {
        const [x, y] = [left(b), right(b)];
        if (typeof x === "number" && typeof y === "number") return x + y;
        return keyString(x) + keyString(y);
      };
    default:
      return (b) => Number(left(b)) - Number(right(b));
  }
}

function equal(left: unknown, right: unknown): boolean {
  if (left === undefined) left = null;
  if (right === undefined) right = null;
  if (typeof left === "object" || typeof right === "object") {
    return JSON.stringify(left) === JSON.stringify(right);
  }
  return left === right;
}

function compare(left: unknown, right: unknown, test: (order: number) => boolean): boolean {
  if (typeof left === "number" && typeof right === "number") return test(left - right);
  if (typeof left === "string" && typeof right === "string") {
    return test(left < right ? -1 : left > right ? 1 : 0);
  }
  return false;
}
