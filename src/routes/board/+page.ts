// Reads ?office= and follows the live board in the browser: the SPA shell (200.html) answers it.
export const ssr = false;
export const prerender = false;
