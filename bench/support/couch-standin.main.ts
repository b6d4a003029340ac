/**
 * The CouchDB stand-in (tests/integration/couch-standin.ts) in a process of its own, for benchmarks
 * where it must not share an event loop with the load generator: prints `couch: <url>` and serves
 * until killed (its data directory goes with it on SIGTERM).
 */
import { startCouchStandIn } from '../../tests/integration/couch-standin';

const couch = await startCouchStandIn({ dirPrefix: 'caunoi-bench-couch-' });
console.log(`couch: ${couch.url}`);
const stop = () => void couch.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
