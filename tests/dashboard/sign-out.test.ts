import { describe, expect, it, vi } from "vitest";
import { POST } from "@/app/(dashboard)/sign-out/route";

// Ending the next-auth session needs Next's request context; what the route decides does not.
const signOutOfDashboard = vi.hoisted(() =>
  vi.fn(async () => "http://localhost:3000/oauth/logout?client_id=gatehouse-dashboard"),
);
vi.mock("@/lib/dashboard/sign-out", () => ({ signOutOfDashboard }));

const signOut = (headers: Record<string, string>) =>
  POST(new Request("http://localhost:3000/sign-out", { method: "POST", headers }));

describe("POST /sign-out", () => {
  it("ends the dashboard session and sends the browser on to Gatehouse's logout", async () => {
    const response = await signOut({ origin: "http://localhost:3000" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(await signOutOfDashboard.mock.results[0]?.value);
  });

  it("refuses a sign-out posted from another site, ending nothing", async () => {
    signOutOfDashboard.mockClear();
    const response = await signOut({ origin: "https://attacker.example" });
    expect(response.status).toBe(403);
    expect(response.headers.get("location")).toBeNull();
    expect(signOutOfDashboard).not.toHaveBeenCalled();
  });
});
