/**
 * The few HTML pages the protocol endpoints answer with themselves (they must work before and
 * without the app's UI): an error page for requests that cannot be redirected, the sign-out
 * confirmation, and "You are signed out". Every value is escaped; the styling is inline so the
 * pages render under a `default-src 'none'` policy.
 */
export type ErrorPage = {
  title: string;
  message: string;
  /** What an operator or developer should check, one item each. */
  checks: string[];
  /** The auth log entry that recorded the attempt. */
  reference?: string;
};

export function renderErrorPage(page: ErrorPage): string {
  const checks = page.checks.map((check) => `<li>${escapeHtml(check)}</li>`).join("");
  return layout(
    page.title,
    [
      `<h1>${escapeHtml(page.title)}</h1>`,
      `<p>${escapeHtml(page.message)}</p>`,
      checks ? `<h2>What to check</h2><ul>${checks}</ul>` : "",
      page.reference
        ? `<p class="muted">Reference: <code>${escapeHtml(page.reference)}</code> (Gatehouse auth log)</p>`
        : "",
    ].join(""),
  );
}

export function renderSignedOutPage(): string {
  return layout(
    "You are signed out",
    "<h1>You are signed out</h1><p>Your Gatehouse session has ended. You can close this window.</p>",
  );
}

/** OIDC RP-Initiated Logout §2: ask before ending the session when the RP is not verified. */
export function renderLogoutConfirmPage(input: {
  action: string;
  fields: Record<string, string>;
  clientName?: string;
}): string {
  const hidden = Object.entries(input.fields)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join("");
  const from = input.clientName ? ` from ${escapeHtml(input.clientName)}` : "";
  return layout(
    "Sign out?",
    [
      "<h1>Sign out of Gatehouse?</h1>",
      `<p>A sign-out was requested${from}. Signing out ends your session for every application.</p>`,
      `<form method="post" action="${escapeHtml(input.action)}">${hidden}`,
      '<input type="hidden" name="confirm" value="yes">',
      '<button type="submit">Sign out</button></form>',
    ].join(""),
  );
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function layout(title: string, body: string): string {
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)} · Gatehouse</title>`,
    `<style>${STYLE}</style></head>`,
    `<body><main>${body}</main></body></html>`,
  ].join("");
}

const STYLE = [
  "body{font-family:system-ui,sans-serif;background:#f6f6f7;color:#1b1b1f;margin:0}",
  "main{max-width:34rem;margin:10vh auto;padding:2rem;background:#fff;border-radius:12px;",
  "box-shadow:0 1px 3px rgba(0,0,0,.08)}",
  "h1{font-size:1.35rem;margin:0 0 .75rem}h2{font-size:1rem;margin:1.25rem 0 .5rem}",
  "p,li{line-height:1.5}code{word-break:break-all}.muted{color:#6b6b76;font-size:.875rem}",
  "button{font:inherit;padding:.5rem 1rem;border-radius:8px;border:0;background:#1b1b1f;",
  "color:#fff;cursor:pointer}",
].join("");
