import { describe, expect, it } from "vitest";
import { NUL_MESSAGE } from "@/lib/text";
import { endpointCreateSchema, endpointUpdateSchema } from "./schema";

// The dashboard's endpoint form parses with these schemas directly, not through the API's
// parseWith, so they refuse NUL themselves: it used to reach the database and fail the action.
describe("endpoint schemas", () => {
  it("refuse a NUL in the URL, the description or the organization", () => {
    const parsed = endpointCreateSchema.safeParse({
      url: "https://example.com/\u0000",
      description: "hooks\u0000",
      organization_id: "org_\u0000",
    });
    expect(parsed.success).toBe(false);
    const issues = parsed.error?.issues.map((issue) => [issue.path.join("."), issue.message]);
    expect(issues).toEqual([
      ["url", NUL_MESSAGE],
      ["description", NUL_MESSAGE],
      ["organization_id", NUL_MESSAGE],
    ]);
    expect(endpointUpdateSchema.safeParse({ description: "a\u0000b" }).success).toBe(false);
  });

  it("keep accepting line breaks and tabs in a description", () => {
    const parsed = endpointUpdateSchema.safeParse({ description: "Billing\nteam\thooks" });
    expect(parsed.success).toBe(true);
  });
});
