"use client";

import { useId } from "react";
import { CopyButton } from "@/components/dashboard/copy-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** A signing secret, selectable and copyable; shown only after someone asked for it. */
export function SecretField({
  secret,
  label = "Signing secret",
}: {
  secret: string;
  label?: string;
}) {
  const id = useId();
  return (
    <div className="grid gap-2">
      <Label htmlFor={id}>{label}</Label>
      <div className="flex items-center gap-2">
        <Input
          id={id}
          value={secret}
          readOnly
          spellCheck={false}
          autoComplete="off"
          className="font-mono text-xs"
          onFocus={(event) => event.currentTarget.select()}
        />
        <CopyButton value={secret} label="Copy" />
      </div>
    </div>
  );
}
