import { serveCalls } from '../pwa/worker-client';
import { createWardLookup, type WardRequest } from './ward-lookup';

/**
 * The ward worker: the province's boundaries are fetched, stored, decoded and searched here, off
 * the page's main thread (ward-detect.ts is its client; ward-lookup.ts does the work).
 */
const lookup = createWardLookup();
serveCalls<WardRequest>((origin, req) => lookup.handle(origin, req));
