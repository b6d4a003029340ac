import type { IocWarning } from '$lib/domain/ioc';
import type { UserDoc } from '../auth/accounts.service';
import type { Store } from '../storage/storage';

/** What a warning's Web Push says: what and where, never a person (it travels through the vendor's push service). */
export interface IocWarningPush {
	kind: 'ioc-warning';
	id: string;
	type: IocWarning['type'];
	value: number;
	trackingCode?: string;
	at: string;
}

/**
 * Sends each raised warning (warnings.ts) to the devices of the officials it concerns, those who
 * turned notices on: the heads of its units, every leader and operations centre operator (who all
 * see the operations centre the notice opens: domain/principal.ts seesOperationsCentre). The staff
 * accounts are read once per batch of warnings (a province has hundreds, not millions).
 */
export function createWarningNotices(deps: {
	users: Store<UserDoc>;
	deliver: (recipients: string[], payload: object, urgency?: 'high' | 'normal') => Promise<void>;
}) {
	async function staff(): Promise<UserDoc[]> {
		const out: UserDoc[] = [];
		let after: string | null = null;
		for (;;) {
			const ids = await deps.users.idsInRange({ start: '', end: '\uffff', limit: 500, after });
			if (!ids.length) return out;
			for (const { doc } of (await deps.users.getMany(ids)).values()) if (!doc._deleted) out.push(doc);
			after = ids[ids.length - 1];
		}
	}

	return async (warnings: IocWarning[]): Promise<void> => {
		const accounts = await staff();
		for (const w of warnings) {
			const to = accounts
				.filter((u) => u.role === 'leader' || u.role === 'operator' || (u.role === 'handler' && u.unitHead && u.unitIds.some((x) => w.unitIds.includes(x))))
				.map((u) => `staff:${u.username}`);
			if (!to.length) continue;
			const payload: IocWarningPush = { kind: 'ioc-warning', id: w.id, type: w.type, value: w.value, ...(w.trackingCode ? { trackingCode: w.trackingCode } : {}), at: w.at };
			// A queue over its wait or a spike needs someone now; an overdue report is one of many.
			await deps.deliver(to, payload, w.type === 'report_overdue' ? 'normal' : 'high');
		}
	};
}
