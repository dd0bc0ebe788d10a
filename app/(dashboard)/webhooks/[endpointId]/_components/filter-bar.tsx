"use client";

import { useId } from "react";
import { deliveryStatusLabels } from "@/components/dashboard/delivery-status-badge";
import { FilterActions, useLogFilters } from "@/components/dashboard/log-filters";
import { StatusFilter } from "@/components/dashboard/status-filter";
import { TimeRangeFilter } from "@/components/dashboard/time-range-filter";
import { Label } from "@/components/ui/label";
import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";
import { deliveryStatuses } from "@/constants/webhooks";
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
        <NativeSelect
          id={ids.type}
          className="w-64"
          aria-describedby={eventTypeError ? ids.typeHelp : undefined}
          aria-invalid={eventTypeError ? true : undefined}
          value={params.type ?? ANY}
          onChange={(event) =>
            setFilters({ type: event.target.value === ANY ? null : event.target.value })
          }
        >
          <NativeSelectOption value={ANY}>All event types</NativeSelectOption>
          {eventTypes.map(({ type, description }) => (
            <NativeSelectOption key={type} value={type} title={description}>
              {type}
            </NativeSelectOption>
          ))}
          {params.type && !eventTypes.some(({ type }) => type === params.type) ? (
            <NativeSelectOption value={params.type}>{params.type}</NativeSelectOption>
          ) : null}
        </NativeSelect>
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
