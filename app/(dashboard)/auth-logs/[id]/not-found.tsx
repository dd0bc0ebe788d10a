import Link from "next/link";
import { Button } from "@/components/ui/button";

export default function AuthLogNotFound() {
  return (
    <section className="mx-auto grid max-w-lg gap-3 py-16 text-center">
      <h1 className="text-xl font-semibold">Auth log entry not found</h1>
      <p className="text-sm text-muted-foreground">
        There is no entry with this id in the organizations you can see. It may belong to another
        organization, or the link may be incomplete.
      </p>
      <div>
        <Button asChild variant="outline">
          <Link href="/auth-logs">Back to Auth Logs</Link>
        </Button>
      </div>
    </section>
  );
}
