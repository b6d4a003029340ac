import { serveCalls } from '../pwa/worker-client';
import { createProcedureLookup, type ProcedureRequest } from './procedure-lookup';

/** The procedure worker: the catalogue is fetched, stored, indexed and searched here (procedures.service.ts is its client). */
const lookup = createProcedureLookup();
serveCalls<ProcedureRequest>((origin, req) => lookup.handle(origin, req));
