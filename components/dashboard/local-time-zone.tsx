"use client";

import { useEffect } from "react";
import { formatAbsolute } from "@/components/dashboard/local-time";

const SELECTOR = "time[data-local-time]";

/**
 * Shows every <LocalTime> of the page in the reader's time zone: the server wrote UTC, this
 * rewrites the hover text (and the text itself for absolute times) once the page is in the
 * browser, and again whenever a refresh or a navigation brings new ones. One observer for the
 * whole page instead of a client component per timestamp.
 */
export function LocalTimeZone() {
  useEffect(() => {
    const localizeWithin = (root: ParentNode) => {
      for (const time of root.querySelectorAll<HTMLTimeElement>(SELECTOR)) localize(time);
    };
    localizeWithin(document);
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        const target =
          record.target instanceof Element ? record.target : record.target.parentElement;
        const time = target?.closest<HTMLTimeElement>(SELECTOR);
        if (time) localize(time);
        for (const node of record.addedNodes) {
          if (node instanceof Element) localizeWithin(node);
        }
      }
    });
    observer.observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ["datetime", "title"],
    });
    return () => observer.disconnect();
  }, []);
  return null;
}

function localize(time: HTMLTimeElement) {
  const date = new Date(time.dateTime);
  if (Number.isNaN(date.getTime())) return;
  const local = formatAbsolute(date);
  // Compared first: every write is itself a mutation the observer sees.
  if (time.title !== local) time.title = local;
  const text = time.firstChild;
  // The text node React rendered is edited in place, so React still owns and can update it.
  if (time.dataset.localTime === "absolute" && text?.nodeType === Node.TEXT_NODE) {
    if (text.nodeValue !== local) text.nodeValue = local;
  }
}
