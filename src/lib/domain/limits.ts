/** Limits shared by the form and the server, in a module without zod (cheap to import on light pages). */
export const MAX_PHOTOS = 5;
