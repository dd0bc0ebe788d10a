"use client";

import { useQueryStates } from "nuqs";
import { useId } from "react";
import { Label } from "@/components/ui/label";
import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";
import { type PageSize, pageSizes, pagingSearchParams } from "@/lib/dashboard/paging-search-params";

/** "Rows per page" of any dashboard log; it changes `limit` in the URL and nothing else. */
export function PageSizeSelect() {
  const id = useId();
  const [{ limit }, setParams] = useQueryStates(pagingSearchParams, {
    shallow: false,
    history: "push",
  });
  return (
    <div className="flex items-center gap-2">
      <Label htmlFor={id} className="font-normal text-muted-foreground">
        Rows per page
      </Label>
      <NativeSelect
        id={id}
        size="sm"
        className="w-20"
        value={String(limit)}
        // The cursor stays: the page still starts after the same row, it only shows more.
        onChange={(event) => setParams({ limit: Number(event.target.value) as PageSize })}
      >
        {pageSizes.map((size) => (
          <NativeSelectOption key={size} value={String(size)}>
            {size}
          </NativeSelectOption>
        ))}
      </NativeSelect>
    </div>
  );
}
