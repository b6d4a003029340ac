import { serveCalls } from '../pwa/worker-client';
import { loadOutlines, type OutlineRequest } from './ioc-outlines';

/** The operations centre's outline worker: decodes and thins the communes' boundaries off the page's thread (ioc-outlines.ts). */
serveCalls<OutlineRequest>((origin) => loadOutlines(origin));
