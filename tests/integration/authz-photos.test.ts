/**
 * Who may do what with a photo, role by role, against the real sync-server. Every expected answer
 * is written by hand: a change in who may upload or see a photo must change this table.
 *
 * Targets, made fresh for each role so one row's upload cannot change another's answer:
 *   A  a report of Ana's (a resident), routed to the Lâm Viên ward committee
 *   V  a villager's report filed by the Lạc Dương volunteer team (assistedBy)
 *   B  a report of Bình's (another resident)
 *   S  a photo of A's that Ana has already uploaded (for the reads)
 * and a report id the server has never seen (a stranger may not take a photo id ahead of its report).
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '$lib/domain/common';
import { uploadPhoto } from '$lib/sync/photo-uploader';
import { fileReport, signIn, startServer, type Session, type TestServer } from './harness';

type Role = 'anonymous' | 'author' | 'otherResident' | 'assistingVolunteer' | 'otherVolunteer' | 'assignedHandler' | 'otherUnitHandler' | 'leader';
type Action =
	| 'upload A’s listed photo'
	| 'upload V’s listed photo'
	| 'upload B’s photo naming A'
	| 'upload unlisted id naming A'
	| 'upload step photo on A'
	| 'upload naming an unseen report'
	| 'read S'
	| 'read S thumb'
	| 'public read S';

/** [HTTP status, error code] — the code is absent on success. */
type Answer = [number, string?];
const OK_CREATED: Answer = [201];
const OK: Answer = [200];
const ANON: Answer = [401, 'unauthenticated'];
const NOT_OWNER: Answer = [403, 'not_owner'];
const SCOPE: Answer = [403, 'forbidden_scope'];
const IMMUTABLE: Answer = [422, 'report_immutable'];
/** Not taken now, not refused for good either: the device sends it again once its report has arrived. */
const UNSEEN: Answer = [404, 'media_unknown_report'];

const EXPECTED: Record<Role, Record<Action, Answer>> = {
	anonymous: {
		'upload A’s listed photo': ANON,
		'upload V’s listed photo': ANON,
		'upload B’s photo naming A': ANON,
		'upload unlisted id naming A': ANON,
		'upload step photo on A': ANON,
		'upload naming an unseen report': ANON,
		'read S': ANON,
		'read S thumb': ANON,
		'public read S': OK
	},
	author: {
		'upload A’s listed photo': OK_CREATED,
		'upload V’s listed photo': NOT_OWNER,
		'upload B’s photo naming A': IMMUTABLE,
		'upload unlisted id naming A': IMMUTABLE,
		// A resident's answer to a handler's question may carry photos.
		'upload step photo on A': OK_CREATED,
		'upload naming an unseen report': UNSEEN,
		'read S': OK,
		'read S thumb': OK,
		'public read S': OK
	},
	otherResident: {
		'upload A’s listed photo': NOT_OWNER,
		'upload V’s listed photo': NOT_OWNER,
		'upload B’s photo naming A': NOT_OWNER,
		'upload unlisted id naming A': NOT_OWNER,
		'upload step photo on A': NOT_OWNER,
		'upload naming an unseen report': UNSEEN,
		'read S': SCOPE,
		'read S thumb': SCOPE,
		'public read S': OK
	},
	assistingVolunteer: {
		'upload A’s listed photo': NOT_OWNER,
		'upload V’s listed photo': OK_CREATED,
		'upload B’s photo naming A': NOT_OWNER,
		'upload unlisted id naming A': NOT_OWNER,
		'upload step photo on A': NOT_OWNER,
		'upload naming an unseen report': UNSEEN,
		'read S': SCOPE,
		'read S thumb': SCOPE,
		'public read S': OK
	},
	otherVolunteer: {
		'upload A’s listed photo': NOT_OWNER,
		'upload V’s listed photo': NOT_OWNER,
		'upload B’s photo naming A': NOT_OWNER,
		'upload unlisted id naming A': NOT_OWNER,
		'upload step photo on A': NOT_OWNER,
		'upload naming an unseen report': UNSEEN,
		'read S': SCOPE,
		'read S thumb': SCOPE,
		'public read S': OK
	},
	assignedHandler: {
		// Staff add photos to their own handling steps only, never to a resident's report.
		'upload A’s listed photo': NOT_OWNER,
		'upload V’s listed photo': NOT_OWNER,
		'upload B’s photo naming A': NOT_OWNER,
		'upload unlisted id naming A': NOT_OWNER,
		'upload step photo on A': OK_CREATED,
		'upload naming an unseen report': UNSEEN,
		'read S': OK,
		'read S thumb': OK,
		'public read S': OK
	},
	otherUnitHandler: {
		'upload A’s listed photo': NOT_OWNER,
		'upload V’s listed photo': NOT_OWNER,
		'upload B’s photo naming A': NOT_OWNER,
		'upload unlisted id naming A': NOT_OWNER,
		'upload step photo on A': SCOPE,
		'upload naming an unseen report': UNSEEN,
		'read S': SCOPE,
		'read S thumb': SCOPE,
		'public read S': OK
	},
	leader: {
		'upload A’s listed photo': NOT_OWNER,
		'upload V’s listed photo': NOT_OWNER,
		'upload B’s photo naming A': NOT_OWNER,
		'upload unlisted id naming A': NOT_OWNER,
		'upload step photo on A': OK_CREATED,
		'upload naming an unseen report': UNSEEN,
		'read S': OK,
		'read S thumb': OK,
		'public read S': OK
	}
};

let srv: TestServer;
let sessions: Record<Exclude<Role, 'anonymous'>, Session>;
let storedPhoto: string;
let jpeg: Blob;

beforeAll(async () => {
	srv = await startServer();
	const [author, otherResident, assistingVolunteer, otherVolunteer, assignedHandler, otherUnitHandler, leader] = await signIn(
		srv.url,
		'device',
		'device',
		'tcns-lang-biang',
		'tcns-xuan-truong',
		'ubnd-lam-vien',
		'police',
		'lanhdao'
	);
	sessions = { author, otherResident, assistingVolunteer, otherVolunteer, assignedHandler, otherUnitHandler, leader };
	const buf = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#468' } }).jpeg().toBuffer();
	jpeg = new Blob([new Uint8Array(buf)], { type: 'image/jpeg' });
	storedPhoto = uuidv7();
	const s = await fileReport(srv.url, author, { photoIds: [storedPhoto] });
	expect(s.assignedUnitIds).toContain('ubnd-lam-vien');
	expect(s.assignedUnitIds).not.toContain('police');
	await uploadPhoto({ id: storedPhoto, reportId: s.id, blob: jpeg, mime: 'image/jpeg' }, { endpoint: `${srv.url}/api/media/uploads`, getToken: async () => author.token });
});
afterAll(() => srv?.close());

const b64 = (v: string) => Buffer.from(v).toString('base64');

async function answer(res: Response): Promise<Answer> {
	const text = await res.text();
	if (res.ok) return [res.status];
	return [res.status, (JSON.parse(text) as { error: { code: string } }).error.code];
}

/** A tus "create" as the device sends it (no bytes yet): the answer says whether the photo is theirs to send. */
async function create(token: string | undefined, meta: { mediaId: string; reportId: string; eventId?: string }): Promise<Answer> {
	const metadata = Object.entries(meta).map(([k, v]) => `${k} ${b64(v)}`);
	const res = await fetch(`${srv.url}/api/media/uploads`, {
		method: 'POST',
		headers: {
			'Tus-Resumable': '1.0.0',
			'Upload-Length': String(jpeg.size),
			'Upload-Metadata': [...metadata, `filetype ${b64('image/jpeg')}`].join(','),
			...(token ? { Authorization: `Bearer ${token}` } : {})
		}
	});
	return answer(res);
}

async function act(role: Role, action: Action): Promise<Answer> {
	const token = role === 'anonymous' ? undefined : sessions[role].token;
	const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
	// Fresh targets for each cell.
	const a = { photo: uuidv7(), other: uuidv7() };
	const A = await fileReport(srv.url, sessions.author, { photoIds: [a.photo] });
	switch (action) {
		case 'upload A’s listed photo':
			return create(token, { mediaId: a.photo, reportId: A.id });
		case 'upload V’s listed photo': {
			const photo = uuidv7();
			const vol = sessions.assistingVolunteer;
			const V = await fileReport(srv.url, vol, { photoIds: [photo], assistedBy: vol.user.sub, wardCode: '24778' });
			return create(token, { mediaId: photo, reportId: V.id });
		}
		case 'upload B’s photo naming A': {
			await fileReport(srv.url, sessions.otherResident, { photoIds: [a.other] });
			return create(token, { mediaId: a.other, reportId: A.id });
		}
		case 'upload unlisted id naming A':
			return create(token, { mediaId: a.other, reportId: A.id });
		case 'upload step photo on A':
			return create(token, { mediaId: a.other, reportId: A.id, eventId: uuidv7() });
		case 'upload naming an unseen report':
			return create(token, { mediaId: uuidv7(), reportId: uuidv7() });
		case 'read S':
			return answer(await fetch(`${srv.url}/api/media/${storedPhoto}`, { headers: auth }));
		case 'read S thumb':
			return answer(await fetch(`${srv.url}/api/media/${storedPhoto}/thumb`, { headers: auth }));
		case 'public read S':
			return answer(await fetch(`${srv.url}/api/public/media/${storedPhoto}`, { headers: auth }));
	}
}

describe('photos: role × action', () => {
	for (const role of Object.keys(EXPECTED) as Role[]) {
		it(`${role}`, async () => {
			const got: Record<string, Answer> = {};
			for (const action of Object.keys(EXPECTED[role]) as Action[]) got[action] = await act(role, action);
			expect(got).toEqual(EXPECTED[role]);
		});
	}
});
