/**
 * The row styles every log table shares, set once on the <table> rather than on each of up to
 * 100 × 7 cells: every class string is sent twice (HTML and RSC payload). Rows open their entry
 * through ClientNavigation; each row's time is its `.row-link`, the keyboard's way in and the
 * address a click elsewhere on the row opens.
 * A table adds its own column rules (which cells clip, at what width) with cn().
 */
export const logTableClassName =
  "[&_td]:whitespace-nowrap [&_td]:px-3 [&_td]:py-2 [&_tbody_tr]:cursor-pointer [&_tbody_tr]:border-b [&_tbody_tr]:hover:bg-muted/50 [&_tbody_tr]:focus-within:bg-muted/50 [&_tbody_tr:last-child]:border-0 [&_td.clip]:truncate [&_.row-link]:rounded-sm [&_.row-link]:outline-none [&_.row-link]:focus-visible:ring-[3px] [&_.row-link]:focus-visible:ring-ring/50";
