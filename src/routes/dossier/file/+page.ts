// Reads ?procedure= and the catalogue and drafts kept on the device: the SPA shell (200.html) answers it.
export const ssr = false;
export const prerender = false;
