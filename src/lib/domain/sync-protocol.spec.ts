import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Checkpoint, CheckpointQuery, PullQuery, PullResponse, PUSH_ROWS_MAX, PushBody, PushResponse, PushRow } from './sync-protocol';

/** The wire format both sides share: what the server accepts is exactly what the device sends. */

const seq = fc.oneof(fc.integer(), fc.string());
const checkpoint = fc.record(
	{ seq, initial: fc.option(fc.record({ seq, after: fc.string() }), { nil: null }) },
	{ requiredKeys: ['seq'] }
);

describe('Checkpoint', () => {
	it.each([
		['a LevelDB sequence', { seq: 0 }],
		['a CouchDB token', { seq: '13-g1AAAABXeJzLYWBgYMpgTmHgzcvPy09JdcjLz8gvLskBCeexAEmGBiD1HwQyGBgA' }],
		['a first sync that is over', { seq: 12, initial: null }],
		['a first sync under way', { seq: 12, initial: { seq: 12, after: '0190d6a4-8f00-7000-8000-000000000001/0190d6a4-8f00-7000-8000-000000000002' } }],
		['a first sync at its start', { seq: '7-abc', initial: { seq: '7-abc', after: '' } }]
	])('accepts %s', (_what, value) => {
		expect(Checkpoint.parse(value)).toStrictEqual(value);
	});

	it.each([
		['no seq', {}],
		['a null seq', { seq: null }],
		['a boolean seq', { seq: true }],
		['an object seq', { seq: { n: 1 } }],
		['an array', [{ seq: 1 }]],
		['a bare number', 5],
		['a bare string', '5'],
		['an initial that is a string', { seq: 1, initial: 'x' }],
		['an initial without its position', { seq: 1, initial: { seq: 2 } }],
		['an initial without its sequence', { seq: 1, initial: { after: 'a' } }],
		['an initial position that is a number', { seq: 1, initial: { seq: 2, after: 3 } }],
		['an infinite seq (JSON 1e999)', JSON.parse('{"seq":1e999}')]
	])('refuses %s', (_what, value) => {
		expect(Checkpoint.safeParse(value).success).toBe(false);
	});

	it('drops keys it does not know, so a device cannot make the server carry them along', () => {
		expect(Checkpoint.parse({ seq: 1, x: 2, initial: { seq: 1, after: 'a', y: 3 } })).toStrictEqual({ seq: 1, initial: { seq: 1, after: 'a' } });
	});
});

describe('CheckpointQuery (the pull’s ?checkpoint=)', () => {
	it.each([undefined, '', 'null'])('reads %j as the first pull', (text) => {
		expect(CheckpointQuery.parse(text)).toBeNull();
	});

	it('gives back every checkpoint the server can answer, sent as the device sends it', () => {
		fc.assert(
			fc.property(checkpoint, (cp) => {
				const sent = JSON.stringify(cp);
				expect(CheckpointQuery.parse(sent)).toStrictEqual(JSON.parse(sent));
			})
		);
	});

	it.each([
		['text that is not JSON', '{nope'],
		['JSON that is not a checkpoint', '{"sequence":1}'],
		['a JSON array', '[1]'],
		['a JSON number', '42'],
		['an unfinished first sync', '{"seq":1,"initial":{"seq":1}}']
	])('refuses %s with the protocol’s message', (_what, text) => {
		const r = CheckpointQuery.safeParse(text);
		expect(r.success).toBe(false);
		expect(r.error?.issues[0].message).toBe('checkpoint must be JSON {"seq": …} or null');
	});
});

describe('PullQuery', () => {
	it('takes 100 documents unless told, and no more than the maximum', () => {
		expect(PullQuery.parse({})).toStrictEqual({ checkpoint: null, limit: 100 });
		expect(PullQuery.parse({ limit: '500', checkpoint: '{"seq":3}' })).toStrictEqual({ checkpoint: { seq: 3 }, limit: 500 });
		for (const limit of ['0', '501', '2.5', 'ten']) expect(PullQuery.safeParse({ limit }).success, limit).toBe(false);
	});
});

describe('PushRow and PushBody', () => {
	const doc = { id: '0190d6a4-8f00-7000-8000-000000000001', type: 'comment' };

	it.each([
		['a new document', { newDocumentState: doc, assumedMasterState: null }],
		['a new document, master left out', { newDocumentState: doc }],
		['a change', { newDocumentState: { ...doc, _deleted: true }, assumedMasterState: doc }],
		['an empty document (its collection’s schema refuses it, with its own code)', { newDocumentState: {} }]
	])('accepts %s', (_what, row) => {
		expect(PushRow.parse(row)).toStrictEqual(row);
	});

	it.each([
		['no new state', { assumedMasterState: doc }],
		['a null new state', { newDocumentState: null }],
		['a new state that is an array', { newDocumentState: [doc] }],
		['a new state that is a string', { newDocumentState: JSON.stringify(doc) }],
		['a master state that is an array', { newDocumentState: doc, assumedMasterState: [] }],
		['a master state that is a number', { newDocumentState: doc, assumedMasterState: 0 }],
		['a bare document instead of a row', doc]
	])('refuses %s', (_what, row) => {
		expect(PushRow.safeParse(row).success).toBe(false);
	});

	it('takes a batch of up to PUSH_ROWS_MAX rows, and only an array', () => {
		const rows = (n: number) => Array.from({ length: n }, () => ({ newDocumentState: doc }));
		expect(PushBody.safeParse([]).success).toBe(true);
		expect(PushBody.safeParse(rows(PUSH_ROWS_MAX)).success).toBe(true);
		expect(PushBody.safeParse(rows(PUSH_ROWS_MAX + 1)).success).toBe(false);
		expect(PushBody.safeParse({ newDocumentState: doc }).success).toBe(false);
	});

	it('drops row keys it does not know', () => {
		expect(PushRow.parse({ newDocumentState: doc, extra: 1 })).toStrictEqual({ newDocumentState: doc });
	});
});

describe('answers', () => {
	it('PushResponse: conflicts and refusals with a known error code', () => {
		const ok = { conflicts: [{ id: 'a' }], rejected: [{ id: 'b', code: 'not_owner', message: 'x', path: ['location', 0] }] };
		expect(PushResponse.parse(ok)).toStrictEqual(ok);
		expect(PushResponse.safeParse({ conflicts: [], rejected: [{ id: 'b', code: 'no_such_code', message: 'x' }] }).success).toBe(false);
		expect(PushResponse.safeParse({ conflicts: [], rejected: [{ id: 'b', code: 'not_owner', message: 'x', path: [true] }] }).success).toBe(false);
		expect(PushResponse.safeParse({ conflicts: [] }).success).toBe(false);
	});

	it('PullResponse: documents, a checkpoint or null, and `more`', () => {
		const page = { documents: [{ id: 'a' }], checkpoint: { seq: 4, initial: null }, more: true };
		expect(PullResponse.parse(page)).toStrictEqual(page);
		expect(PullResponse.parse({ documents: [], checkpoint: null })).toStrictEqual({ documents: [], checkpoint: null });
		expect(PullResponse.safeParse({ documents: [], checkpoint: { seq: 4, initial: { seq: 1 } } }).success).toBe(false);
		expect(PullResponse.safeParse({ documents: [null], checkpoint: null }).success).toBe(false);
		expect(PullResponse.safeParse({ documents: [] }).success).toBe(false);
	});
});
