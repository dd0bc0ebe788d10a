import { Button } from "@/components/ui/button";

/** Signs out of the dashboard and of Gatehouse: a plain form post to /sign-out. */
export function SignOutButton() {
  return (
    <form method="post" action="/sign-out">
      <Button type="submit" variant="outline">
        Sign out
      </Button>
    </form>
  );
}
