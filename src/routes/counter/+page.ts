// Needs a signed-in official and their counter (kept on the device): the SPA shell (200.html) answers it.
export const ssr = false;
export const prerender = false;
