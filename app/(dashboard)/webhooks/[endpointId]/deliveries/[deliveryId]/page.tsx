import { ArrowLeftIcon, ClockIcon } from "lucide-react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { CopyButton } from "@/components/dashboard/copy-button";
import { DeliveryStatusBadge } from "@/components/dashboard/delivery-status-badge";
import { Fact } from "@/components/dashboard/fact";
import { BackToList } from "@/components/dashboard/list-return";
import { LiveRefresh } from "@/components/dashboard/live-refresh";
import { LocalTime } from "@/components/dashboard/local-time";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Table, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { WebhookDeliveryAttempt } from "@/db/schema/webhooks";
import { requireDashboardScope } from "@/lib/dashboard/access";
import { NotFoundError } from "@/lib/errors";
import { LOGGED_RESPONSE_BYTES } from "@/lib/webhooks/delivery";
import { getDeliveryDetail } from "@/lib/webhooks/delivery-log";
import { ReplayButton } from "./_components/replay-button";

export const metadata: Metadata = { title: "Webhook delivery" };

/** While the delivery is on its way, the page re-renders itself this often. */
const LIVE_MS = 1_500;

/**
 * One delivery: what was sent (the exact payload and the signed headers), what came back, and
 * every attempt. Payloads, headers and response bodies come from outside (event data, the
 * receiver's answer): they are rendered as React text only, so markup in them is shown, never run.
 */
export default async function DeliveryDetailPage({
  params,
}: {
  params: Promise<{ endpointId: string; deliveryId: string }>;
}) {
  const { endpointId, deliveryId } = await params;
  const viewer = await requireDashboardScope(
    `/webhooks/${encodeURIComponent(endpointId)}/deliveries/${encodeURIComponent(deliveryId)}`,
  );
  const delivery = await getDeliveryDetail(viewer.scope, endpointId, deliveryId).catch(
    (error: unknown) => {
      // Missing, another tenant's, or another endpoint's: all look the same.
      if (error instanceof NotFoundError) notFound();
      throw error;
    },
  );
  const now = Date.now();
  const latest = delivery.attempts.at(-1) ?? null;
  const final = delivery.status === "success" || delivery.status === "failed";

  return (
    <div className="grid max-w-5xl grid-cols-[minmax(0,1fr)] gap-6">
      <div>
        <Button asChild variant="ghost" size="sm" className="-ml-2">
          <BackToList list={`/webhooks/${endpointId}`}>
            <ArrowLeftIcon aria-hidden="true" />
            Delivery logs
          </BackToList>
        </Button>
      </div>
      <header className="grid gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="font-mono text-2xl font-semibold tracking-tight">{delivery.eventType}</h1>
          <DeliveryStatusBadge status={delivery.status} />
          <div className="ml-auto">
            <ReplayButton
              deliveryId={delivery.id}
              status={delivery.status}
              attemptCount={delivery.attemptCount}
              lastResponseStatus={latest?.responseStatus ?? null}
            />
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <code className="rounded bg-muted px-2 py-1 text-xs">{delivery.id}</code>
          <CopyButton value={delivery.id} label="Copy delivery id" />
          <span className="truncate font-mono text-xs text-muted-foreground">
            to {delivery.endpoint.url}
          </span>
        </div>
      </header>

      {delivery.status === "retrying" && delivery.nextAttemptAt ? (
        <Alert>
          <ClockIcon aria-hidden="true" />
          <AlertTitle>
            Next attempt <LocalTime value={delivery.nextAttemptAt.toISOString()} now={now} />
          </AlertTitle>
          <AlertDescription>
            Attempt {delivery.attemptCount + 1} is scheduled for{" "}
            <LocalTime value={delivery.nextAttemptAt.toISOString()} now={now} mode="absolute" />.
          </AlertDescription>
        </Alert>
      ) : null}

      <Section id="request" title="Request">
        <dl className="grid gap-x-6 gap-y-4 sm:grid-cols-2 lg:grid-cols-3">
          <Fact term="Event id">
            <span className="font-mono">{delivery.event.id}</span>
          </Fact>
          <Fact term="Event type">
            <span className="font-mono">{delivery.event.type}</span>
          </Fact>
          <Fact term="Event timestamp">
            <LocalTime value={delivery.event.occurredAt.toISOString()} now={now} mode="absolute" />
          </Fact>
        </dl>
        <div className="grid gap-2">
          <h3 className="text-sm font-medium">
            Headers
            {latest ? (
              <span className="font-normal text-muted-foreground">
                {" "}
                of attempt {latest.attempt} (the timestamp and signature change per attempt)
              </span>
            ) : null}
          </h3>
          {latest ? (
            <HeaderList headers={latest.requestHeaders} testId="request-headers" />
          ) : (
            <p className="text-sm text-muted-foreground">Not sent yet.</p>
          )}
        </div>
        <div className="grid gap-2">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h3 className="text-sm font-medium">Payload</h3>
            {/* The exact bytes that were signed, not the pretty-printed view of them. */}
            <CopyButton value={delivery.event.body} label="Copy payload" />
          </div>
          <Code testId="payload">{prettyJson(delivery.event.body)}</Code>
        </div>
      </Section>

      <Section id="response" title="Response">
        {latest ? (
          <Response attempt={latest} />
        ) : (
          <p className="text-sm text-muted-foreground">No attempt has been made yet.</p>
        )}
      </Section>

      <Section id="attempts" title="Attempts">
        <Attempts attempts={delivery.attempts} now={now} />
      </Section>

      {final ? null : <LiveRefresh intervalMs={LIVE_MS} />}
    </div>
  );
}

function Response({ attempt }: { attempt: WebhookDeliveryAttempt }) {
  return (
    <>
      <dl className="grid gap-x-6 gap-y-4 sm:grid-cols-3">
        <Fact term="Status code">
          <span data-testid="response-status">{attempt.responseStatus ?? "No response"}</span>
        </Fact>
        <Fact term="Response time">{attempt.durationMs} ms</Fact>
        <Fact term="Attempt">{attempt.attempt}</Fact>
        {attempt.error ? (
          <Fact term="Error" wide>
            {attempt.error}
          </Fact>
        ) : null}
      </dl>
      <div className="grid gap-2">
        <h3 className="text-sm font-medium">Body</h3>
        {attempt.responseBody ? (
          <Code testId="response-body">{attempt.responseBody}</Code>
        ) : (
          <p className="text-sm text-muted-foreground">Empty.</p>
        )}
        {attempt.responseBodyTruncated ? (
          <p className="text-xs text-muted-foreground" data-testid="response-truncated">
            Truncated: only the first {LOGGED_RESPONSE_BYTES / 1024} KiB of the body were kept.
          </p>
        ) : null}
      </div>
      {attempt.responseHeaders ? (
        <details className="grid gap-2">
          <summary className="cursor-pointer text-sm font-medium">Response headers</summary>
          <HeaderList headers={attempt.responseHeaders} testId="response-headers" />
        </details>
      ) : null}
    </>
  );
}

function Attempts({ attempts, now }: { attempts: WebhookDeliveryAttempt[]; now: number }) {
  if (attempts.length === 0) {
    return <p className="text-sm text-muted-foreground">No attempt has been made yet.</p>;
  }
  return (
    <div className="rounded-lg border">
      <Table className="[&_td]:px-3 [&_td]:py-2 [&_td]:align-top [&_tbody_tr]:border-b [&_tbody_tr:last-child]:border-0 [&_td.num]:text-right [&_td.num]:tabular-nums [&_th.num]:text-right">
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead className="num">#</TableHead>
            <TableHead>Trigger</TableHead>
            <TableHead>Time</TableHead>
            <TableHead>Outcome</TableHead>
            <TableHead className="num">Status code</TableHead>
            <TableHead className="num">Latency</TableHead>
            <TableHead>Error</TableHead>
          </TableRow>
        </TableHeader>
        <tbody>
          {attempts.map((attempt) => {
            const succeeded = isSuccess(attempt);
            return (
              <tr
                key={attempt.attempt}
                data-attempt={attempt.attempt}
                data-outcome={succeeded ? "success" : "failure"}
              >
                <td className="num">{attempt.attempt}</td>
                <td>{attempt.trigger === "manual" ? "Manual (replay)" : "Scheduled"}</td>
                <td className="whitespace-nowrap tabular-nums">
                  <LocalTime value={attempt.startedAt.toISOString()} now={now} mode="absolute" />
                </td>
                <td className={succeeded ? "text-success" : "text-destructive"}>
                  {succeeded ? "Succeeded" : "Failed"}
                </td>
                <td className="num">{attempt.responseStatus ?? "—"}</td>
                <td className="num">{attempt.durationMs} ms</td>
                <td className="max-w-72 break-words text-muted-foreground">
                  {attempt.error ?? "—"}
                </td>
              </tr>
            );
          })}
        </tbody>
      </Table>
    </div>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`} className="grid gap-4 rounded-lg border p-4">
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

function HeaderList({ headers, testId }: { headers: Record<string, string>; testId: string }) {
  return (
    <dl
      className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1 rounded-md bg-muted p-3 font-mono text-xs"
      data-testid={testId}
    >
      {Object.entries(headers).map(([name, value]) => (
        <div key={name} className="contents" data-header={name}>
          <dt className="text-muted-foreground">{name}</dt>
          <dd className="break-all">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Code({ children, testId }: { children: string; testId: string }) {
  return (
    <pre
      className="max-h-96 overflow-auto whitespace-pre-wrap break-all rounded-md bg-muted p-3 font-mono text-xs"
      data-testid={testId}
    >
      {children}
    </pre>
  );
}

function isSuccess(attempt: WebhookDeliveryAttempt): boolean {
  const code = attempt.responseStatus;
  return code !== null && code >= 200 && code < 300;
}

/** The payload indented for reading; the stored text as is if it is not JSON. */
function prettyJson(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
