"use client";

import { XIcon } from "lucide-react";
import { useQueryStates } from "nuqs";
import { useId, useTransition } from "react";
import { StatusFilter } from "@/components/dashboard/status-filter";
import { TimeRangeFilter } from "@/components/dashboard/time-range-filter";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { deliveryStatusLabels } from "@/components/webhooks/delivery-status-badge";
import { deliveryStatuses } from "@/db/schema/webhooks";
import { deliveryLogSearchParams, timeRangePresets } from "../search-params";

const ANY = "any";

/**
 * The delivery log's filters, all held in the URL (nuqs). `shallow: false` makes every change
 * re-render the server page with the new filters; `history: push` makes back/forward step
 * through them. Any filter change drops the cursor: a page position means nothing under other
 * filters. Event types come from the server (the catalog stays there).
 */
export function FilterBar({
  eventTypes,
  eventTypeError,
}: {
  eventTypes: { type: string; description: string }[];
  eventTypeError: string | null;
}) {
  const [isPending, startTransition] = useTransition();
  const [params, setParams] = useQueryStates(deliveryLogSearchParams, {
    shallow: false,
    history: "push",
    startTransition,
  });
  const ids = { type: useId(), typeHelp: useId(), status: useId() };
  const active =
    params.range !== null ||
    params.from !== null ||
    params.to !== null ||
    params.type !== null ||
    params.status.length > 0;

  return (
    <search aria-label="Filter deliveries" className="flex flex-wrap items-end gap-3">
      <TimeRangeFilter
        presets={timeRangePresets}
        value={params}
        onChange={(range) => setParams({ ...range, cursor: null })}
      />

      <div className="grid gap-1.5">
        <Label htmlFor={ids.type}>Event type</Label>
        <Select
          value={params.type ?? ANY}
          onValueChange={(value) => setParams({ type: value === ANY ? null : value, cursor: null })}
        >
          <SelectTrigger
            id={ids.type}
            className="w-64"
            aria-describedby={eventTypeError ? ids.typeHelp : undefined}
            aria-invalid={eventTypeError ? true : undefined}
          >
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ANY}>All event types</SelectItem>
            {eventTypes.map(({ type, description }) => (
              <SelectItem key={type} value={type} title={description}>
                {type}
              </SelectItem>
            ))}
            {params.type && !eventTypes.some(({ type }) => type === params.type) ? (
              <SelectItem value={params.type}>{params.type}</SelectItem>
            ) : null}
          </SelectContent>
        </Select>
        {eventTypeError ? (
          <p id={ids.typeHelp} className="text-xs text-destructive">
            {eventTypeError}
          </p>
        ) : null}
      </div>

      <StatusFilter
        statuses={deliveryStatuses}
        labels={deliveryStatusLabels}
        selected={params.status}
        onChange={(status) => setParams({ status, cursor: null })}
      />

      <div className="flex h-9 items-center gap-2">
        {active ? (
          <Button
            variant="ghost"
            onClick={() =>
              setParams({
                range: null,
                from: null,
                to: null,
                type: null,
                status: null,
                cursor: null,
              })
            }
          >
            <XIcon aria-hidden="true" />
            Clear filters
          </Button>
        ) : null}
        {isPending ? <Spinner aria-label="Updating results" /> : null}
      </div>
    </search>
  );
}
