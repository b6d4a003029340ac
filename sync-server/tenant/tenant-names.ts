import { createHmac } from 'node:crypto';
import path from 'node:path';

/**
 * Where a tenant's key, databases and files are, derived from its id: read by the tenant app, the
 * outer server (/_db), the move of a single-tenant data directory, tests and benchmarks.
 */

/**
 * A tenant's own signing key, derived from TOKEN_SECRET: a token (or a one-time code's hash) made for
 * one province does not verify at another, even before its audience is read.
 */
export const tenantSecret = (secret: string, tenantId: string) =>
	createHmac('sha256', secret).update(`cau-noi tenant:${tenantId}`).digest('base64url');

/** `<DB_PREFIX><tenant>-`: every database of a tenant is named `<DB_PREFIX><tenant>-<collection>`. */
export const tenantDbPrefix = (dbPrefix: string, tenantId: string) => `${dbPrefix}${tenantId}-`;

/** `<DATA_DIR>/tenants/<tenant>`: photos and partial uploads; device-invented ids never meet across provinces. */
export const tenantFilesDir = (dataDir: string, tenantId: string) => path.join(dataDir, 'tenants', tenantId);
