import {
	APPLICATION_MOVES,
	applicationFileIds,
	checkApplication,
	DossierApplication,
	onlineDossierCode,
	type ApplicationAction,
	type ApplicationAnswer,
	type ApplicationStatus,
	type ApplicationFileState,
	type ApplicationView,
	type StoredApplication
} from '$lib/domain/dossier-application';
import { dueDate, publicDossier, type Dossier, type DossierStatus, type PublicDossier } from '$lib/domain/dossier';
import type { DossierNoticeType, DossierPushPayload } from '$lib/domain/notice-rules';
import { actsForOffice, type Office, type OfficeConfig } from '$lib/domain/office';
import type { Principal } from '$lib/domain/principal';
import type { Procedure } from '$lib/domain/procedure';
import { localDate, type WorkCalendar } from '$lib/domain/work-calendar';
import { ApiError } from '../http/api-error';
import type { Store, StoredDoc, Versioned } from '../storage/storage';
import type { ApplicationIndex, DossierSeq } from './application-index';
import { ApplicationRefused, laterStepAllowed, mergeAnswer, refusalOf, sameContent } from './application-rules';
import type { StoredDossier } from './dossier-import';
import type { FileClaims } from './file-claims';

/**
 * Online applications on the server (domain/dossier-application.ts): a resident files one, the
 * office's staff ask, accept or refuse, the resident answers or withdraws. Acceptance makes it a
 * Dossier (code, due date) anyone holding the code can follow; every step the office takes is told
 * to the applicant by Web Push.
 */

type AppDoc = StoredApplication & StoredDoc;
/** A dossier file as the files' helper records it once checked (store `dossier-files`). */
export interface DossierFileDoc extends StoredDoc {
	status: 'ready' | 'rejected';
	mime?: string;
	bytes?: number;
}

/** Applications one author may have waiting at once: a family files a few; a flood stops here. */
const OPEN_LIMIT = 20;
const OPEN: ReadonlySet<ApplicationStatus> = new Set(['submitted', 'needs_documents']);
const FILERS = new Set(['resident', 'volunteer']);
/** Dossier statuses the applicant hears of (domain/notice-rules.ts DossierNoticeType). */
const NOTICES: ReadonlySet<DossierStatus> = new Set<DossierNoticeType>(['needs_documents', 'accepted', 'refused', 'processing', 'result_ready', 'returned']);

export function createApplications(deps: {
	apps: Store<AppDoc>;
	files: Store<DossierFileDoc>;
	dossiers: Store<StoredDossier>;
	index: ApplicationIndex;
	seq: DossierSeq;
	claims: FileClaims;
	procedures: ReadonlyMap<string, Procedure>;
	offices: () => OfficeConfig | undefined;
	calendar: WorkCalendar | undefined;
	tenantId: string;
	now: () => Date;
	push: (recipients: string[], payload: DossierPushPayload, urgency: 'high' | 'normal') => Promise<void>;
	log: { warn(obj: unknown, msg: string): void };
}) {
	const officeOf = (id: string): Office | undefined => deps.offices()?.offices.find((o) => o.id === id);
	const isStaff = (p: Principal, o: Office | undefined) => !!o && actsForOffice(p, o);
	const isOwner = (p: Principal, a: StoredApplication) => a.authorId === p.sub || (!!a.personId && a.personId === p.personId);
	const forbidden = () => new ApiError(403, 'forbidden_scope', 'Bạn không xem được hồ sơ này / This application is not yours to see');

	function staffOf(p: Principal, officeId: string | undefined): Office {
		const o = officeId ? officeOf(officeId) : undefined;
		if (!isStaff(p, o)) throw new ApiError(403, 'forbidden_scope', 'Bạn không làm việc ở văn phòng này / You do not work at this office');
		return o!;
	}

	/** One read of all the files and one of the accepted ones' dossiers (their later steps, on time or not), whatever the length. */
	async function views(list: StoredApplication[]): Promise<ApplicationView[]> {
		const ids = list.flatMap(applicationFileIds);
		const codes = list.flatMap((a) => (a.status === 'accepted' && a.dossierCode ? [a.dossierCode] : []));
		const [held, dossiers] = await Promise.all([deps.files.getMany([...new Set(ids)]), codes.length ? deps.dossiers.getMany([...new Set(codes)]) : new Map<string, Versioned<StoredDossier>>()]);
		const now = deps.now();
		return list.map((a) => {
			const files: Record<string, ApplicationFileState> = {};
			for (const id of applicationFileIds(a)) {
				const f = held.get(id)?.doc;
				files[id] = f ? { status: f.status, ...(f.mime ? { mime: f.mime } : {}), ...(f.bytes ? { bytes: f.bytes } : {}) } : { status: 'waiting' };
			}
			const d = a.status === 'accepted' && a.dossierCode ? dossiers.get(a.dossierCode)?.doc : undefined;
			const p = deps.procedures.get(a.procedureCode);
			const o = officeOf(a.officeId);
			const { _deleted, _rev, ...rest } = a as AppDoc & { _rev?: string };
			return {
				...(rest as StoredApplication),
				files,
				...(d ? { dossier: publicDossier(d, now) } : {}),
				procedureNameVi: p?.nameVi ?? a.procedureCode,
				procedureNameEn: p?.nameEn ?? a.procedureCode,
				officeNameVi: o?.nameVi ?? a.officeId,
				officeNameEn: o?.nameEn ?? a.officeId
			};
		});
	}
	const view = async (a: StoredApplication): Promise<ApplicationView> => (await views([a]))[0];

	async function load(id: string): Promise<{ doc: AppDoc; rev: string }> {
		const held = (await deps.apps.getMany([id])).get(id);
		if (!held) throw new ApiError(404, 'application_unknown', 'Không có hồ sơ này / No such application');
		return held;
	}

	function notify(a: StoredApplication, type: DossierNoticeType, extra: Pick<DossierPushPayload, 'dossierCode' | 'dueAt'> = {}): void {
		const p = deps.procedures.get(a.procedureCode);
		const payload: DossierPushPayload = {
			kind: 'dossier',
			applicationId: a.id,
			type,
			procedureVi: p?.nameVi ?? a.procedureCode,
			procedureEn: p?.nameEn ?? a.procedureCode,
			...extra,
			at: deps.now().toISOString()
		};
		const urgency = type === 'needs_documents' || type === 'result_ready' ? 'high' : 'normal';
		// Not awaited: the office's click does not wait for the browser vendors' push services.
		void deps.push([a.authorId, ...(a.personId ? [a.personId] : [])], payload, urgency).catch((err) => deps.log.warn({ err }, 'dossier notice push failed'));
	}

	/** Writes the next state over exactly the one read; someone else's move in between is `application_state`. */
	async function move(held: { doc: AppDoc; rev: string }, next: AppDoc): Promise<AppDoc> {
		await deps.index.moved(held.doc, next);
		const [r] = await deps.apps.bulkPut([{ doc: next, rev: held.rev }]);
		if (!r.ok) {
			if (r.conflict) throw new ApiError(409, 'application_state', 'Hồ sơ vừa được xử lý ở nơi khác / The application was just handled elsewhere');
			throw new Error(`application write failed: ${r.error}`);
		}
		return next;
	}

	function allow(a: StoredApplication, m: (typeof APPLICATION_MOVES)[ApplicationStatus][number]): void {
		if (!APPLICATION_MOVES[a.status].includes(m))
			throw new ApiError(409, 'application_state', 'Hồ sơ không ở bước cho phép việc này / The application is not at a step that allows this');
	}

	const step = (status: ApplicationStatus, by: string, note?: string) => ({ at: deps.now().toISOString(), status, ...(note ? { note } : {}), by });
	const staffName = (p: Principal) => p.name ?? p.sub;

	async function claimFiles(applicationId: string, ownerId: string, fileIds: string[]): Promise<void> {
		const { taken } = await deps.claims.claimAll(applicationId, ownerId, fileIds);
		if (taken.length) throw new ApplicationRefused(409, 'photo_taken', 'Tệp này thuộc hồ sơ khác / A file belongs to another application', { fileIds: taken });
	}

	async function accept(p: Principal, held: { doc: AppDoc; rev: string }, o: Office, note?: string): Promise<AppDoc> {
		const a = held.doc;
		const procedure = deps.procedures.get(a.procedureCode);
		if (!deps.calendar || !procedure)
			throw new ApiError(409, 'application_state', 'Chưa có lịch làm việc hoặc thủ tục để tính hạn / No calendar or procedure to count the due date on');
		const now = deps.now();
		const day = localDate(deps.calendar, now);
		const seq = await deps.seq.claim(o.id, day, a.id, now.toISOString());
		const code = onlineDossierCode(o.dossierCodePrefix ?? o.id, day, seq);
		const dueAt = dueDate(deps.calendar, now, procedure.processingDays).toISOString();
		const at = now.toISOString();
		const dossier: StoredDossier = {
			id: code,
			code,
			tenantId: deps.tenantId,
			procedureCode: a.procedureCode,
			applicantName: a.applicantName,
			...(a.applicantPhone ? { applicantPhone: a.applicantPhone } : {}),
			receivedAt: a.receivedAt,
			dueAt,
			status: 'accepted',
			steps: [{ at: a.receivedAt, status: 'submitted' }, { at, status: 'accepted', ...(note ? { noteVi: note.slice(0, 500) } : {}) }],
			source: 'online',
			officeId: o.id,
			applicationId: a.id,
			updatedAt: at
		};
		const [d] = await deps.dossiers.bulkPut([{ doc: dossier, rev: null }]);
		if (!d.ok) throw new Error(`dossier ${code}: ${d.error}`);
		const next: AppDoc = { ...a, status: 'accepted', dossierCode: code, dueAt, steps: [...a.steps, step('accepted', staffName(p), note)], updatedAt: at };
		try {
			return await move(held, next);
		} catch (e) {
			// Another staff member moved it first: this code is left issued but unused (never given twice).
			const written = (await deps.dossiers.getMany([code])).get(code);
			if (written) await deps.dossiers.bulkPut([{ doc: { ...written.doc, _deleted: true }, rev: written.rev }]).catch(() => undefined);
			await deps.seq.void(o.id, day, seq).catch(() => undefined);
			throw e;
		}
	}

	return {
		view,

		/** Files an application: 201 when new, 200 when the same one arrives again (a retried push). */
		async submit(p: Principal, body: unknown): Promise<{ created: boolean; view: ApplicationView }> {
			if (!FILERS.has(p.role)) throw new ApiError(403, 'forbidden_scope', 'Chỉ người dân hoặc tình nguyện viên nộp hồ sơ / Only residents and volunteers file applications');
			const parsed = DossierApplication.safeParse(body);
			if (!parsed.success) {
				const i = parsed.error.issues[0];
				throw new ApiError(400, 'validation_failed', `Hồ sơ không hợp lệ / Invalid application: ${i?.path.join('.')} ${i?.message}`);
			}
			const app = parsed.data;
			const again = async (held: StoredApplication | null) => {
				if (!held) return null;
				if (held.authorId !== p.sub || !sameContent(held, app))
					throw new ApiError(409, 'application_state', 'Mã hồ sơ này đã được dùng / This application id is already in use');
				return { created: false, view: await view(held) };
			};
			const first = await again(await deps.apps.get(app.id));
			if (first) return first;
			const procedure = deps.procedures.get(app.procedureCode);
			if (!procedure) throw new ApiError(404, 'not_found', 'Không có thủ tục này / No such procedure');
			if (!officeOf(app.officeId)) throw new ApiError(404, 'not_found', 'Không có văn phòng này / No such office');
			const refusal = refusalOf(checkApplication(app, procedure));
			if (refusal) throw refusal;
			const own = await deps.apps.getMany(await deps.index.ofOwner(p.sub));
			if ([...own.values()].filter((v) => v.doc.authorId === p.sub && OPEN.has(v.doc.status)).length >= OPEN_LIMIT)
				throw new ApiError(429, 'rate_limited', `Bạn đang có ${OPEN_LIMIT} hồ sơ chờ xử lý / You have ${OPEN_LIMIT} applications waiting already`);
			await claimFiles(app.id, p.sub, applicationFileIds(app));
			const at = deps.now().toISOString();
			const doc: AppDoc = {
				...app,
				tenantId: deps.tenantId,
				authorId: p.sub,
				...(p.personId ? { personId: p.personId } : {}),
				receivedAt: at,
				status: 'submitted',
				steps: [{ at, status: 'submitted', by: 'resident' }],
				updatedAt: at
			};
			await deps.index.add(doc);
			const [r] = await deps.apps.bulkPut([{ doc, rev: null }]);
			if (!r.ok) {
				if (!r.conflict) throw new Error(`application write failed: ${r.error}`);
				const raced = await again(await deps.apps.get(app.id));
				if (raced) return raced;
			}
			return { created: true, view: await view(doc) };
		},

		/** The caller's own applications, newest first. */
		async mine(p: Principal): Promise<ApplicationView[]> {
			const ids = (await deps.index.ofOwner(p.sub, p.personId)).reverse();
			const held = await deps.apps.getMany(ids);
			const own = ids.flatMap((id) => {
				const a = held.get(id)?.doc;
				return a && isOwner(p, a) ? [a] : [];
			});
			return views(own);
		},

		async get(p: Principal, id: string): Promise<ApplicationView> {
			const { doc } = await load(id);
			if (!isOwner(p, doc) && !isStaff(p, officeOf(doc.officeId))) throw forbidden();
			return view(doc);
		},

		/** The office's queue: these statuses, oldest received first. */
		async queue(p: Principal, officeId: string, statuses: ApplicationStatus[]): Promise<ApplicationView[]> {
			staffOf(p, officeId);
			const ids = (await Promise.all(statuses.map((s) => deps.index.ofOffice(officeId, s)))).flat();
			const held = await deps.apps.getMany([...new Set(ids)]);
			const rows = [...held.values()].map((v) => v.doc).filter((a) => a.officeId === officeId && statuses.includes(a.status));
			rows.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.id.localeCompare(b.id));
			return views(rows);
		},

		async answer(p: Principal, id: string, answer: ApplicationAnswer): Promise<ApplicationView> {
			const held = await load(id);
			const a = held.doc;
			if (a.authorId !== p.sub) throw forbidden();
			allow(a, 'answer');
			const procedure = deps.procedures.get(a.procedureCode);
			if (!procedure) throw new ApiError(404, 'not_found', 'Không có thủ tục này / No such procedure');
			const documents = mergeAnswer(a.documents, answer);
			const whole = DossierApplication.shape.documents.safeParse(documents);
			if (!whole.success) throw new ApiError(400, 'validation_failed', 'Quá nhiều trang cho một giấy tờ / Too many pages for one document');
			const refusal = refusalOf(checkApplication({ form: a.form, documents }, procedure));
			if (refusal) throw refusal;
			await claimFiles(a.id, a.authorId, applicationFileIds(answer));
			const next: AppDoc = { ...a, documents, status: 'submitted', steps: [...a.steps, step('submitted', 'resident', answer.note)], updatedAt: deps.now().toISOString() };
			return view(await move(held, next));
		},

		async withdraw(p: Principal, id: string): Promise<ApplicationView> {
			const held = await load(id);
			if (held.doc.authorId !== p.sub) throw forbidden();
			allow(held.doc, 'withdraw');
			const next: AppDoc = { ...held.doc, status: 'withdrawn', steps: [...held.doc.steps, step('withdrawn', 'resident')], updatedAt: deps.now().toISOString() };
			return view(await move(held, next));
		},

		/** What the office's staff do: ask for documents, accept (code, due date, dossier), refuse. */
		async act(p: Principal, id: string, action: ApplicationAction): Promise<ApplicationView> {
			const held = await load(id);
			const a = held.doc;
			const o = staffOf(p, a.officeId);
			allow(a, action.action);
			const at = deps.now().toISOString();
			if (action.action === 'accept') {
				const done = await accept(p, held, o, action.note);
				notify(done, 'accepted', { dossierCode: done.dossierCode, dueAt: done.dueAt });
				return view(done);
			}
			const status = action.action === 'ask' ? 'needs_documents' : 'refused';
			const done = await move(held, { ...a, status, steps: [...a.steps, step(status, staffName(p), action.note)], updatedAt: at });
			notify(done, status);
			return view(done);
		},

		/** A later step of an online dossier, by staff of the office that accepted it. */
		async dossierStep(p: Principal, code: string, to: 'processing' | 'result_ready' | 'returned', note?: string): Promise<PublicDossier> {
			const held = (await deps.dossiers.getMany([code])).get(code);
			if (!held) throw new ApiError(404, 'dossier_unknown', 'Không có hồ sơ với mã này / No dossier has this code');
			const d = held.doc;
			staffOf(p, d.officeId);
			if (!laterStepAllowed(d.status, to))
				throw new ApiError(409, 'application_state', 'Hồ sơ không ở bước cho phép việc này / The dossier is not at a step that allows this');
			const at = deps.now().toISOString();
			const next: StoredDossier = { ...d, status: to, steps: [...d.steps, { at, status: to, ...(note ? { noteVi: note } : {}) }], updatedAt: at };
			const [r] = await deps.dossiers.bulkPut([{ doc: next, rev: held.rev }]);
			if (!r.ok) throw new ApiError(409, 'application_state', 'Hồ sơ vừa được cập nhật ở nơi khác / The dossier was just updated elsewhere');
			const app = d.applicationId ? await deps.apps.get(d.applicationId) : null;
			if (app) notify(app, to, { dossierCode: d.code, dueAt: d.dueAt });
			return publicDossier(next, deps.now());
		},

		/**
		 * Online dossiers whose status an import just changed (the one-stop system's later steps): told
		 * to their applicants as the staff's steps are. The application is read by the dossier's
		 * applicationId and must name the dossier back, so a feed cannot point a dossier at someone.
		 */
		async dossiersMoved(moved: Dossier[]): Promise<void> {
			const told = moved.filter((d): d is Dossier & { applicationId: string } => !!d.applicationId && NOTICES.has(d.status));
			if (!told.length) return;
			try {
				const apps = await deps.apps.getMany([...new Set(told.map((d) => d.applicationId))]);
				for (const d of told) {
					const a = apps.get(d.applicationId)?.doc;
					if (a?.dossierCode === d.code) notify(a, d.status as DossierNoticeType, { dossierCode: d.code, dueAt: d.dueAt });
				}
			} catch (err) {
				// The import is written already: its report stands, only the notices are lost.
				deps.log.warn({ err }, 'dossier import notices failed');
			}
		}
	};
}
export type Applications = ReturnType<typeof createApplications>;
