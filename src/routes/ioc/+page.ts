// Reads the URL's query and a signed-in official's figures as it renders: the SPA shell (200.html) answers it.
export const ssr = false;
export const prerender = false;
