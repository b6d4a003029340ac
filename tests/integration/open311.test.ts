/**
 * Open311 GeoReport v2 at /open311/v2 against the real server (issue 16): every call in JSON and XML,
 * the JSON answers checked against the published GeoReport v2 schemas (tests/fixtures/open311, from
 * open311/schema-validation), the XML answers field by field against the JSON ones. A request filed
 * with the demo key reaches the handler's inbox with its private contact, is resolved, and reads
 * closed with the result's public words; the person's name, phone and e-mail never come out.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '$lib/domain/report';
import { XUAN_HUONG_POINT } from '../support/documents';
import { act, call, pullAll, signIn, startServer, type Session, type TestServer } from './harness';

const DEMO_KEY = 'cn_demo-open311-lam-dong-xxxxxxxxxxxxxxxxxxxxx';
const LAM_VIEN = { lat: 11.962, long: 108.452 };
const HA_NOI = { lat: 21.028, long: 105.854 };
const PERSON = { first_name: 'Trần', last_name: 'Thị Bích', email: 'bich.tran@example.vn', phone: '0987654321' };

let srv: TestServer;
let lamVien: Session;
let admin: Session;
const base = () => `${srv.url}/open311/v2`;
/** Every GeoReport answer read in this file, to look for personal data in at the end. */
const seen: string[] = [];

// ajv-formats is CommonJS: its default export arrives wrapped under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (a: Ajv) => Ajv;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const fixtures = path.resolve(__dirname, '../fixtures/open311');
for (const name of ['request', 'requests', 'service', 'services', 'service-definition'])
	ajv.addSchema(JSON.parse(readFileSync(path.join(fixtures, `${name}.json`), 'utf8')), `${name}.json`);
function expectValid(schema: string, data: unknown) {
	const validate = ajv.getSchema(`${schema}.json`)!;
	expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
}

/** A tiny XML reader for our answers: elements without attributes, text, the declaration. */
interface XmlNode { name: string; children: XmlNode[]; text: string }
function parseXml(xml: string): XmlNode {
	let i = xml.indexOf('?>') + 2;
	const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
	function node(): XmlNode {
		i = xml.indexOf('<', i);
		const close = xml.indexOf('>', i);
		const tag = xml.slice(i + 1, close);
		i = close + 1;
		if (tag.endsWith('/')) return { name: tag.slice(0, -1), children: [], text: '' };
		const out: XmlNode = { name: tag, children: [], text: '' };
		for (;;) {
			const next = xml.indexOf('<', i);
			if (xml.startsWith(`</${tag}>`, next)) {
				out.text = unescape(xml.slice(i, next));
				i = next + tag.length + 3;
				return out;
			}
			i = next;
			out.children.push(node());
		}
	}
	return node();
}
const child = (n: XmlNode, name: string) => n.children.find((c) => c.name === name);

/** The XML record holds every field of the JSON one, with the same value (null: an empty element). */
function expectSameRecord(xml: XmlNode, json: Record<string, unknown>) {
	for (const [k, v] of Object.entries(json)) {
		const el = child(xml, k);
		expect(el, k).toBeDefined();
		if (Array.isArray(v) || (v && typeof v === 'object')) continue;
		expect(el!.text, k).toBe(v === null ? '' : String(v));
	}
}

async function get(pathAndQuery: string) {
	const res = await fetch(`${base()}/${pathAndQuery}`);
	const text = await res.text();
	seen.push(text);
	return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: () => JSON.parse(text) };
}
async function post(format: 'json' | 'xml', fields: Record<string, string>, init: { headers?: Record<string, string>; body?: string } = {}) {
	const res = await fetch(`${base()}/requests.${format}`, { method: 'POST', headers: init.headers, body: init.body ?? new URLSearchParams(fields) });
	const text = await res.text();
	seen.push(text);
	return { status: res.status, text, json: () => JSON.parse(text) };
}
const form = (over: Record<string, string> = {}) => ({
	api_key: DEMO_KEY,
	service_code: 'environment',
	lat: String(LAM_VIEN.lat),
	long: String(LAM_VIEN.long),
	description: 'Rác đổ trộm ở đầu hẻm 12',
	...PERSON,
	...over
});

beforeAll(async () => {
	srv = await startServer();
	[lamVien, admin] = await signIn(srv.url, 'ubnd-lam-vien', 'admin');
});
afterAll(() => srv?.close());

describe('discovery and services', () => {
	it('discovery names the endpoint and its two formats', async () => {
		const json = await get('discovery.json');
		expect(json.status).toBe(200);
		expect(json.json().endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', url: `${srv.url}/open311/v2`, formats: ['application/json', 'text/xml'] });
		const xml = await get('discovery.xml');
		expect(xml.type).toContain('text/xml');
		const root = parseXml(xml.text);
		expect(root.name).toBe('discovery');
		expect(child(child(child(root, 'endpoints')!, 'endpoint')!, 'formats')!.children.map((f) => f.text)).toEqual(['application/json', 'text/xml']);
	});

	it('services are our categories, in Vietnamese or English, each with metadata', async () => {
		const vi = await get('services.json');
		expectValid('services', vi.json());
		expect(vi.json()).toContainEqual(expect.objectContaining({ service_code: 'environment', service_name: 'Môi trường', metadata: true, type: 'realtime' }));
		const en = await get('services.json?locale=en');
		expect(en.json()).toContainEqual(expect.objectContaining({ service_code: 'environment', service_name: 'Environment (waste dumping, pollution)' }));
		const xml = parseXml((await get('services.xml')).text);
		expect(xml.name).toBe('services');
		xml.children.forEach((s, i) => expectSameRecord(s, vi.json()[i]));
	});

	it('a service definition offers the province’s communes as ward_code', async () => {
		const def = await get('services/environment.json');
		expectValid('service-definition', def.json());
		const ward = def.json().attributes[0];
		expect(ward).toMatchObject({ code: 'ward_code', datatype: 'singlevaluelist', required: false, variable: true });
		expect(ward.values).toContainEqual({ key: '24778', name: expect.any(String) });
		const xml = parseXml((await get('services/environment.xml')).text);
		expect(xml.name).toBe('service_definition');
		const attr = child(child(xml, 'attributes')!, 'attribute')!;
		expect(child(attr, 'code')!.text).toBe('ward_code');
		expect(child(attr, 'values')!.children.length).toBe(ward.values.length);
		expect((await get('services/no-such.json')).status).toBe(404);
	});
});

describe('a request filed by another system', () => {
	let code = '';
	let token = '';

	it('POST requests (form, demo key) files a report routed like a resident’s, with a tracking code and a token', async () => {
		const res = await post('json', form());
		expect(res.status, res.text).toBe(200);
		const [created] = res.json();
		expect(created.service_request_id).toMatch(/^LD-\d{6}-[0-9A-Z]{5}$/);
		expect(created.token).toMatch(/^[0-9a-f-]{36}$/);
		expect(created.service_notice).toMatch(/^Hạn xử lý: \d{4}-\d\d-\d\d \d\d:\d\d$/);
		code = created.service_request_id;
		token = created.token;
	});

	it('reaches the ward’s handler with the private contact and the system that filed it', async () => {
		const reports = (await pullAll(srv.url, lamVien.token, 'reports')).docs as unknown as Report[];
		const mine = reports.find((r) => r.trackingCode === code)!;
		expect(mine).toMatchObject({ categoryCode: 'environment', wardCode: '24778', assignedUnitIds: expect.arrayContaining(['ubnd-lam-vien']), filedVia: { system: 'Hệ thống demo Open311' } });
		expect(mine.authorId).toMatch(/^system:/);
		const contacts = (await pullAll(srv.url, lamVien.token, 'contacts')).docs;
		expect(contacts.find((c) => c.reportId === mine.id)).toMatchObject({ name: 'Trần Thị Bích <bich.tran@example.vn>', phone: '0987654321' });
		// Its author is the system (no token carries that subject): a resident's device and a unit it was not
		// routed to read neither the report nor its contact.
		const [device, police] = await signIn(srv.url, 'device', 'police');
		for (const s of [device, police]) {
			expect((await pullAll(srv.url, s.token, 'reports')).docs.some((r) => r.id === mine.id)).toBe(false);
			expect((await pullAll(srv.url, s.token, 'contacts')).docs.some((c) => c.reportId === mine.id)).toBe(false);
		}
	});

	it('the token resolves to the request (JSON and XML)', async () => {
		const json = await get(`tokens/${token}.json`);
		expect(json.json()).toEqual([{ service_request_id: code, token }]);
		const xml = parseXml((await get(`tokens/${token}.xml`)).text);
		expect(xml.name).toBe('service_requests');
		expectSameRecord(child(xml, 'request')!, { service_request_id: code, token });
		expect((await get(`tokens/${randomUUID()}.json`)).status).toBe(404);
	});

	it('GET requests/{id}: open, its units, due time and place, times in +07:00', async () => {
		const res = await get(`requests/${code}.json`);
		expectValid('requests', res.json());
		const [r] = res.json();
		expect(r).toMatchObject({ service_request_id: code, status: 'open', service_code: 'environment', service_name: 'Môi trường', description: 'Rác đổ trộm ở đầu hẻm 12', lat: LAM_VIEN.lat, long: LAM_VIEN.long });
		expect(r.agency_responsible).toContain('UBND phường Lâm Viên');
		expect(r.address).toContain('Lâm Đồng');
		for (const t of ['requested_datetime', 'updated_datetime', 'expected_datetime']) expect(r[t]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
		const xml = parseXml((await get(`requests/${code}.xml`)).text);
		expectSameRecord(child(xml, 'request')!, r);
		// Typed as a resident would: lower case, without dashes.
		expect((await get(`requests/${code.toLowerCase().replace(/-/g, '')}.json`)).status).toBe(200);
	});

	it('a request placed by ward_code alone, answered in XML', async () => {
		const { lat: _lat, long: _long, ...rest } = form({ 'attribute[ward_code]': '24778', address_string: 'Hẻm 12 Phan Đình Phùng' });
		const res = await post('xml', rest);
		expect(res.status, res.text).toBe(200);
		const req = child(parseXml(res.text), 'request')!;
		const id = child(req, 'service_request_id')!.text;
		const [r] = (await get(`requests/${id}.json`)).json();
		expect(r).toMatchObject({ lat: null, long: null });
		expect(r.description).toContain('Hẻm 12 Phan Đình Phùng');
	});

	it('resolved by the handler: the request turns closed with the result’s public words', async () => {
		await act(srv.url, lamVien, { id: token }, 'accepted');
		await act(srv.url, lamVien, { id: token }, 'resolved', { note: 'Ghi chú nội bộ: đã nhắc tổ dân phố', publicNote: 'Đã thu gom rác, lắp biển cấm đổ rác' });
		const [r] = (await get(`requests/${code}.json`)).json();
		expect(r).toMatchObject({ status: 'closed', status_notes: 'Đã thu gom rác, lắp biển cấm đổ rác', service_notice: null });
		const xml = parseXml((await get(`requests/${code}.xml`)).text);
		expect(child(child(xml, 'request')!, 'status')!.text).toBe('closed');
	});

	it('GET requests lists them newest first, by status and service, page by page (JSON and XML)', async () => {
		const all = (await get('requests.json')).json();
		expectValid('requests', all);
		expect(all.length).toBeGreaterThanOrEqual(2);
		expect(all.map((r: { requested_datetime: string }) => r.requested_datetime)).toEqual(
			[...all.map((r: { requested_datetime: string }) => r.requested_datetime)].sort().reverse()
		);
		// The list follows the reports' changes feed: the resolution arrives there a moment after it is stored.
		let closed: { service_request_id: string }[] = [];
		for (let i = 0; i < 40 && closed.length === 0; i++) {
			closed = (await get('requests.json?status=closed')).json();
			if (!closed.length) await new Promise((r) => setTimeout(r, 50));
		}
		expect(closed.map((r) => r.service_request_id)).toEqual([code]);
		expect((await get('requests.json?status=open&service_code=environment')).json().every((r: { status: string }) => r.status === 'open')).toBe(true);
		// Several statuses, comma delimited as the spec allows: both is every request; a wrong one is refused.
		expect((await get('requests.json?status=open,closed')).json()).toHaveLength(all.length);
		expect((await get('requests.json?status=open,pending')).status).toBe(400);
		const second = (await get('requests.json?page_size=1&page=2')).json();
		expect(second).toEqual([all[1]]);
		const byIds = (await get(`requests.json?service_request_id=${code},LD-000000-00000`)).json();
		expect(byIds.map((r: { service_request_id: string }) => r.service_request_id)).toEqual([code]);
		const xml = parseXml((await get('requests.xml')).text);
		expect(xml.name).toBe('service_requests');
		xml.children.forEach((n, i) => expectSameRecord(n, all[i]));
	});

	it('a photo uploaded with the key becomes the request’s public photo (the documented extension)', async () => {
		const bytes = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#a73' } }).jpeg().toBuffer();
		const mediaId = randomUUID();
		const headers = { 'Tus-Resumable': '1.0.0', 'X-Api-Key': DEMO_KEY };
		const created = await fetch(`${base()}/media`, {
			method: 'POST',
			headers: { ...headers, 'Upload-Length': String(bytes.length), 'Upload-Metadata': `mediaId ${Buffer.from(mediaId).toString('base64')}` }
		});
		expect(created.status).toBe(201);
		const mediaUrl = new URL(created.headers.get('location')!, srv.url).toString();
		const patched = await fetch(mediaUrl, { method: 'PATCH', headers: { ...headers, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' }, body: new Uint8Array(bytes) });
		expect(patched.status).toBe(204);
		// urban-infrastructure needs a photo.
		const res = await post('json', form({ service_code: 'urban-infrastructure', media_url: mediaUrl }));
		expect(res.status, res.text).toBe(200);
		const [r] = (await get(`requests/${res.json()[0].service_request_id}.json`)).json();
		expect(r.media_url).toBe(`${srv.url}/api/public/media/${mediaId}`);
		const photo = await fetch(r.media_url);
		expect(photo.status).toBe(200);
		expect(photo.headers.get('content-type')).toBe('image/webp');
		// Used once.
		expect((await post('json', form({ service_code: 'urban-infrastructure', media_url: mediaUrl }))).status).toBe(400);
	});

	it('the person’s name, phone and e-mail appear in no GeoReport answer nor on the public pages', async () => {
		const pub = await call(`${srv.url}/api/public/reports/${token}`);
		expect(pub.status).toBe(200);
		const byCode = await call(`${srv.url}/api/public/codes/${code}`);
		const texts = [...seen, JSON.stringify(pub.body), JSON.stringify(byCode.body)];
		for (const secret of [PERSON.first_name, PERSON.last_name, PERSON.email, PERSON.phone, 'Ghi chú nội bộ', 'Hệ thống demo'])
			for (const t of texts) expect(t).not.toContain(secret);
	});
});

describe('bad input: the spec’s error objects with their status codes', () => {
	const errorOf = (res: { json: () => unknown }) => (res.json() as { code: number; description: string }[])[0];

	it('a missing key (403), in JSON and in XML', async () => {
		const { api_key: _k, ...rest } = form();
		const json = await post('json', rest);
		expect(json.status).toBe(403);
		expect(json.json()).toEqual([{ code: 403, description: expect.stringContaining('api_key') }]);
		const xml = await post('xml', rest);
		expect(xml.status).toBe(403);
		const err = child(parseXml(xml.text), 'error')!;
		expect(parseXml(xml.text).name).toBe('errors');
		expect(child(err, 'code')!.text).toBe('403');
		expect(child(err, 'description')!.text).toContain(' / ');
	});

	it('a revoked key and a key without the scope are refused (403)', async () => {
		const made = await call<{ id: string; key: string }>(`${srv.url}/api/admin/api-keys`, { token: admin.token, body: { name: 'Hệ thống cũ', scopes: ['open311:requests'] } });
		expect((await post('json', form({ api_key: made.body.key }))).status).toBe(200);
		await call(`${srv.url}/api/admin/api-keys/${made.body.id}`, { method: 'DELETE', token: admin.token });
		const revoked = await post('json', form({ api_key: made.body.key }));
		expect(revoked.status).toBe(403);
		expect(errorOf(revoked).code).toBe(403);
		const other = await call<{ key: string }>(`${srv.url}/api/admin/api-keys`, { token: admin.token, body: { name: 'Một cửa', scopes: ['dossiers:import'] } });
		expect((await post('json', form({ api_key: other.body.key }))).status).toBe(403);
	});

	it('a key is limited per minute (429, as an error object) and its uses are counted for the admin', async () => {
		const made = await call<{ id: string; key: string }>(`${srv.url}/api/admin/api-keys`, { token: admin.token, body: { name: 'Hệ thống vội', scopes: ['open311:requests'] } });
		// Refused forms (no place) file nothing, but each one is a use of the key.
		const statuses: number[] = [];
		for (let i = 0; i < 61; i++) statuses.push((await post('json', form({ api_key: made.body.key, lat: '', long: '' }))).status);
		expect(statuses.slice(0, 60).every((s) => s === 400)).toBe(true);
		const limited = await post('json', form({ api_key: made.body.key }));
		expect(limited.status).toBe(429);
		expect(errorOf(limited)).toEqual({ code: 429, description: expect.stringContaining(' / ') });
		const keys = await call<{ keys: { id: string; uses: number; lastUsedAt: string | null }[] }>(`${srv.url}/api/admin/api-keys`, { token: admin.token });
		expect(keys.body.keys.find((k) => k.id === made.body.id)?.lastUsedAt).not.toBeNull();
	});

	it('unknown service, missing or foreign place, photos missing or not ours', async () => {
		const cases: [Record<string, string>, number, string][] = [
			[{ service_code: 'no-such' }, 404, 'service_code'],
			[{ lat: '', long: '' }, 400, 'lat/long'],
			[{ lat: String(HA_NOI.lat), long: String(HA_NOI.long) }, 400, 'outside'],
			[{ 'attribute[ward_code]': '99999' }, 400, 'ward_code'],
			[{ 'attribute[ward_code]': '24778', lat: String(XUAN_HUONG_POINT.lat), long: String(XUAN_HUONG_POINT.lng) }, 400, 'not in the commune 24778'],
			[{ long: '' }, 400, 'Both lat and long'],
			[{ service_code: 'urban-infrastructure' }, 400, 'photo'],
			[{ media_url: 'not a url' }, 400, 'media_url'],
			[{ media_url: 'https://example.com/photo.jpg' }, 400, 'media_url'],
			[{ media_url: `${srv.url}/open311/v2/media/${randomUUID()}` }, 400, 'media_url'],
			[{ phone: '12' }, 400, 'phone'],
			[{ jurisdiction_id: 'dak-lak' }, 404, 'dak-lak']
		];
		for (const [over, status, words] of cases) {
			const res = await post('json', form(over));
			expect(res.status, JSON.stringify(over)).toBe(status);
			expect(errorOf(res)).toEqual({ code: status, description: expect.stringContaining(words) });
		}
	});

	it('an XML or JSON document where a form is expected is refused (415)', async () => {
		const xml = await post('xml', {}, { headers: { 'content-type': 'text/xml' }, body: '<service_request><service_code>environment</service_code></service_request>' });
		expect(xml.status).toBe(415);
		expect(child(child(parseXml(xml.text), 'error')!, 'code')!.text).toBe('415');
		const json = await post('json', {}, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(form()) });
		expect(json.status).toBe(415);
		expect(errorOf(json).code).toBe(415);
	});

	it('a date span over 90 days, a bad date, an unknown request, an unknown format', async () => {
		const span = await get('requests.json?start_date=2026-01-01T00:00:00%2B07:00&end_date=2026-06-01T00:00:00%2B07:00');
		expect(span.status).toBe(400);
		expect(errorOf(span).description).toContain('90');
		expect((await get('requests.json?start_date=yesterday')).status).toBe(400);
		const unknown = await get('requests/LD-000000-00000.xml');
		expect(unknown.status).toBe(404);
		expect(parseXml(unknown.text).name).toBe('errors');
		expect((await get('requests.json?page_size=5000')).status).toBe(400);
		expect((await get('services.html')).status).toBe(400);
		expect((await get('nothing-here.json')).status).toBe(404);
		const other = await get('services.xml?jurisdiction_id=dak-lak');
		expect(other.status).toBe(404);
		expect(child(child(parseXml(other.text), 'error')!, 'description')!.text).toContain('dak-lak');
	});
});

describe('the answer to a filing, in the language asked', () => {
	it('says the due time in English with locale=en, as the reading calls do', async () => {
		const res = await post('xml', form({ locale: 'en' }));
		expect(res.status, res.text).toBe(200);
		const notice = child(child(parseXml(res.text), 'request')!, 'service_notice')!.text;
		expect(notice).toMatch(/^To be handled by \d{4}-\d\d-\d\d \d\d:\d\d$/);
	});
});
