import { describe, expect, it } from "vitest";
import * as outboxRoute from "@/app/api/v1/outbox/route";
import { createMailer } from "@/lib/mail";
import { createTestOrganization, uniqueSuffix } from "@/tests/support/factories";
import { call, fields, operatorKey, organizationKey } from "./support";

describe("GET /api/v1/outbox", () => {
  it("lists kept mail for one address, newest first, to an operator-wide key", async () => {
    const mailer = createMailer({ from: "Gatehouse <no-reply@gatehouse.test>" });
    const to = `reader-${uniqueSuffix()}@example.com`;
    await mailer.send({ to, subject: "Your code", text: "111111" });
    await mailer.send({ to, subject: "Your code", text: "222222" });
    await mailer.send({
      to: `someone-else-${uniqueSuffix()}@example.com`,
      subject: "x",
      text: "x",
    });

    const response = await call(outboxRoute.GET, {
      path: `/api/v1/outbox?to=${encodeURIComponent(to.toUpperCase())}`,
      key: await operatorKey(),
    });
    expect(response.status).toBe(200);
    expect(response.body.data.map((message: { text: string }) => message.text)).toEqual([
      "222222",
      "111111",
    ]);
    expect(response.body.data[0]).toEqual({
      id: expect.stringMatching(/^msg_/),
      to,
      subject: "Your code",
      text: "222222",
      transport: "outbox",
      created_at: expect.any(String),
    });
  });

  it("refuses organization-scoped keys and bad limits", async () => {
    const organization = await createTestOrganization();
    const scoped = await call(outboxRoute.GET, {
      path: "/api/v1/outbox",
      key: await organizationKey(organization.id),
    });
    expect(scoped.status).toBe(403);
    const limit = await call(outboxRoute.GET, {
      path: "/api/v1/outbox?limit=1000",
      key: await operatorKey(),
    });
    expect(fields(limit)).toEqual(["limit"]);
  });
});
