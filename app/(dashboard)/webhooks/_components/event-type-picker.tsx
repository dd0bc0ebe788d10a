"use client";

import { useId, useState } from "react";
import { Checkbox } from "@/components/ui/checkbox";
import { FieldError } from "@/components/ui/field";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";
import type { EventTypeOption } from "./types";

/**
 * "All events" or a choice from the catalog, each type with what it means. Submits
 * `event_types_mode` and one `event_types` per checked type.
 */
export function EventTypePicker({
  catalog,
  initial,
  error,
}: {
  catalog: EventTypeOption[];
  /** Null: every type. */
  initial: string[] | null;
  error?: string;
}) {
  const [mode, setMode] = useState<"all" | "selected">(initial === null ? "all" : "selected");
  const [selected, setSelected] = useState(() => new Set(initial ?? []));
  const ids = { legend: useId(), error: useId(), list: useId() };
  // A type subscribed through the API that the catalog no longer has stays visible and kept.
  const options = [
    ...catalog,
    ...(initial ?? [])
      .filter((type) => !catalog.some((option) => option.type === type))
      .map((type) => ({ type, description: "No longer in the catalog." })),
  ];

  function toggle(type: string, checked: boolean) {
    setSelected((previous) => {
      const next = new Set(previous);
      if (checked) next.add(type);
      else next.delete(type);
      return next;
    });
  }

  return (
    <fieldset
      className="group/field grid gap-2"
      data-invalid={error ? true : undefined}
      aria-describedby={error ? ids.error : undefined}
    >
      <legend
        id={ids.legend}
        className="mb-2 text-sm font-medium leading-none group-data-[invalid=true]/field:text-destructive"
      >
        Event types
      </legend>
      <div className="grid gap-2 text-sm">
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name="event_types_mode"
            value="all"
            checked={mode === "all"}
            onChange={() => setMode("all")}
            className="size-4 accent-primary"
          />
          All events, including types added later
        </label>
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name="event_types_mode"
            value="selected"
            checked={mode === "selected"}
            onChange={() => setMode("selected")}
            aria-controls={ids.list}
            className="size-4 accent-primary"
          />
          Only the types selected below
        </label>
      </div>
      <ul
        id={ids.list}
        aria-label="Event types to send"
        className={cn(
          "grid max-h-64 gap-0 overflow-y-auto rounded-md border",
          mode === "all" && "opacity-60",
        )}
      >
        {options.map((option) => {
          const id = `event-type-${option.type}`;
          return (
            <li
              key={option.type}
              className="flex items-start gap-3 border-b px-3 py-2 last:border-0"
            >
              <Checkbox
                id={id}
                name="event_types"
                value={option.type}
                checked={mode === "all" || selected.has(option.type)}
                disabled={mode === "all"}
                onCheckedChange={(checked) => toggle(option.type, checked === true)}
                aria-describedby={`${id}-description`}
                className="mt-0.5"
              />
              <div className="grid gap-1">
                <Label htmlFor={id} className="font-mono text-xs">
                  {option.type}
                </Label>
                <p id={`${id}-description`} className="text-xs text-muted-foreground">
                  {withCode(option.description)}
                </p>
              </div>
            </li>
          );
        })}
      </ul>
      <FieldError id={ids.error}>{error}</FieldError>
    </fieldset>
  );
}

/** The catalog marks field names with backticks, as Markdown does; shown as code, as text. */
function withCode(text: string) {
  return text.split(/(`[^`]+`)/).map((part, index) =>
    part.startsWith("`") && part.endsWith("`") ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: a fixed split of a constant string
      <code key={index} className="rounded bg-muted px-1 font-mono">
        {part.slice(1, -1)}
      </code>
    ) : (
      part
    ),
  );
}
