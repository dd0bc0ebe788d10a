"use client";

import { createContext, type ReactNode, useContext } from "react";
import type { EventTypeOption, OrganizationChoice } from "./types";

/**
 * What every endpoint dialog on the page needs: the event catalog and the organizations the
 * viewer may pick. Sent once for the page rather than once per row.
 */
export type EndpointsPageContext = {
  eventTypes: EventTypeOption[];
  /** Operators pick among these; empty for an organization's admin. */
  organizations: OrganizationChoice[];
  /** Set for an organization's admin: new endpoints always belong to it. */
  lockedOrganization: OrganizationChoice | null;
};

const Context = createContext<EndpointsPageContext | null>(null);

export function EndpointsProvider({
  value,
  children,
}: {
  value: EndpointsPageContext;
  children: ReactNode;
}) {
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useEndpointsPage(): EndpointsPageContext {
  const value = useContext(Context);
  if (!value) throw new Error("useEndpointsPage needs an EndpointsProvider above it");
  return value;
}
