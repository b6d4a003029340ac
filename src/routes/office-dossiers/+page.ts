// Needs a signed-in official and the office's queue from the server: the SPA shell (200.html) answers it.
export const ssr = false;
export const prerender = false;
