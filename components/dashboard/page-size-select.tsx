"use client";

import { useQueryStates } from "nuqs";
import { useId } from "react";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
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
      <Select
        value={String(limit)}
        // The cursor stays: the page still starts after the same row, it only shows more.
        onValueChange={(value) => setParams({ limit: Number(value) as PageSize })}
      >
        <SelectTrigger id={id} size="sm" className="w-20">
          {/* The value as text, so the server's HTML shows it before the select hydrates. */}
          <SelectValue>{limit}</SelectValue>
        </SelectTrigger>
        <SelectContent>
          {pageSizes.map((size) => (
            <SelectItem key={size} value={String(size)}>
              {size}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}
