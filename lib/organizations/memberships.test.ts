import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createTestOrganization, createTestUser } from "@/tests/support/factories";
import { listMemberships } from "./index";

describe("listMemberships", () => {
  it("reads the same memberships through the prepared statement and inside a transaction", async () => {
    const organization = await createTestOrganization();
    const { user } = await createTestUser({ organizationId: organization.id });
    const expected = [
      {
        organizationId: organization.id,
        role: "member",
        organizationName: organization.name,
        isOperator: false,
      },
    ];

    // Twice: the first call prepares the statement on this connection, the second reuses it.
    expect(await listMemberships(user.id)).toEqual(expected);
    expect(await listMemberships(user.id)).toEqual(expected);
    expect(await db.transaction((tx) => listMemberships(user.id, tx))).toEqual(expected);

    const { user: outsider } = await createTestUser();
    expect(await listMemberships(outsider.id)).toEqual([]);
  });
});
