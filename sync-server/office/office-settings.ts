import { OfficeConfig } from '$lib/domain/office';
import type { TenantConfig } from '$lib/domain/tenant';
import type { Storage, StoredDoc } from '../storage/storage';

/**
 * The one-stop office's settings as they are now: the tenant folder's `office` section, or the
 * version an admin saved since (one document, `office`, in the `office-settings` store). Every
 * instance follows the store's changes, so a saved change applies everywhere at once — the take, the
 * counters, the board and `/api/tenant` all read `current()`.
 */
export interface OfficeSettingsDoc extends StoredDoc {
	id: 'office';
	config: OfficeConfig;
	updatedAt: string;
	updatedBy: string;
}

export async function createOfficeSettings(deps: { tenant: TenantConfig; storage: Storage; log?: { warn(obj: unknown, msg: string): void } }) {
	const store = deps.storage.store<OfficeSettingsDoc>('office-settings');
	let saved: OfficeSettingsDoc | null = null;
	const adopt = (doc: OfficeSettingsDoc | null | undefined) => {
		if (!doc || doc._deleted) return;
		// Checked when saved; checked again here, so a hand-edited document cannot take the offices down.
		const parsed = OfficeConfig.safeParse(doc.config);
		if (!parsed.success) return deps.log?.warn({ issues: parsed.error.issues.slice(0, 3) }, 'office settings document ignored: not valid');
		if (!saved || doc.updatedAt >= saved.updatedAt) saved = { ...doc, config: parsed.data };
	};
	adopt(await store.get('office'));
	const unsubscribe = store.subscribe((c) => c.id === 'office' && adopt(c.doc));

	return {
		/** The offices now; undefined when the tenant has none. */
		current: (): OfficeConfig | undefined => saved?.config ?? deps.tenant.office,
		/** When an admin last saved (null: the tenant folder's, as shipped). */
		savedAt: (): string | null => saved?.updatedAt ?? null,
		/**
		 * Writes a new version over exactly the one the admin read (`basedOn`: its savedAt, or null for
		 * the shipped one); false when someone saved in between.
		 */
		async save(config: OfficeConfig, basedOn: string | null, by: string, now: Date): Promise<boolean> {
			const held = (await store.getMany(['office'])).get('office');
			if ((held?.doc.updatedAt ?? null) !== basedOn) return false;
			const doc: OfficeSettingsDoc = { id: 'office', config, updatedAt: now.toISOString(), updatedBy: by };
			const [r] = await store.bulkPut([{ doc, rev: held?.rev ?? null }]);
			if (r.ok) adopt(doc);
			return r.ok;
		},
		close: () => unsubscribe()
	};
}
export type OfficeSettings = Awaited<ReturnType<typeof createOfficeSettings>>;
