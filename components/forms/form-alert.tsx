import { CircleAlertIcon, InfoIcon } from "lucide-react";
import { Alert, AlertDescription } from "@/components/ui/alert";

/** A message about the whole form: an error (announced) or a neutral notice. */
export function FormAlert({
  message,
  tone = "error",
  id,
}: {
  message: string | null | undefined;
  tone?: "error" | "notice";
  id?: string;
}) {
  if (!message) return null;
  const error = tone === "error";
  return (
    <Alert
      id={id}
      variant={error ? "destructive" : "default"}
      role={error ? "alert" : "status"}
      className="py-2.5"
    >
      {error ? <CircleAlertIcon aria-hidden="true" /> : <InfoIcon aria-hidden="true" />}
      <AlertDescription className={error ? undefined : "text-foreground"}>
        {message}
      </AlertDescription>
    </Alert>
  );
}
