"use client";

import { useId } from "react";
import { CustomRange } from "@/components/dashboard/custom-range";
import { Label } from "@/components/ui/label";
import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";

const ANY = "any";
// What a newly chosen custom range starts as, until the reader picks dates.
const CUSTOM_RANGE_START_MS = 24 * 60 * 60_000;

export type TimeRangeValue<Preset extends string> = {
  range: Preset | "custom" | null;
  from: Date | null;
  to: Date | null;
};

/**
 * A log's "Time range" filter: any time, one of the log's presets, or a custom from/to range
 * (whose pickers appear beside it). `onChange` gets the whole new value; a preset clears the
 * custom bounds.
 */
export function TimeRangeFilter<Preset extends string>({
  presets,
  value,
  onChange,
}: {
  presets: Record<Preset, { label: string }>;
  value: TimeRangeValue<Preset>;
  onChange: (value: TimeRangeValue<Preset>) => void;
}) {
  const id = useId();
  // A link may carry bounds without `range=custom`; they apply (timeBoundsOf), so show them.
  const range = value.range ?? (value.from || value.to ? "custom" : null);
  return (
    <>
      <div className="grid gap-1.5">
        <Label htmlFor={id}>Time range</Label>
        <NativeSelect
          id={id}
          className="w-44"
          value={range ?? ANY}
          onChange={(event) => {
            const chosen = event.target.value;
            const range = chosen === ANY ? null : (chosen as Preset | "custom");
            if (range === "custom") {
              const to = new Date();
              const from = new Date(to.getTime() - CUSTOM_RANGE_START_MS);
              onChange({ range, from: value.from ?? from, to: value.to ?? to });
            } else {
              onChange({ range, from: null, to: null });
            }
          }}
        >
          <NativeSelectOption value={ANY}>Any time</NativeSelectOption>
          {(Object.entries(presets) as [Preset, { label: string }][]).map(([key, preset]) => (
            <NativeSelectOption key={key} value={key}>
              {preset.label}
            </NativeSelectOption>
          ))}
          <NativeSelectOption value="custom">Custom range…</NativeSelectOption>
        </NativeSelect>
      </div>

      {range === "custom" ? (
        <CustomRange
          from={value.from}
          to={value.to}
          onApply={(from, to) => onChange({ range: "custom", from, to })}
        />
      ) : null}
    </>
  );
}
