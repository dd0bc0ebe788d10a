"use client";

import { debounce } from "nuqs";
import { useId } from "react";
import { statusLabels } from "@/components/dashboard/auth-status-badge";
import { FilterActions, useLogFilters } from "@/components/dashboard/log-filters";
import { StatusFilter } from "@/components/dashboard/status-filter";
import { TimeRangeFilter } from "@/components/dashboard/time-range-filter";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";
import { authStatuses } from "@/constants/auth-logs";
import { cn } from "@/lib/utils";
import { authLogSearchParams, filterKeys, timeRangePresets } from "../search-params";

const ANY = "any";

/** The Auth Logs filters, held in the URL (see useLogFilters). */
export function FilterBar({
  organizations,
  lockedOrganization,
  emailError,
}: {
  organizations: { id: string; name: string }[];
  /** Set for organization-scoped admins: the only organization they can pick. */
  lockedOrganization: { id: string; name: string } | null;
  emailError: string | null;
}) {
  const { params, setFilters, active, clear, isPending } = useLogFilters(
    authLogSearchParams,
    filterKeys,
  );
  const ids = { email: useId(), emailHelp: useId(), org: useId() };

  return (
    <search aria-label="Filter auth logs" className="flex flex-wrap items-end gap-3">
      <TimeRangeFilter
        presets={timeRangePresets}
        value={params}
        onChange={(range) => setFilters(range)}
      />

      <div className="grid gap-1.5">
        <Label htmlFor={ids.email}>Email</Label>
        <Input
          id={ids.email}
          type="search"
          className="w-56"
          placeholder="ada@example.com or ada*"
          autoComplete="off"
          spellCheck={false}
          aria-describedby={ids.emailHelp}
          aria-invalid={emailError ? true : undefined}
          value={params.email ?? ""}
          onChange={(event) =>
            setFilters(
              { email: event.target.value || null },
              { limitUrlUpdates: event.target.value ? debounce(350) : undefined },
            )
          }
          onKeyDown={(event) => {
            // Enter applies at once instead of waiting for the debounce.
            if (event.key === "Enter") setFilters({ email: event.currentTarget.value || null });
          }}
        />
        <p
          id={ids.emailHelp}
          className={cn("sr-only", emailError && "not-sr-only text-xs text-destructive")}
        >
          {emailError
            ? `Email ${emailError}`
            : "Exact match, any case; end with * to match a prefix."}
        </p>
      </div>

      <StatusFilter
        statuses={authStatuses}
        labels={statusLabels}
        selected={params.status}
        onChange={(status) => setFilters({ status })}
      />

      <div className="grid gap-1.5">
        <Label htmlFor={ids.org}>Organization</Label>
        {lockedOrganization ? (
          <NativeSelect id={ids.org} className="w-52" value={lockedOrganization.id} disabled>
            <NativeSelectOption value={lockedOrganization.id}>
              {lockedOrganization.name}
            </NativeSelectOption>
          </NativeSelect>
        ) : (
          <NativeSelect
            id={ids.org}
            className="w-52"
            value={params.org ?? ANY}
            onChange={(event) =>
              setFilters({ org: event.target.value === ANY ? null : event.target.value })
            }
          >
            <NativeSelectOption value={ANY}>All organizations</NativeSelectOption>
            {organizations.map((organization) => (
              <NativeSelectOption key={organization.id} value={organization.id}>
                {organization.name}
              </NativeSelectOption>
            ))}
            {params.org && !organizations.some((organization) => organization.id === params.org) ? (
              <NativeSelectOption value={params.org}>Unknown organization</NativeSelectOption>
            ) : null}
          </NativeSelect>
        )}
      </div>

      <FilterActions active={active} onClear={clear} isPending={isPending} />
    </search>
  );
}
