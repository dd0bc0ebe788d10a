"use client";

import { XIcon } from "lucide-react";
import { debounce, useQueryStates } from "nuqs";
import { useId, useTransition } from "react";
import { statusLabels } from "@/components/auth-logs/status-badge";
import { StatusFilter } from "@/components/dashboard/status-filter";
import { TimeRangeFilter } from "@/components/dashboard/time-range-filter";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { authStatuses } from "@/db/schema/auth-logs";
import { cn } from "@/lib/utils";
import { authLogSearchParams, timeRangePresets } from "../search-params";

const ANY = "any";

/**
 * The filters, all held in the URL (nuqs). `shallow: false` makes every change re-render the
 * server page with the new filters; `history: push` makes back/forward step through them.
 * Any filter change drops the cursor: a page position means nothing under other filters.
 */
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
  const [isPending, startTransition] = useTransition();
  const [params, setParams] = useQueryStates(authLogSearchParams, {
    shallow: false,
    history: "push",
    startTransition,
  });
  const ids = { email: useId(), emailHelp: useId(), org: useId() };
  const active =
    params.range !== null ||
    params.from !== null ||
    params.to !== null ||
    Boolean(params.email) ||
    params.status.length > 0 ||
    params.org !== null;

  return (
    <search aria-label="Filter auth logs" className="flex flex-wrap items-end gap-3">
      <TimeRangeFilter
        presets={timeRangePresets}
        value={params}
        onChange={(range) => setParams({ ...range, cursor: null })}
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
            setParams(
              { email: event.target.value || null, cursor: null },
              { limitUrlUpdates: event.target.value ? debounce(350) : undefined },
            )
          }
          onKeyDown={(event) => {
            // Enter applies at once instead of waiting for the debounce.
            if (event.key === "Enter")
              setParams({ email: event.currentTarget.value || null, cursor: null });
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
        onChange={(status) => setParams({ status, cursor: null })}
      />

      <div className="grid gap-1.5">
        <Label htmlFor={ids.org}>Organization</Label>
        {lockedOrganization ? (
          <Select value={lockedOrganization.id} disabled>
            <SelectTrigger id={ids.org} className="w-52">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={lockedOrganization.id}>{lockedOrganization.name}</SelectItem>
            </SelectContent>
          </Select>
        ) : (
          <Select
            value={params.org ?? ANY}
            onValueChange={(value) =>
              setParams({ org: value === ANY ? null : value, cursor: null })
            }
          >
            <SelectTrigger id={ids.org} className="w-52">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value={ANY}>All organizations</SelectItem>
              {organizations.map((organization) => (
                <SelectItem key={organization.id} value={organization.id}>
                  {organization.name}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        )}
      </div>

      <div className="flex h-9 items-center gap-2">
        {active ? (
          <Button
            variant="ghost"
            onClick={() =>
              setParams({
                range: null,
                from: null,
                to: null,
                email: null,
                status: null,
                org: null,
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
