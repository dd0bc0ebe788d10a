import Link from "next/link";
import { Button } from "@/components/ui/button";

export default function DeliveryLogNotFound() {
  return (
    <section className="mx-auto grid max-w-lg gap-3 py-16 text-center">
      <h1 className="text-xl font-semibold">Webhook endpoint or delivery not found</h1>
      <p className="text-sm text-muted-foreground">
        There is no such endpoint or delivery in the organizations you can see. It may belong to
        another organization, have been deleted, or the link may be incomplete.
      </p>
      <div>
        <Button asChild variant="outline">
          <Link href="/webhooks">Back to Webhooks</Link>
        </Button>
      </div>
    </section>
  );
}
