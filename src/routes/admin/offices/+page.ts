// Needs a signed-in admin and the server's settings: the SPA shell (200.html) answers it.
export const ssr = false;
export const prerender = false;
