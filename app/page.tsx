import Link from "next/link";

export default function HomePage() {
  return (
    <main className="mx-auto flex min-h-svh max-w-xl flex-col justify-center gap-4 p-8">
      <h1 className="text-2xl font-semibold">Gatehouse</h1>
      <p className="text-muted-foreground">
        OpenID Connect provider. Discovery document at{" "}
        <Link className="underline" href="/.well-known/openid-configuration">
          /.well-known/openid-configuration
        </Link>
        .
      </p>
    </main>
  );
}
