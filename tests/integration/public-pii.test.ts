/**
 * Personal data is structural: a reporter's name and phone reach only the reporter and the handlers
 * of the units their report is assigned to. Several residents file reports with contacts, handlers
 * and a leader act on them, one resident answers a question with their phone number in the note;
 * then every public endpoint, and every collection pulled by another resident and by a handler of
 * an unassigned unit, is read as raw bytes and searched for any reporter's phone (in every usual
 * format), name, or device id. The assigned handler is the positive control: they do get them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicReportDetail, PublicReportPage } from '$lib/domain/public';
import { REDACTED_PHONE } from '$lib/domain/redact';
import type { Report } from '$lib/domain/report';
import { SYNC_COLLECTIONS, type Checkpoint, type PullResponse } from '$lib/domain/sync-protocol';
import { LAM_VIEN_POINT, XUAN_HUONG_POINT } from '../support/documents';
import { phoneSpellings } from '../support/phone-spellings';
import { act, deviceSession, fileReport, makeEvent, push, signIn, startServer, type DeviceSession, type Session, type TestServer } from './harness';

let srv: TestServer;

interface Reporter {
	session: DeviceSession;
	name: string;
	/** As the resident typed it. */
	phone: string;
	/** The 9 digits after 0 / +84: every format of the number contains them once separators go. */
	national: string;
}

const LAM_VIEN = '24778';
const XUAN_HUONG = '24781';

let reporters: Reporter[];
let reports: Report[];
let lamVien: Session; // assigned: the ward committee of Lâm Viên (every category there)
let xuanHuong: Session; // assigned: the ward committee of Xuân Hương
let police: Session; // unassigned: environment reports never go to the police
let leader: Session;
let stranger: DeviceSession; // another resident

/** The formats a Vietnamese number is written in: 0912345678, +84912345678, 84912345678, 0912 345 678… */
function phoneFormats(national: string): string[] {
	const [a, b, c] = [national.slice(0, 3), national.slice(3, 6), national.slice(6)];
	return [
		`0${national}`,
		`+84${national}`,
		`84${national}`,
		`+84 ${national}`,
		`0${a} ${b} ${c}`,
		`0${a}.${b}.${c}`,
		`0${a}-${b}-${c}`,
		`+84 ${a} ${b} ${c}`,
		`(+84) ${national}`
	];
}

/** The text, plus its JSON string escapes undone and accents folded, so no encoding hides a match. */
function views(text: string): string[] {
	const unescaped = text.replace(/\\u([0-9a-fA-F]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
	const nfc = unescaped.normalize('NFC');
	const folded = nfc.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
	return [text, nfc, folded];
}
const fold = (s: string) => views(s)[2];

/** What of a reporter's identity shows in `text`, or [] when nothing does. */
function leaks(text: string, who: Reporter[]): string[] {
	const found: string[] = [];
	for (const view of views(text)) {
		// Separators between digits removed: "0912 345 678", "0912.345.678" read as 0912345678.
		const digits = view.replace(/(\d)[\s.\-()]+(?=[\d+])/g, '$1');
		for (const r of who) {
			for (const f of phoneFormats(r.national)) if (view.includes(f)) found.push(`phone ${f}`);
			if (digits.includes(r.national)) found.push(`phone digits ${r.national}`);
			if (view.includes(r.name) || view.includes(fold(r.name))) found.push(`name ${r.name}`);
			const id = r.session.user.sub.replace(/^device:/, '');
			if (view.includes(id)) found.push(`device id of ${r.name}`);
		}
	}
	return [...new Set(found)];
}

async function bytesOf(url: string, token?: string): Promise<{ status: number; text: string }> {
	const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
	return { status: res.status, text: Buffer.from(await res.arrayBuffer()).toString('utf8') };
}

/** Every page of every collection the caller may pull, as the raw bytes of each response. */
async function pullEverything(token: string): Promise<string[]> {
	const bodies: string[] = [];
	for (const collection of SYNC_COLLECTIONS) {
		let checkpoint: Checkpoint | null = null;
		for (let i = 0; i < 100; i++) {
			const q = new URLSearchParams({ checkpoint: JSON.stringify(checkpoint), limit: '50' });
			const res = await bytesOf(`${srv.url}/api/sync/${collection}/pull?${q}`, token);
			expect(res.status, `pull ${collection}`).toBe(200);
			bodies.push(res.text);
			const page = JSON.parse(res.text) as PullResponse;
			checkpoint = page.checkpoint;
			if (!page.documents.length) break;
		}
	}
	return bodies;
}

/** Every public response: each ward's pages, each report's detail, each photo. */
async function readEveryPublicEndpoint(): Promise<{ bodies: string[]; details: number }> {
	const bodies: string[] = [];
	const ids = new Set<string>();
	const photoIds = new Set<string>();
	for (const ward of [LAM_VIEN, XUAN_HUONG]) {
		let since: string | null = null;
		for (let i = 0; i < 100; i++) {
			const q = new URLSearchParams({ ward, limit: '2', ...(since ? { since } : {}) });
			const res = await bytesOf(`${srv.url}/api/public/reports?${q}`);
			expect(res.status).toBe(200);
			bodies.push(res.text);
			const page = JSON.parse(res.text) as PublicReportPage;
			for (const r of page.reports) ids.add(r.id), r.photoIds.forEach((p) => photoIds.add(p));
			if (!page.next) break;
			since = page.next;
		}
	}
	const codes = new Set<string>();
	for (const id of ids) {
		const res = await bytesOf(`${srv.url}/api/public/reports/${id}`);
		expect(res.status).toBe(200);
		bodies.push(res.text);
		const code = (JSON.parse(res.text) as PublicReportDetail).report.trackingCode;
		if (code) codes.add(code);
	}
	// The same reports looked up by tracking code (the home page's look-up).
	for (const code of codes) {
		const res = await bytesOf(`${srv.url}/api/public/codes/${code}`);
		expect(res.status).toBe(200);
		bodies.push(res.text);
	}
	for (const id of photoIds) for (const size of ['', '?size=thumb']) bodies.push((await bytesOf(`${srv.url}/api/public/media/${id}${size}`)).text);
	return { bodies, details: ids.size };
}

beforeAll(async () => {
	srv = await startServer();
	const people = [
		{ name: 'Phùng Thị Ngọc Diệp', phone: '0912345678', national: '912345678', ward: LAM_VIEN },
		{ name: 'Quách Văn Tường', phone: '+84987654321', national: '987654321', ward: LAM_VIEN },
		{ name: 'Lưu Bá Khiêm', phone: '0903 111 222', national: '903111222', ward: XUAN_HUONG },
		// A traffic report: the police are assigned to it, so their pull is not empty.
		{ name: 'Vũ Minh Triết', phone: '0978.456.123', national: '978456123', ward: LAM_VIEN, category: 'traffic-security' }
	];
	[lamVien, xuanHuong, police, leader, stranger] = await signIn(srv.url, 'ubnd-lam-vien', 'ubnd-xuan-huong', 'police', 'lanhdao', 'device');
	reporters = [];
	reports = [];
	for (const p of people) {
		const session = await deviceSession(srv.url);
		reporters.push({ session, name: p.name, phone: p.phone, national: p.national });
		// Two reports each: one with GPS, one placed by ward only.
		for (const location of [{ source: 'gps', ...(p.ward === LAM_VIEN ? LAM_VIEN_POINT : XUAN_HUONG_POINT) }, { source: 'ward' }]) {
			const overrides = { wardCode: p.ward, location, categoryCode: p.category ?? 'environment', description: 'Đèn đường hỏng cả tuần' };
			reports.push(await fileReport(srv.url, session, overrides as never, { name: p.name, phone: p.phone }));
		}
	}

	// The other resident has a report of their own (no contact): their pull is not empty either.
	await fileReport(srv.url, stranger, { description: 'Cống thoát nước bị tắc' });

	// Handlers and a leader act on the reports: seen, accepted, a question answered by the resident
	// (their note holds their phone number and name), a directive, progress, a result, one untrue.
	const [diep1, diep2, tuong1, , khiem1] = reports;
	const [diep, , khiem] = reporters;
	await act(srv.url, lamVien, diep1, 'seen');
	await act(srv.url, lamVien, diep1, 'info_requested', { note: 'Đèn ở cột số mấy?' });
	await act(srv.url, diep.session, diep1, 'info_provided', {
		note: `Cột số 14. Tôi là ${diep.name}, gọi tôi: 0912 345 678 hoặc +84912345678`
	});
	await act(srv.url, leader, diep1, 'directive', { note: 'Khắc phục trước 17 giờ', publicNote: 'Khắc phục trước 17 giờ' });
	await act(srv.url, lamVien, diep1, 'accepted');
	await act(srv.url, lamVien, diep1, 'resolved', { note: 'Đã thay bóng đèn' });
	await act(srv.url, diep.session, diep1, 'feedback', { satisfied: false, note: `${diep.name} chưa hài lòng` });
	await act(srv.url, lamVien, diep2, 'rejected_invalid', { note: 'Đèn vẫn sáng bình thường' });
	await act(srv.url, lamVien, tuong1, 'progress', { note: 'Đã báo điện lực' });
	await act(srv.url, xuanHuong, khiem1, 'accepted');
	await act(srv.url, xuanHuong, khiem1, 'progress', { note: `Đã gọi cho người báo tin (${khiem.phone}) để hẹn` });

	// Staff name a witness and write her number in every spelling into their private notes, and the
	// same spellings into the public texts of their steps (as a careless handler would).
	const steps = WITNESS_SPELLINGS.map((phone, i) =>
		makeEvent(lamVien, tuong1, 'progress', { note: `Đã gặp ${WITNESS.name}, số ${phone} (#${i})`, publicNote: `${PUBLIC_WORDS} ${phone} (#${i})` })
	);
	expect((await push(srv.url, lamVien.token, 'events', steps)).body.rejected).toEqual([]);
	await act(srv.url, leader, khiem1, 'directive', { note: `Phối hợp với ${WITNESS.name} ${WITNESS_SPELLINGS[5]}` });
});

/** Someone a handler names in their notes: no reporter, no account, nothing structural to hide her. */
const WITNESS = { name: 'Đặng Thị Hồng Nhung', national: '934567812' };
const WITNESS_SPELLINGS = phoneSpellings(WITNESS.national);
const PUBLIC_WORDS = 'Đơn vị điện lực đã đến, liên hệ';

/**
 * Whether the witness's name or number shows in `text`: the number in any spelling is found once
 * the text is folded (NFKC: full-width digits; format characters such as zero-width spaces dropped)
 * and whatever stands between two digits is removed.
 */
function witnessShows(text: string): string[] {
	const found: string[] = [];
	for (const view of views(text)) {
		const folded = view.normalize('NFKC').replace(/\p{Cf}/gu, '');
		if (folded.replace(/(\d)[^\d\p{L}]+(?=[\d])/gu, '$1').includes(WITNESS.national)) found.push('phone');
		if (view.includes(WITNESS.name) || view.includes(fold(WITNESS.name))) found.push('name');
	}
	return [...new Set(found)];
}
afterAll(() => srv?.close());

describe('no reporter’s phone, name or device id leaves their scope', () => {
	it('in any public response: ward lists, report details, photos', async () => {
		// The public index follows the store's changes feed: wait until it lists every report (the
		// other resident's too).
		const listed = async () => {
			let n = 0;
			for (const ward of [LAM_VIEN, XUAN_HUONG])
				n += ((await (await fetch(`${srv.url}/api/public/reports?ward=${ward}&limit=500`)).json()) as PublicReportPage).reports.length;
			return n;
		};
		await expect.poll(listed, { timeout: 10_000 }).toBe(reports.length + 1);
		const { bodies, details } = await readEveryPublicEndpoint();
		expect(details).toBe(reports.length + 1);
		const text = bodies.join('\n');
		// It is really the timeline being read (the answer event is there, without its words).
		expect(text).toContain('"info_provided"');
		expect(text).toContain('Khắc phục trước 17 giờ');
		expect(leaks(text, reporters)).toEqual([]);
		// Staff private notes are not public: the name and number the handlers wrote there stay out,
		// the public texts are there with every spelling of the number masked.
		expect(text).not.toContain('Đã gặp');
		expect(witnessShows(text)).toEqual([]);
		for (let i = 0; i < WITNESS_SPELLINGS.length; i++) expect(text).toContain(`${PUBLIC_WORDS} ${REDACTED_PHONE} (#${i})`);
	});

	it('in anything another resident pulls', async () => {
		const text = (await pullEverything(stranger.token)).join('\n');
		expect(text).toContain('Cống thoát nước bị tắc');
		expect(leaks(text, reporters)).toEqual([]);
		expect(witnessShows(text)).toEqual([]);
	});

	it('in anything a handler of an unassigned unit pulls', async () => {
		const text = (await pullEverything(police.token)).join('\n');
		const [diep, tuong, khiem, triet] = reporters;
		expect(leaks(text, [diep, tuong, khiem])).toEqual([]);
		expect(witnessShows(text)).toEqual([]);
		// The traffic report is theirs: that reporter's contact does reach them.
		expect(leaks(text, [triet])).toEqual(expect.arrayContaining([`name ${triet.name}`, `phone digits ${triet.national}`]));
	});

	it('in what one reporter pulls about the others', async () => {
		const [diep, tuong, khiem, triet] = reporters;
		const text = (await pullEverything(tuong.session.token)).join('\n');
		expect(leaks(text, [diep, khiem, triet])).toEqual([]);
		// …while they do get their own contact back (their phone, as they typed it), and the staff's
		// private notes on their report.
		expect(text).toContain(tuong.phone);
		expect(witnessShows(text)).toEqual(['phone', 'name']);
		// Another reporter does not get the notes on a report not theirs.
		expect(witnessShows((await pullEverything(diep.session.token)).join('\n'))).toEqual([]);
	});

	it('while the assigned handler does receive the contacts and the answer (the test can fail)', async () => {
		const text = (await pullEverything(lamVien.token)).join('\n');
		const [diep, tuong, khiem] = reporters;
		expect(leaks(text, [diep, tuong])).toEqual(
			expect.arrayContaining([`phone 0${diep.national}`, `name ${diep.name}`, `phone +84${tuong.national}`, `name ${tuong.name}`])
		);
		expect(text).toContain('gọi tôi: 0912 345 678');
		// Xuân Hương's reporter is not Lâm Viên's to know.
		expect(leaks(text, [khiem]).filter((l) => !l.startsWith('device id'))).toEqual([]);
		// The staff's private notes reach the handlers of the report, verbatim.
		expect(witnessShows(text)).toEqual(['phone', 'name']);
		expect(text).toContain(`Đã gặp ${WITNESS.name}, số ${JSON.stringify(WITNESS_SPELLINGS[1]).slice(1, -1)} (#1)`);
		const other = (await pullEverything(xuanHuong.token)).join('\n');
		expect(leaks(other, [khiem])).toEqual(expect.arrayContaining([`name ${khiem.name}`, `phone digits ${khiem.national}`]));
	});
});
