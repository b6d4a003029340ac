import type { Handle } from '@sveltejs/kit';
import { paintBeforeStart } from '$lib/pwa/paint-first';

/**
 * Runs only when the pages are prerendered at build time (adapter-static; there is no page server):
 * each page's HTML paints before the app's JavaScript takes the main thread to hydrate it.
 */
export const handle: Handle = ({ event, resolve }) => resolve(event, { transformPageChunk: ({ html }) => paintBeforeStart(html) });
