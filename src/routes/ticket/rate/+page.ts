// Reads the office and the counter from the URL's query (the counter's QR code): the SPA shell (200.html) answers it.
export const ssr = false;
export const prerender = false;
