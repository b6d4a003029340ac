import type { OfficeConfig } from '$lib/domain/office';
import { t } from '$lib/i18n/locale.svelte';
import { apiFetch, resolveOrigin } from '$lib/sync/api';

/**
 * The admin page's calls (sync-server/office/office-settings.routes.ts) and what it does with the
 * server's answers: ids for new counters and services, and a refused field's path put into words.
 */

export interface SettingsData {
	office: OfficeConfig | null;
	savedAt: string | null;
}
export interface Problem {
	path: string;
	reason: string;
}
export interface Broken {
	officeId: string;
	number: string;
	why: 'office' | 'service' | 'counter';
}

const url = () => `${resolveOrigin()}/api/office/settings`;
export const settingsApi = {
	read: (token: string) => apiFetch<SettingsData>(url(), { token, timeoutMs: 20_000 }),
	save: (token: string, office: OfficeConfig, basedOn: string | null) =>
		apiFetch<{ savedAt: string }>(url(), { method: 'PUT', token, body: { office, basedOn }, timeoutMs: 30_000 })
};

/** Lowercase ASCII slug of a Vietnamese name ("Đăng ký khai sinh" → "dang-ky-khai-sinh"). */
export function slugOf(text: string): string {
	return (
		text
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.replace(/[đĐ]/g, 'd')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-+|-+$/g, '')
			.slice(0, 36)
			.replace(/-+$/, '') || 'dich-vu'
	);
}

function unique(base: string, taken: Set<string>): string {
	let id = base;
	for (let i = 2; taken.has(id); i++) id = `${base.slice(0, 36)}-${i}`;
	taken.add(id);
	return id;
}

/**
 * New counters and services are made with an empty id; ids are given only when saving, from what the
 * admin typed last: a counter "quay-<number>", a service the slug of its Vietnamese name. An id once
 * saved never changes (tickets and counter sessions name it).
 */
export function withIds(cfg: OfficeConfig): OfficeConfig {
	const out = structuredClone(cfg);
	const serviceIds = new Set(out.services.map((s) => s.id).filter(Boolean));
	for (const s of out.services) if (!s.id) s.id = unique(slugOf(s.nameVi), serviceIds);
	for (const o of out.offices) {
		const ids = new Set(o.counters.map((c) => c.id).filter(Boolean));
		for (const c of o.counters) if (!c.id) c.id = unique(`quay-${c.number}`, ids);
	}
	return out;
}

/** Where a refused path sits on the page, in words: "Văn phòng X, quầy 2: dịch vụ". */
export function placeOf(path: string, cfg: OfficeConfig, locale: 'vi' | 'en'): string {
	const parts = path.split('.');
	const field = (key: string | undefined) => {
		if (!key || /^\d+$/.test(key)) return '';
		const w = t(`admin-offices.fields.${key}` as 'admin-offices.fields.id');
		return w.startsWith('admin-offices.') ? key : w;
	};
	if (parts[0] === 'offices' && /^\d+$/.test(parts[1] ?? '')) {
		const o = cfg.offices[Number(parts[1])];
		const where = [t('admin-offices.place.office', { name: o ? (locale === 'en' ? o.nameEn : o.nameVi) : `${Number(parts[1]) + 1}` })];
		const [, , list, index, leaf, sub, leaf2] = parts;
		const n = Number(index) + 1;
		if (list === 'counters' && index !== undefined) where.push(t('admin-offices.place.counter', { n: o?.counters[Number(index)]?.number ?? n }));
		else if (list === 'closedDays' && index !== undefined) where.push(t('admin-offices.place.closedDay', { n }));
		else if (list === 'week' && index !== undefined) {
			where.push(t('admin-offices.place.weekGroup', { n }));
			if (leaf === 'periods' && sub !== undefined) where.push(t('admin-offices.place.period', { n: Number(sub) + 1 }));
		}
		const last = index === undefined ? list : leaf === 'periods' && sub !== undefined ? leaf2 : (leaf ?? list);
		const f = field(last);
		return f ? `${where.join(', ')}: ${f}` : where.join(', ');
	}
	if (parts[0] === 'services' && /^\d+$/.test(parts[1] ?? '')) {
		const s = cfg.services[Number(parts[1])];
		const head = t('admin-offices.place.service', { name: s ? (locale === 'en' ? s.nameEn : s.nameVi) || s.nameVi : `${Number(parts[1]) + 1}` });
		const f = field(parts[2]);
		return f ? `${head}: ${f}` : head;
	}
	if (parts[0] === 'services') return t('admin-offices.place.services');
	return `${t('admin-offices.place.general')}${field(parts[0]) ? `: ${field(parts[0])}` : ''}`;
}

/**
 * The paths the page shows an input for while `officeIndex` is on screen: a problem there is told
 * under its field; any other goes to the list at the top.
 */
export function shownAt(path: string, officeIndex: number): boolean {
	if (/^services\.\d+\.(nameVi|nameEn|fieldVi|fieldEn|prefix|typicalMinutes)$/.test(path)) return true;
	const m = /^offices\.(\d+)\.(.+)$/.exec(path);
	if (!m || Number(m[1]) !== officeIndex) return false;
	return /^(nameVi|nameEn|addressVi|serviceIds|counters|slotMinutes|slotCapacity|bookDaysAhead|dailyLimit|lastTicketMinutes|week|closedDays|counters\.\d+\.(number|serviceIds)|closedDays\.\d+\.(date|name)|week\.\d+\.(days|periods)|week\.\d+\.periods\.\d+\.(from|to))$/.test(
		m[2]
	);
}

/**
 * The server's reason (zod's or the cross-checks' English) in plain words, a service it quotes by its
 * name; an unknown reason as it came.
 */
export function reasonText(reason: string, serviceName: (id: string) => string = (id) => id): string {
	const r = reason.toLowerCase();
	const quoted = /"([^"]+)"/.exec(reason)?.[1] ?? '';
	const key =
		/used twice|share an id/.test(r) ? 'twice'
		: /share the number prefix/.test(r) ? 'prefix'
		: /no counter serves/.test(r) ? 'noCounter'
		: /unknown service/.test(r) ? 'unknown'
		: /does not offer/.test(r) ? 'notOffered'
		: /multiples of 5/.test(r) ? 'five'
		: /not a date/.test(r) ? 'notDate'
		: /too small.*(>=1 characters|string)/.test(r) ? 'empty'
		: /too small.*(>=1 items|array)/.test(r) ? 'none'
		: /too (small|big)|expected number/.test(r) ? 'range'
		: /invalid|pattern|expected/.test(r) ? 'format'
		: null;
	return key ? t(`admin-offices.reasons.${key}` as 'admin-offices.reasons.empty', { name: quoted ? serviceName(quoted) : '' }) : reason;
}
