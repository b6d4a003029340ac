// Needs a signed-in admin: the SPA shell (200.html) answers it.
export const ssr = false;
export const prerender = false;
