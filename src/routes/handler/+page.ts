// Reads the URL's query / a signed-in official's data as it renders: the SPA shell (200.html) answers it.
export const ssr = false;
export const prerender = false;
