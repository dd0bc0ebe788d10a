import { cookies } from "next/headers";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import type { ReactNode } from "react";
import { LocalTimeZone } from "@/components/dashboard/local-time-zone";
import { SIDEBAR_COOKIE, type SidebarState } from "@/components/dashboard/nav";
import { DashboardFrame } from "@/components/dashboard/sidebar";
import { UserMenu } from "@/components/dashboard/user-menu";
import { Toaster } from "@/components/ui/toaster";
import { TooltipProvider } from "@/components/ui/tooltip";
import { getDashboardAccess } from "@/lib/dashboard/access";

/**
 * The dashboard's frame. It only decorates: every page resolves the viewer's scope itself
 * (requireDashboardScope), because a layout does not re-run on every navigation and does not
 * know the URL to come back to after signing in.
 */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const access = await getDashboardAccess();
  if (access.kind !== "granted") {
    return children;
  }
  const sidebar = (await cookies()).get(SIDEBAR_COOKIE)?.value;
  const initialState: SidebarState =
    sidebar === "expanded" || sidebar === "collapsed" ? sidebar : "auto";
  const { viewer } = access;
  return (
    <NuqsAdapter>
      <TooltipProvider>
        <DashboardFrame
          initialState={initialState}
          topBar={
            <>
              <span className="truncate text-sm text-muted-foreground">
                {viewer.organization ? viewer.organization.name : "All organizations"}
              </span>
              <div className="ml-auto">
                <UserMenu name={viewer.name} email={viewer.email} />
              </div>
            </>
          }
        >
          {children}
        </DashboardFrame>
        <Toaster position="bottom-right" />
        <LocalTimeZone />
      </TooltipProvider>
    </NuqsAdapter>
  );
}
