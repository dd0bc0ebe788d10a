"use client";

import { PlusIcon } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { EndpointFormDialog } from "./endpoint-form-dialog";

export function AddEndpointButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button type="button" onClick={() => setOpen(true)}>
        <PlusIcon aria-hidden="true" />
        Add endpoint
      </Button>
      <EndpointFormDialog open={open} onOpenChange={setOpen} />
    </>
  );
}
