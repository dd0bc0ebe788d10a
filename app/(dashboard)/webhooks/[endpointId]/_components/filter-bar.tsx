"use client";

import { useId } from "react";
import { FilterActions, useLogFilters } from "@/components/dashboard/log-filters";
import { StatusFilter } from "@/components/dashboard/status-filter";
import { TimeRangeFilter } from "@/components/dashboard/time-range-filter";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { deliveryStatusLabels } from "@/components/webhooks/delivery-status-badge";
import { deliveryStatuses } from "@/db/schema/webhooks";
import { deliveryLogSearchParams, filterKeys, timeRangePresets } from "../search-params";

const ANY = "any";

/**
 * The delivery log's filters, held in the URL (see useLogFilters). Event types come from the
 * server (the catalog stays there).
 */
export function FilterBar({
  eventTypes,
  eventTypeError,
}: {
  eventTypes: { type: string; description: string }[];
  eventTypeError: string | null;
}) {
  const { params, setFilters, active, clear, isPending } = useLogFilters(
    deliveryLogSearchParams,
    filterKeys,
  );
  const ids = { type: useId(), typeHelp: useId() };

  return (
    <search aria-label="Filter deliveries" className="flex flex-wrap items-end gap-3">
      <TimeRangeFilter
        presets={timeRangePresets}
        value={params}
        onChange={(range) => setFilters(range)}
      />

      <div className="grid gap-1.5">
        <Label htmlFor={ids.type}>Event type</Label>
        <Select
          value={params.type ?? ANY}
          onValueChange={(value) => setFilters({ type: value === ANY ? null : value })}
        >
          <SelectTrigger
            id={ids.type}
            className="w-64"
            aria-describedby={eventTypeError ? ids.typeHelp : undefined}
            aria-invalid={eventTypeError ? true : undefined}
          >
            <SelectValue>{params.type ?? "All event types"}</SelectValue>
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
        onChange={(status) => setFilters({ status })}
      />

      <FilterActions active={active} onClear={clear} isPending={isPending} />
    </search>
  );
}
