import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { operatorScope } from "@/lib/organizations/scope";
import { uniqueSuffix } from "@/tests/support/factories";
import { createMailer, listOutbox, MailDeliveryError } from "./index";

const from = "Gatehouse <no-reply@gatehouse.test>";

describe("mailer without SMTP", () => {
  it("keeps the message in the outbox and prints it with its hint", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const to = `Ada-${uniqueSuffix()}@Example.com`;
    const sent = await createMailer({ from }).send({
      to,
      subject: "Your sign-in code",
      text: "Your code is 123456",
      logHint: "code 123456",
    });
    expect(sent.transport).toBe("outbox");
    expect(log).toHaveBeenCalledWith(
      expect.stringMatching(/^\[mail\] to .+ subject .+ code 123456$/),
    );
    log.mockRestore();

    const [stored] = await listOutbox(operatorScope, { to: to.toLowerCase() });
    expect(stored).toMatchObject({
      id: sent.id,
      to,
      transport: "outbox",
      text: "Your code is 123456",
    });
  });

  it("lists newest first and honours the limit", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const mailer = createMailer({ from });
    const to = `grace-${uniqueSuffix()}@example.com`;
    for (const n of [1, 2, 3]) await mailer.send({ to, subject: `n${n}`, text: "x" });
    log.mockRestore();
    const listed = await listOutbox(operatorScope, { to, limit: 2 });
    expect(listed.map((message) => message.subject)).toEqual(["n3", "n2"]);
  });
});

describe("mailer with SMTP", () => {
  let server: SMTPServer;
  let port: number;
  const delivered: { from?: string; to: string[]; data: string }[] = [];

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith("reject")) {
          callback(new Error("550 no such mailbox"));
          return;
        }
        callback();
      },
      onData(stream, session, callback) {
        let data = "";
        stream.on("data", (chunk: Buffer) => {
          data += chunk.toString("utf8");
        });
        stream.on("end", () => {
          delivered.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            data,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("delivers to the SMTP server and records the message with transport smtp", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from });
    const to = `lin-${uniqueSuffix()}@example.com`;
    const sent = await mailer.send({
      to,
      subject: "Your sign-in code",
      text: "Your code is 654321",
      logHint: "code 654321",
    });
    expect(sent.transport).toBe("smtp");
    // The code is only printed when there is no real mail server.
    expect(log.mock.calls.flat().join(" ")).not.toContain("654321");
    log.mockRestore();

    const message = delivered.find((entry) => entry.to.includes(to));
    expect(message?.from).toBe("no-reply@gatehouse.test");
    expect(message?.data).toContain("Subject: Your sign-in code");
    expect(message?.data).toContain("Your code is 654321");
    const [stored] = await listOutbox(operatorScope, { to });
    expect(stored).toMatchObject({ id: sent.id, transport: "smtp" });
  });

  it("throws MailDeliveryError and records nothing when the server refuses", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from });
    const to = `reject-${uniqueSuffix()}@example.com`;
    await expect(mailer.send({ to, subject: "x", text: "y" })).rejects.toBeInstanceOf(
      MailDeliveryError,
    );
    error.mockRestore();
    expect(await listOutbox(operatorScope, { to })).toEqual([]);
  });
});
