"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { type ComponentProps, useEffect, useState } from "react";

/**
 * A log's address as last seen in this tab (its filters, page size and page), so the "back" link
 * of an entry opened from it returns to that view rather than to the unfiltered log. Kept in
 * sessionStorage: per tab, gone with it, never sent to the server.
 */
const storageKey = (list: string) => `gatehouse:list:${list}`;

/** Mounted by a log page (`list` is its path): remembers the address while it is open. */
export function RememberListAddress({ list }: { list: string }) {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  useEffect(() => {
    if (pathname !== list) return;
    const query = searchParams.toString();
    try {
      sessionStorage.setItem(storageKey(list), query ? `${list}?${query}` : list);
    } catch {
      // Storage refused (private mode, quota): the back link falls back to the plain log.
    }
  }, [list, pathname, searchParams]);
  return null;
}

/** A link to the log at `list`, as this tab last saw it; the plain log until then. */
export function BackToList({
  list,
  ...props
}: { list: string } & Omit<ComponentProps<typeof Link>, "href">) {
  const [href, setHref] = useState(list);
  useEffect(() => {
    let remembered: string | null = null;
    try {
      remembered = sessionStorage.getItem(storageKey(list));
    } catch {
      // As above: keep the plain log.
    }
    if (remembered === list || remembered?.startsWith(`${list}?`)) setHref(remembered);
  }, [list]);
  return <Link href={href} {...props} />;
}
