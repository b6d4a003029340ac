/**
 * `npm run tenant:check -- data/tenants/<id>`: checks a tenant folder the way the server does at
 * start (sync-server/tenant/tenant-loader.ts), without starting it. Prints what would be loaded, or
 * every problem (exit code 1). Without an argument: TENANT_DIR, else the default folder.
 */
import { DEFAULT_TENANT_DIR } from '../sync-server/config';
import { loadTenant, tenantSummary, TenantFolderError } from '../sync-server/tenant/tenant-loader';

const dir = process.argv[2] || process.env.TENANT_DIR || DEFAULT_TENANT_DIR;
try {
	const tenant = await loadTenant(dir);
	const s = tenantSummary(tenant);
	console.log(
		[
			`Tenant folder ${tenant.dir}: OK`,
			`  tenant      ${s.id} (${tenant.config.nameVi}), tracking codes ${tenant.config.trackingPrefix}-…`,
			`  wards       ${s.wards}`,
			`  units       ${s.units}`,
			`  categories  ${s.categories}`,
			`  rules       ${s.rules}`,
			`  accounts    ${s.accounts} (demo)`
		].join('\n')
	);
} catch (err) {
	if (!(err instanceof TenantFolderError)) throw err;
	console.error(err.message);
	process.exitCode = 1;
}
