import type { ChangedOrdersWindow } from '../shop/shop-platform';

/**
 * Page tokens for order searches that (a) cap the time span of one query (Taobao's increment API:
 * one day; JD's order search: one month) and (b) number their pages by offset over a list sorted by
 * modified time. Offset paging loses orders when the list shrinks while it is read: an order
 * modified again during the poll leaves the window, every order after it moves up one place, and
 * the one that crossed a page boundary is never seen. Taobao's documentation therefore says to page
 * from the last page back to the first (必须采用倒序的分页方式（从最后一页往回取）才能避免漏单问题,
 * taobao.trades.sold.increment.get, page_no). Read that way, an order leaving the list can only
 * move orders onto pages already read (a repeat, absorbed by the raw store), never past the reader.
 *
 * So each slice of the window is read as: page 1 (which also gives the total), then the last page
 * down to page 2, then page 1 once more for anything that moved onto it meanwhile.
 */

/** Where one query of the plan stands; serialised as the poll's page token. */
export interface SlicePage {
  /** Inclusive start of this slice (ISO 8601). */
  readonly sliceStart: string;
  /** Exclusive end of this slice: the window's end or sliceStart + the span cap, whichever is first. */
  readonly sliceEnd: string;
  readonly pageNo: number;
  /** Pages of the slice, once page 1 has told the total; absent on the first read of page 1. */
  readonly pages?: number;
}

/** The query a window's token stands for. */
export function currentPage(window: ChangedOrdersWindow, maxSpanMs: number): SlicePage {
  if (!window.page) return slice(window.since, window, maxSpanMs, 1);
  const token = JSON.parse(window.page) as { s: string; p: number; n?: number };
  return { ...slice(token.s, window, maxSpanMs, token.p), ...(token.n === undefined ? {} : { pages: token.n }) };
}

/**
 * The token of the query after `page`, given the total the platform reported for its slice.
 * @returns undefined after the last slice's last query
 */
export function nextPageToken(page: SlicePage, total: number, pageSize: number, window: ChangedOrdersWindow, maxSpanMs: number): string | undefined {
  const encode = (s: string, p: number, n?: number) => JSON.stringify(n === undefined ? { s, p } : { s, p, n });
  if (page.pages === undefined) {
    const pages = Math.ceil(total / pageSize);
    if (pages > 1) return encode(page.sliceStart, pages, pages);
  } else if (page.pageNo > 1) {
    return encode(page.sliceStart, page.pageNo - 1, page.pages);
  }
  return Date.parse(page.sliceEnd) < Date.parse(window.until) ? encode(page.sliceEnd, 1) : undefined;
}

function slice(start: string, window: ChangedOrdersWindow, maxSpanMs: number, pageNo: number): SlicePage {
  const capped = new Date(Math.min(Date.parse(start) + maxSpanMs, Date.parse(window.until))).toISOString();
  return { sliceStart: start, sliceEnd: capped, pageNo };
}
