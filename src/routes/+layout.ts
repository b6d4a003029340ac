/**
 * The resident pages are prerendered: their HTML (header, headings, the form's fields) paints on a
 * weak link before any JavaScript arrives, then the app hydrates it. Only what is the same for
 * every province and every person is in that HTML; the province's lists and the person's data come
 * after, on the device. Pages that read the URL's query or only make sense signed in opt out in their
 * own +page.ts and are answered by the SPA shell (200.html).
 */
export const prerender = true;
