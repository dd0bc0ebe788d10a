import { E2E_BASE_URL } from "./constants";

/**
 * A browser without JavaScript: it keeps cookies, follows redirects by hand, and submits the
 * hosted sign-in's forms exactly as their HTML says (hidden fields included). Light enough to
 * run a hundred sign-ins at once, and it proves the forms work as plain HTML posts.
 */
export class HtmlFormClient {
  private readonly cookies = new Map<string, string>();
  url = "";
  html = "";

  /** Navigates, following same-site redirects; stops at the first URL outside Gatehouse. */
  async visit(url: string, init: RequestInit = {}): Promise<string> {
    let next = new URL(url, E2E_BASE_URL).toString();
    let request: RequestInit = init;
    for (let hop = 0; hop < 10; hop++) {
      if (!next.startsWith(E2E_BASE_URL)) {
        this.url = next;
        return next;
      }
      const response = await fetch(next, {
        ...request,
        redirect: "manual",
        headers: { ...(request.headers as Record<string, string>), cookie: this.cookieHeader() },
      });
      this.storeCookies(response);
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        next = new URL(location, next).toString();
        request = {};
        continue;
      }
      this.url = next;
      this.html = await response.text();
      if (!response.ok)
        throw new Error(`${response.status} at ${next}: ${this.html.slice(0, 300)}`);
      return next;
    }
    throw new Error(`Too many redirects from ${url}`);
  }

  /** Submits the form that contains a field or button matching `marker`, with `values` filled in. */
  async submit(marker: RegExp, values: Record<string, string> = {}): Promise<string> {
    const form = findForms(this.html).find((candidate) => marker.test(candidate.body));
    if (!form) throw new Error(`No form matching ${marker} at ${this.url}`);
    const body = new FormData();
    for (const [name, value] of form.fields) body.append(name, values[name] ?? value);
    for (const [name, value] of Object.entries(values)) {
      if (!form.fields.some(([field]) => field === name)) body.append(name, value);
    }
    const action = new URL(form.action || this.url, this.url).toString();
    return this.visit(action, { method: "POST", body, headers: { origin: E2E_BASE_URL } });
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  private storeCookies(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const separator = pair.indexOf("=");
      if (separator > 0) this.cookies.set(pair.slice(0, separator), pair.slice(separator + 1));
    }
  }
}

type ParsedForm = { action: string; body: string; fields: [string, string][] };

function findForms(html: string): ParsedForm[] {
  const forms: ParsedForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attributes = match[1] ?? "";
    const body = match[2] ?? "";
    const fields: [string, string][] = [];
    for (const input of body.matchAll(/<input\b([^>]*)>/gi)) {
      const name = attribute(input[1] ?? "", "name");
      if (name) fields.push([name, attribute(input[1] ?? "", "value") ?? ""]);
    }
    forms.push({ action: attribute(attributes, "action") ?? "", body, fields });
  }
  return forms;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}="([^"]*)"`, "i").exec(tag);
  return match?.[1] === undefined ? undefined : decodeEntities(match[1]);
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
