import { describe, expect, it } from 'vitest';
import type { ApplicationRow, ApplicationState } from '../sync/local-db';
import { dossierNews, laterSteps, onPhoneOnly, phoneStateKey } from './my-list';

/** /my's list of applications still on the phone, and the news of an accepted one's dossier. */

const row = (id: string, state: ApplicationState, updatedAt: number): ApplicationRow => ({
	id,
	procedureCode: '1.001193',
	officeId: 'lam-vien',
	applicantName: 'Mai',
	applicantPhone: '',
	form: {},
	note: '',
	state,
	attempts: 0,
	createdAt: updatedAt,
	updatedAt
});

describe('onPhoneOnly', () => {
	const local = [
		row('draft', { kind: 'draft' }, 10),
		row('waiting', { kind: 'waiting' }, 30),
		row('failed', { kind: 'needs_attention' }, 20),
		row('listed', { kind: 'delivered' }, 40),
		row('just-sent', { kind: 'delivered' }, 60),
		row('long-ago', { kind: 'delivered' }, 5)
	];

	it('shows drafts and rows on their way newest first, and a delivered one only until the server lists it', () => {
		expect(onPhoneOnly(local, new Set(['listed']), 50).map((r) => r.id)).toEqual(['just-sent', 'waiting', 'failed', 'draft']);
	});

	it('never shows a row the server lists, whatever its state on the phone', () => {
		expect(onPhoneOnly(local, new Set(['waiting', 'just-sent', 'listed']), 50).map((r) => r.id)).toEqual(['failed', 'draft']);
	});

	it('once the server was read after the delivery, a delivered row it does not list is not brought back', () => {
		expect(onPhoneOnly(local, new Set(), 70).map((r) => r.id)).toEqual(['waiting', 'failed', 'draft']);
	});

	it('words every state', () => {
		expect(phoneStateKey('waiting')).toBe('my-applications.phoneWaiting');
		expect(phoneStateKey('needs_attention')).toBe('my-applications.phoneNeedsAttention');
	});
});

describe('the accepted dossier', () => {
	it('is news once its status moves on from what was seen; just accepted, it is the application\'s own news', () => {
		expect(dossierNews(undefined, undefined)).toBe(false);
		expect(dossierNews({ status: 'accepted' }, undefined)).toBe(false);
		expect(dossierNews({ status: 'processing' }, undefined)).toBe(true);
		expect(dossierNews({ status: 'processing' }, 'processing')).toBe(false);
		expect(dossierNews({ status: 'result_ready' }, 'processing')).toBe(true);
	});

	it('lists the steps after the acceptance', () => {
		const steps = [
			{ at: '2026-12-01T00:00:00Z', status: 'submitted' as const },
			{ at: '2026-12-02T00:00:00Z', status: 'accepted' as const },
			{ at: '2026-12-03T00:00:00Z', status: 'processing' as const, noteVi: 'Đang thẩm định' },
			{ at: '2026-12-04T00:00:00Z', status: 'result_ready' as const }
		];
		expect(laterSteps({ steps }).map((s) => s.status)).toEqual(['processing', 'result_ready']);
		expect(laterSteps({ steps: steps.slice(0, 2) })).toEqual([]);
	});
});
