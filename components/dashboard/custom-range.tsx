"use client";

import { useEffect, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/**
 * Absolute bounds, edited in the reader's local time and stored as UTC instants. Both ends are
 * inclusive; the inputs have one-second steps, so "to" covers the whole of its last second.
 */
export function CustomRange({
  from,
  to,
  onApply,
}: {
  from: Date | null;
  to: Date | null;
  onApply: (from: Date | null, to: Date | null) => void;
}) {
  const fromId = useId();
  const toId = useId();
  const toErrorId = useId();
  // Local times differ between the server (UTC) and the browser, so the inputs render after mount.
  const [mounted, setMounted] = useState(false);
  const [draft, setDraft] = useState({ from: "", to: "" });
  // Keyed on the instants, not the Date objects: a re-render with equal bounds (a live page
  // refreshing itself) must not wipe what the reader is typing.
  const fromMs = from?.getTime() ?? null;
  const toMs = to?.getTime() ?? null;
  useEffect(() => {
    setDraft({
      from: fromMs === null ? "" : toLocalInput(new Date(fromMs)),
      to: toMs === null ? "" : toLocalInput(new Date(toMs)),
    });
    setMounted(true);
  }, [fromMs, toMs]);
  const invalid = Boolean(draft.from && draft.to && draft.from > draft.to);

  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        if (invalid) return;
        onApply(
          draft.from ? new Date(draft.from) : null,
          draft.to ? new Date(new Date(draft.to).getTime() + 999) : null,
        );
      }}
    >
      <div className="grid gap-1.5">
        <Label htmlFor={fromId}>From</Label>
        <Input
          id={fromId}
          type="datetime-local"
          step={1}
          className="w-52"
          disabled={!mounted}
          value={draft.from}
          onChange={(event) => setDraft({ ...draft, from: event.target.value })}
        />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor={toId}>To</Label>
        <Input
          id={toId}
          type="datetime-local"
          step={1}
          className="w-52"
          disabled={!mounted}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? toErrorId : undefined}
          value={draft.to}
          onChange={(event) => setDraft({ ...draft, to: event.target.value })}
        />
        {invalid ? (
          <p id={toErrorId} role="alert" className="text-xs text-destructive">
            To is before From
          </p>
        ) : null}
      </div>
      <Button type="submit" variant="secondary" disabled={!mounted || invalid}>
        Apply
      </Button>
    </form>
  );
}

/** `YYYY-MM-DDTHH:mm:ss` in the browser's time zone, as datetime-local inputs want. */
function toLocalInput(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
