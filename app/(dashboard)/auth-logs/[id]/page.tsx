import { ArrowLeftIcon, CircleAlertIcon, LightbulbIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { StatusBadge } from "@/components/dashboard/auth-status-badge";
import { CopyButton } from "@/components/dashboard/copy-button";
import { Fact } from "@/components/dashboard/fact";
import { BackToList } from "@/components/dashboard/list-return";
import { LocalTime } from "@/components/dashboard/local-time";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { type AuthLogDetail, getAuthLogDetail } from "@/lib/auth-logs/detail";
import { requireDashboardScope } from "@/lib/dashboard/access";
import { env } from "@/lib/env";
import { NotFoundError } from "@/lib/errors";
import { methodLabels } from "../_components/auth-log-rows";

export const metadata: Metadata = { title: "Auth log entry" };

export default async function AuthLogDetailPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const viewer = await requireDashboardScope(`/auth-logs/${encodeURIComponent(id)}`);
  const entry = await getAuthLogDetail(viewer.scope, id).catch((error: unknown) => {
    // Missing and another tenant's entry look the same: the id reveals nothing.
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const now = Date.now();
  const shareLink = `${env.issuer}/auth-logs/${entry.id}`;

  return (
    <div className="grid max-w-5xl grid-cols-[minmax(0,1fr)] gap-6">
      <div>
        <Button asChild variant="ghost" size="sm" className="-ml-2">
          <BackToList list="/auth-logs">
            <ArrowLeftIcon aria-hidden="true" />
            Auth Logs
          </BackToList>
        </Button>
      </div>
      <header className="grid gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">
            {entry.email ?? "Unidentified user"}
          </h1>
          <StatusBadge status={entry.status} />
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <code className="rounded bg-muted px-2 py-1 text-xs">{entry.id}</code>
          <CopyButton value={entry.id} label="Copy request id" />
          <CopyButton value={shareLink} label="Copy share link" />
        </div>
      </header>

      {entry.failure ? <FailureCallout failure={entry.failure} /> : null}

      <section aria-labelledby="overview-title" className="rounded-lg border">
        <h2 id="overview-title" className="sr-only">
          Overview
        </h2>
        <dl className="grid gap-x-6 gap-y-4 p-4 sm:grid-cols-2 lg:grid-cols-3">
          <Fact term="User">
            {entry.userName ? `${entry.userName} · ` : ""}
            {entry.email ?? "Not identified"}
          </Fact>
          <Fact term="Organization">{entry.organizationName ?? entry.organizationId ?? "—"}</Fact>
          <Fact term="Application">
            {entry.clientName ?? "Unregistered client"}
            {entry.clientId ? (
              <span className="block text-xs text-muted-foreground">{entry.clientId}</span>
            ) : null}
          </Fact>
          <Fact term="Method">{entry.authMethod ? methodLabels[entry.authMethod] : "—"}</Fact>
          <Fact term="Connection">{entry.connection ?? "—"}</Fact>
          <Fact term="IP address">{entry.ip ?? "—"}</Fact>
          <Fact term="Started">
            <LocalTime value={entry.createdAt.toISOString()} now={now} mode="absolute" />
          </Fact>
          <Fact term="Ended">
            {entry.completedAt ? (
              <LocalTime value={entry.completedAt.toISOString()} now={now} mode="absolute" />
            ) : (
              "Still open"
            )}
          </Fact>
          <Fact term="Duration">
            {entry.durationMs === null ? "—" : formatDuration(entry.durationMs)}
          </Fact>
          <Fact term="User agent" wide>
            {entry.userAgent ?? "—"}
          </Fact>
          <Fact term="Redirect URI" wide>
            {entry.redirectUri ?? "—"}
          </Fact>
          <Fact term="Scope">{entry.scope ?? "—"}</Fact>
          {entry.retryOf ? (
            <Fact term="Retry of">
              <Link className="underline underline-offset-4" href={`/auth-logs/${entry.retryOf}`}>
                {entry.retryOf}
              </Link>
            </Fact>
          ) : null}
        </dl>
      </section>

      <Timeline entry={entry} now={now} />
    </div>
  );
}

function FailureCallout({ failure }: { failure: NonNullable<AuthLogDetail["failure"]> }) {
  return (
    <Alert variant="destructive">
      <CircleAlertIcon aria-hidden="true" />
      <AlertTitle>
        Failed: <code>{failure.code}</code>
      </AlertTitle>
      <AlertDescription>
        <p>{failure.description}</p>
        {failure.specifics ? <p className="text-foreground">{failure.specifics}</p> : null}
        <p className="flex items-start gap-1.5 text-muted-foreground">
          <LightbulbIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <span>
            <span className="sr-only">What to check: </span>
            {failure.hint}
          </span>
        </p>
      </AlertDescription>
    </Alert>
  );
}

function Timeline({ entry, now }: { entry: AuthLogDetail; now: number }) {
  const start = entry.events[0]?.createdAt.getTime() ?? entry.createdAt.getTime();
  return (
    <section aria-labelledby="timeline-title" className="grid gap-3">
      <h2 id="timeline-title" className="text-lg font-semibold">
        Timeline
      </h2>
      <ol className="grid gap-0 border-l pl-5">
        {entry.events.map((event, index) => {
          const details = Object.entries(event.detail ?? {});
          return (
            <li
              // Events have no id of their own on the read side; their order is their identity.
              // biome-ignore lint/suspicious/noArrayIndexKey: the list never reorders.
              key={index}
              className="relative grid gap-1 pb-5 last:pb-0"
              data-event-type={event.type}
            >
              <span
                aria-hidden="true"
                className="absolute top-1.5 -left-[25px] size-2.5 rounded-full border-2 border-background bg-muted-foreground"
              />
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-mono text-sm font-medium">{event.type}</span>
                {event.status ? <StatusBadge status={event.status} /> : null}
                <span className="text-xs text-muted-foreground tabular-nums">
                  <LocalTime value={event.createdAt.toISOString()} now={now} mode="absolute" />
                  {index > 0 ? ` · +${formatDuration(event.createdAt.getTime() - start)}` : null}
                </span>
              </div>
              {details.length > 0 ? (
                <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5 text-xs">
                  {details.map(([key, value]) => (
                    <div key={key} className="contents">
                      <dt className="text-muted-foreground">{key}</dt>
                      <dd className="break-all font-mono">{formatValue(value)}</dd>
                    </div>
                  ))}
                </dl>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${seconds} s`;
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
