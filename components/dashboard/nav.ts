import {
  AppWindowIcon,
  Building2Icon,
  type LucideIcon,
  ScrollTextIcon,
  SettingsIcon,
  WebhookIcon,
} from "lucide-react";

export type NavItem = { href: string; label: string; icon: LucideIcon };

export const dashboardNav: NavItem[] = [
  { href: "/auth-logs", label: "Auth Logs", icon: ScrollTextIcon },
  { href: "/webhooks", label: "Webhooks", icon: WebhookIcon },
  { href: "/organizations", label: "Organizations", icon: Building2Icon },
  { href: "/applications", label: "Applications", icon: AppWindowIcon },
  { href: "/settings", label: "Settings", icon: SettingsIcon },
];

export const SIDEBAR_COOKIE = "gatehouse-sidebar";
/** `auto`: expanded on wide screens, an icon rail below 1024 px, until the user chooses. */
export type SidebarState = "auto" | "expanded" | "collapsed";
