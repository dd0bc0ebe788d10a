"use client";

import { type FormEvent, startTransition, useActionState, useEffect, useId, useRef } from "react";
import { toast } from "sonner";
import { FormAlert } from "@/components/forms/form-alert";
import { SubmitButton } from "@/components/forms/submit-button";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Field, FieldDescription, FieldError, FieldLabel } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectSeparator,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { ActionResult } from "@/lib/dashboard/action";
import { createWebhookEndpoint, updateWebhookEndpoint } from "../actions";
import { useEndpointsPage } from "./endpoints-context";
import { EventTypePicker } from "./event-type-picker";
import { SecretField } from "./secret-field";
import type { EndpointSummary } from "./types";

/** What the form's action answers: the endpoint saved (with its secret when just created). */
type EndpointFormState = ActionResult<{ endpointId: string; secret?: string }>;

/** The organization picker's value for an operator endpoint (see actions.ts). */
const OPERATOR_ENDPOINT = "operator";

/**
 * Adds an endpoint (no `endpoint`) or edits one. The form is rendered inside the dialog's
 * content, so each opening starts from the endpoint as it is now, with no stale messages.
 */
export function EndpointFormDialog({
  open,
  onOpenChange,
  endpoint,
  onCloseAutoFocus,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  endpoint?: EndpointSummary;
  onCloseAutoFocus?: (event: Event) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-2xl" onCloseAutoFocus={onCloseAutoFocus}>
        <EndpointForm endpoint={endpoint} onDone={() => onOpenChange(false)} />
      </DialogContent>
    </Dialog>
  );
}

function EndpointForm({ endpoint, onDone }: { endpoint?: EndpointSummary; onDone: () => void }) {
  const { eventTypes, organizations, lockedOrganization } = useEndpointsPage();
  const save: (state: EndpointFormState | null, formData: FormData) => Promise<EndpointFormState> =
    endpoint ? updateWebhookEndpoint : createWebhookEndpoint;
  const [state, formAction, pending] = useActionState(save, null);
  const ids = {
    url: useId(),
    urlHelp: useId(),
    urlError: useId(),
    description: useId(),
    descriptionError: useId(),
    organization: useId(),
    organizationError: useId(),
    rate: useId(),
    rateHelp: useId(),
    rateError: useId(),
    formError: useId(),
  };
  const errors: Record<string, string | undefined> =
    (state?.ok === false && state.fieldErrors) || {};
  const describedBy = (...list: (string | false | undefined)[]) =>
    list.filter(Boolean).join(" ") || undefined;

  // Each saved state closes the dialog once, however often the form re-renders meanwhile.
  const handled = useRef<EndpointFormState | null>(null);
  useEffect(() => {
    if (!state?.ok || state.secret || handled.current === state) return;
    handled.current = state;
    toast.success("Endpoint saved");
    onDone();
  }, [state, onDone]);

  // Submitted by hand rather than through `action`, so React does not reset the fields when a
  // submission comes back with errors to fix.
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => formAction(data));
  }

  if (state?.ok && state.secret) {
    return <CreatedEndpoint secret={state.secret} onDone={onDone} />;
  }

  // Fixed when editing, and for an organization's admin; operators pick when adding.
  const organizationName = endpoint ? endpoint.organizationName : lockedOrganization?.name;

  return (
    <form onSubmit={submit} noValidate className="grid gap-5">
      <DialogHeader>
        <DialogTitle>{endpoint ? "Edit endpoint" : "Add endpoint"}</DialogTitle>
        <DialogDescription>
          Gatehouse sends each event as a signed POST request (Standard Webhooks) to this URL, and
          retries with backoff until it answers with a 2xx status.
        </DialogDescription>
      </DialogHeader>
      {endpoint ? <input type="hidden" name="endpoint_id" value={endpoint.id} /> : null}
      <FormAlert id={ids.formError} message={state?.ok === false ? state.error : undefined} />

      <Field invalid={Boolean(errors.url)}>
        <FieldLabel htmlFor={ids.url}>URL</FieldLabel>
        <Input
          id={ids.url}
          name="url"
          type="url"
          inputMode="url"
          autoComplete="off"
          placeholder="https://example.com/webhooks/gatehouse"
          defaultValue={endpoint?.url}
          autoFocus
          required
          aria-invalid={errors.url ? true : undefined}
          aria-describedby={describedBy(ids.urlHelp, errors.url && ids.urlError)}
        />
        <FieldDescription id={ids.urlHelp}>
          HTTPS, on a public address: Gatehouse does not call into private networks.
        </FieldDescription>
        <FieldError id={ids.urlError}>{errors.url}</FieldError>
      </Field>

      <Field invalid={Boolean(errors.description)}>
        <FieldLabel htmlFor={ids.description}>Description (optional)</FieldLabel>
        <Textarea
          id={ids.description}
          name="description"
          rows={2}
          maxLength={500}
          defaultValue={endpoint?.description ?? ""}
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={describedBy(errors.description && ids.descriptionError)}
        />
        <FieldError id={ids.descriptionError}>{errors.description}</FieldError>
      </Field>

      <Field invalid={Boolean(errors.organization_id)}>
        <FieldLabel htmlFor={ids.organization}>Organization</FieldLabel>
        {organizationName !== undefined ? (
          <>
            <Input id={ids.organization} value={organizationName} readOnly />
            {endpoint ? (
              <FieldDescription>
                An endpoint stays with the organization it was made for.
              </FieldDescription>
            ) : null}
          </>
        ) : (
          <>
            <Select name="organization_id" defaultValue={OPERATOR_ENDPOINT}>
              <SelectTrigger
                id={ids.organization}
                className="w-full"
                aria-invalid={errors.organization_id ? true : undefined}
                aria-describedby={describedBy(errors.organization_id && ids.organizationError)}
              >
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value={OPERATOR_ENDPOINT}>
                  Every organization (operator endpoint)
                </SelectItem>
                {organizations.length > 0 ? <SelectSeparator /> : null}
                {organizations.map((organization) => (
                  <SelectItem key={organization.id} value={organization.id}>
                    {organization.name}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
            <FieldError id={ids.organizationError}>{errors.organization_id}</FieldError>
          </>
        )}
      </Field>

      <EventTypePicker
        catalog={eventTypes}
        initial={endpoint ? endpoint.eventTypes : null}
        error={errors.event_types}
      />

      <Field invalid={Boolean(errors.rate_limit_per_second)}>
        <FieldLabel htmlFor={ids.rate}>Rate limit (requests per second, optional)</FieldLabel>
        <Input
          id={ids.rate}
          name="rate_limit_per_second"
          type="number"
          inputMode="numeric"
          min={1}
          max={50}
          step={1}
          placeholder="No limit"
          className="w-40"
          defaultValue={endpoint?.rateLimitPerSecond ?? ""}
          aria-invalid={errors.rate_limit_per_second ? true : undefined}
          aria-describedby={describedBy(
            ids.rateHelp,
            errors.rate_limit_per_second && ids.rateError,
          )}
        />
        <FieldDescription id={ids.rateHelp}>
          From 1 to 50. Leave it empty to send as fast as deliveries come, up to 50 per second.
        </FieldDescription>
        <FieldError id={ids.rateError}>{errors.rate_limit_per_second}</FieldError>
      </Field>

      <DialogFooter>
        <DialogClose asChild>
          <Button type="button" variant="outline">
            Cancel
          </Button>
        </DialogClose>
        <SubmitButton pending={pending}>{endpoint ? "Save changes" : "Add endpoint"}</SubmitButton>
      </DialogFooter>
    </form>
  );
}

/** Right after creating: the secret to configure on the receiver, once, without another click. */
function CreatedEndpoint({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <div className="grid gap-5">
      <DialogHeader>
        <DialogTitle>Endpoint added</DialogTitle>
        <DialogDescription>
          Verify every request with this signing secret. You can reveal it again later from the
          endpoint's menu.
        </DialogDescription>
      </DialogHeader>
      <SecretField secret={secret} />
      <DialogFooter>
        <Button type="button" onClick={onDone}>
          Done
        </Button>
      </DialogFooter>
    </div>
  );
}
