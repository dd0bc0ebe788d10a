import { describe, expect, it } from "vitest";
import { z } from "zod";
import { plainIssueMessage } from "./issue-messages";

const messages = (schema: z.ZodType, input: unknown) =>
  Object.fromEntries(
    (schema.safeParse(input, { error: plainIssueMessage }).error?.issues ?? []).map((issue) => [
      issue.path.join("."),
      issue.message,
    ]),
  );

describe("plainIssueMessage", () => {
  it("words zod's issues the way the schemas word their own", () => {
    const schema = z.strictObject({
      name: z.string().max(200),
      slug: z.string().min(1),
      code: z.string().min(6),
      tags: z.array(z.string()).max(1),
      limit: z.coerce.number().int().min(1),
      rate: z.number().gt(0),
      enabled: z.boolean(),
      kind: z.enum(["public", "confidential"]),
      email: z.email(),
      required: z.string(),
    });
    expect(
      messages(schema, {
        name: "x".repeat(201),
        slug: "",
        code: "12",
        tags: ["a", "b"],
        limit: "abc",
        rate: 0,
        enabled: "yes",
        kind: "secret",
        email: "nope",
      }),
    ).toEqual({
      name: "must be at most 200 characters",
      slug: "must not be empty",
      code: "must be at least 6 characters",
      tags: "must have at most 1 item",
      limit: "must be a number",
      rate: "must be more than 0",
      enabled: "must be true or false",
      kind: 'must be one of "public", "confidential"',
      email: "must be an email address",
      required: "is required",
    });
  });

  it("says what a union accepts when its first option only refused the value", () => {
    const status = z.enum(["queued", "failed"]);
    const oneOrMany = z.union([status, z.array(status)]);
    expect(messages(z.object({ status: oneOrMany }), { status: "bogus" })).toEqual({
      status: 'must be one of "queued", "failed"',
    });
    const shapes = z.union([z.object({ a: z.string() }), z.object({ b: z.number() })]);
    expect(messages(z.object({ value: shapes }), { value: { c: true } })).toEqual({
      value: "is not any of the accepted forms",
    });
  });

  it("leaves a schema's own message alone", () => {
    expect(
      messages(z.object({ name: z.string().max(3, "Keep it short") }), { name: "long" }),
    ).toEqual({
      name: "Keep it short",
    });
  });
});
