import type { TenantConfig } from '../domain/tenant';
import '../i18n/areas/volunteer';
import { t } from '../i18n/locale.svelte';
import type { OutboxRow } from '../sync/outbox';

/** A queued report in a list: the resident's outbox (OutboxItem) or the volunteer's filings (AssistedItem). */
export interface OutboxItemProps {
	row: OutboxRow;
	tenant: TenantConfig | null;
	onedit: (id: string) => void;
	onremove: (id: string) => void;
	onretry: () => void;
	/** Withdraws a report the server has ("Rút phản ánh"), with the author's optional reason. */
	onwithdraw?: (id: string, reason: string) => void;
}

/** Where a queued report is on its way, in words (the resident's outbox and the volunteer's list). */
export function outboxStateText(row: OutboxRow): string {
	const s = row.state;
	switch (s.kind) {
		case 'waiting':
			return row.error && row.error.code !== 'network' ? t('outbox.waitingRetry') : t('outbox.waiting');
		case 'sending':
			return t('outbox.sending');
		case 'photos':
			return t('outbox.photos', { k: s.done, n: s.total });
		case 'delivered':
			return t('outbox.delivered');
		case 'login_required':
			// A volunteer's filing: it waits for them to sign in again.
			return t('volunteer.loginToSend');
		case 'needs_attention':
			return t('outbox.needsAttention');
	}
}
