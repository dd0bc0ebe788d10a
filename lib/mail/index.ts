import "server-only";
import { desc, sql } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import { mailOutbox, type OutboxMessage } from "@/db/schema";
import { db, type Executor } from "@/lib/db";
import { env } from "@/lib/env";
import { DomainError, ForbiddenError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import type { Scope } from "@/lib/organizations/scope";

/**
 * Outgoing mail. With GATEHOUSE_SMTP_URL set, mail goes to that SMTP server; without it (the
 * embedded default) it is kept in `mail_outbox` and printed to the server log, so a one-machine
 * install still lets people sign in by email code. Either way the message is recorded in
 * `mail_outbox` with its transport, so an operator can see what Gatehouse sent.
 */
export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  /**
   * A short summary printed with the log line when there is no SMTP server (for example
   * `code 123456`), so a developer can sign in from the terminal. Never printed for SMTP.
   */
  logHint?: string;
};

export type MailTransport = "smtp" | "outbox";

export type SentMail = { id: string; transport: MailTransport };

export type Mailer = {
  transport: MailTransport;
  send(message: MailMessage, tx?: Executor): Promise<SentMail>;
};

export class MailDeliveryError extends DomainError {
  constructor(message: string) {
    super("mail_delivery_failed", message);
  }
}

/** Sends with the configured transport (see `createMailer`). */
export function sendMail(message: MailMessage, tx: Executor = db): Promise<SentMail> {
  return defaultMailer().send(message, tx);
}

/**
 * Mail kept in the outbox, newest first; `to` matches case-insensitively. Every tenant's sign-in
 * codes are in it, so only operator-wide callers may read it.
 */
export async function listOutbox(
  scope: Scope,
  filter: { to?: string; limit?: number } = {},
  tx: Executor = db,
): Promise<OutboxMessage[]> {
  if (scope.kind !== "operator") throw new ForbiddenError("The outbox needs an operator-wide key");
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const query = tx.select().from(mailOutbox);
  const filtered = filter.to
    ? query.where(sql`lower(${mailOutbox.to}) = ${filter.to.trim().toLowerCase()}`)
    : query;
  return filtered.orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id)).limit(limit);
}

/** A mailer for an explicit configuration; `smtpUrl` undefined means the outbox only. */
export function createMailer(config: { smtpUrl?: string; from: string }): Mailer {
  const smtp = config.smtpUrl ? smtpTransport(config.smtpUrl) : null;
  const transport: MailTransport = smtp ? "smtp" : "outbox";
  return {
    transport,
    async send(message, tx = db) {
      if (smtp) {
        try {
          await smtp.sendMail({
            from: config.from,
            to: message.to,
            subject: message.subject,
            text: message.text,
          });
        } catch (error) {
          console.error(`[mail] to ${message.to} subject "${message.subject}" failed`, error);
          throw new MailDeliveryError(`The mail server refused the message: ${errorText(error)}`);
        }
      }
      const id = newId("msg");
      await tx.insert(mailOutbox).values({
        id,
        to: message.to,
        subject: message.subject,
        text: message.text,
        transport,
      });
      const hint = !smtp && message.logHint ? ` ${message.logHint}` : "";
      console.log(`[mail] to ${message.to} subject "${message.subject}" via ${transport}${hint}`);
      return { id, transport };
    },
  };
}

let configured: Mailer | undefined;

function defaultMailer(): Mailer {
  configured ??= createMailer({ smtpUrl: env.smtpUrl, from: env.smtpFrom });
  return configured;
}

function smtpTransport(url: string): Transporter {
  return nodemailer.createTransport(url, {
    // A sign-in waits on this: fail in seconds, not nodemailer's default two minutes.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
