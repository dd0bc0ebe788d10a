import type { MemberRole } from "@/constants/organizations";

/**
 * The demo tenants, people and applications (GATEHOUSE_DEMO_DATA, `npm run db:seed`). Fixed
 * names and identifiers make loading idempotent and let the banner and the seed print them.
 */
export const DEMO_PASSWORD = "gatehouse-demo";

export const DEMO_ORGANIZATIONS = [
  { slug: "acme", name: "Acme", domain: "acme.test" },
  { slug: "globex", name: "Globex", domain: "globex.test" },
] as const;

export type DemoOrganizationSlug = (typeof DEMO_ORGANIZATIONS)[number]["slug"];

export const DEMO_USERS: readonly {
  email: string;
  name: string;
  organization: DemoOrganizationSlug;
  role: MemberRole;
}[] = [
  { email: "alice@acme.test", name: "Alice Anders", organization: "acme", role: "admin" },
  { email: "bob@acme.test", name: "Bob Baker", organization: "acme", role: "member" },
  { email: "carol@acme.test", name: "Carol Chen", organization: "acme", role: "member" },
  { email: "gina@globex.test", name: "Gina Gold", organization: "globex", role: "admin" },
  { email: "hank@globex.test", name: "Hank Hill", organization: "globex", role: "member" },
];

/** Operator-level applications (no organization): B2B apps that every tenant signs in to. */
export const DEMO_CLIENTS = [
  {
    clientId: "demo-portal",
    name: "Demo Portal",
    type: "confidential",
    // Fixed so the seed can print it and a local app is configured once; demo use only.
    clientSecret: "demo-portal-secret-change-me",
    redirectUris: ["http://localhost:3001/api/auth/callback/gatehouse"],
    postLogoutRedirectUris: ["http://localhost:3001/"],
  },
  {
    clientId: "demo-spa",
    name: "Demo SPA",
    type: "public",
    clientSecret: undefined,
    redirectUris: ["http://localhost:5173/callback", "http://127.0.0.1:5173/callback"],
    postLogoutRedirectUris: ["http://localhost:5173/"],
  },
] as const;

export type DemoClient = (typeof DEMO_CLIENTS)[number];

/** The client_id logged for requests from an application nobody registered. */
export const DEMO_UNREGISTERED_CLIENT_ID = "demo-unregistered-app";

/** Every client_id the demo history uses: how the seed recognises demo auth logs. */
export const DEMO_LOG_CLIENT_IDS = [
  ...DEMO_CLIENTS.map((client) => client.clientId),
  DEMO_UNREGISTERED_CLIENT_ID,
];
