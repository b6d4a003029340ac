// Reads the ticket's id from the URL's query: the SPA shell (200.html) answers it, offline too.
export const ssr = false;
export const prerender = false;
