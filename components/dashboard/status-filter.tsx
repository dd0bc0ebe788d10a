"use client";

import { ChevronDownIcon } from "lucide-react";
import { useId } from "react";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/label";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { cn } from "@/lib/utils";

/**
 * A log's "Status" filter: a labelled button that opens a checkbox per status. `onChange` gets
 * the chosen statuses in `statuses` order (so the URL does not depend on click order); none
 * chosen means any status.
 */
export function StatusFilter<Status extends string>({
  statuses,
  labels,
  selected,
  onChange,
}: {
  statuses: readonly Status[];
  labels: Record<Status, string>;
  selected: readonly Status[];
  onChange: (statuses: Status[]) => void;
}) {
  const labelId = useId();
  return (
    <div className="grid gap-1.5">
      <Label id={labelId}>Status</Label>
      <Popover>
        <PopoverTrigger asChild>
          <Button
            variant="outline"
            aria-labelledby={labelId}
            className="w-44 justify-between font-normal"
          >
            <span className={cn("truncate", selected.length === 0 && "text-muted-foreground")}>
              {selected.length === 0
                ? "Any status"
                : statuses
                    .filter((status) => selected.includes(status))
                    .map((status) => labels[status])
                    .join(", ")}
            </span>
            <ChevronDownIcon aria-hidden="true" className="opacity-50" />
          </Button>
        </PopoverTrigger>
        <PopoverContent className="w-52 p-2">
          <fieldset className="grid gap-1">
            <legend className="sr-only">Statuses to show</legend>
            {statuses.map((status) => {
              const id = `${labelId}-${status}`;
              return (
                <div
                  key={status}
                  className="flex items-center gap-2 rounded-sm px-2 py-1.5 hover:bg-accent"
                >
                  <Checkbox
                    id={id}
                    checked={selected.includes(status)}
                    onCheckedChange={(checked) => {
                      const next = checked
                        ? [...selected, status]
                        : selected.filter((item) => item !== status);
                      onChange(statuses.filter((item) => next.includes(item)));
                    }}
                  />
                  <Label htmlFor={id} className="flex-1 font-normal">
                    {labels[status]}
                  </Label>
                </div>
              );
            })}
          </fieldset>
        </PopoverContent>
      </Popover>
    </div>
  );
}
