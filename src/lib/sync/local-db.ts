import Dexie, { type EntityTable, type Table } from 'dexie';
import type { ErrorCode } from '../domain/errors';
import type { Principal } from '../domain/principal';
import type { PublicReport, PublicReportDetail } from '../domain/public';
import type { Location } from '../domain/report';
import { storageName } from '../pwa/namespace';
import type { OutboxRow } from './outbox';
import type { TicketRequestRow, TicketRow } from '../office/ticket-rows';
import type { ApplicationView } from '../dossier/application-view';

/**
 * The device's own IndexedDB tables (Dexie, the same copy RxDB uses): identity, drafts, the photo
 * blobs, the outbox and the cached tenant data. Blobs live here, never in RxDB. No DOM use, so
 * the service worker opens the same database.
 */

/** Who this device is signed in as: the claims of its token, as the server reads them. */
export type SessionUser = Principal;

/** This device's anonymous identity: registered on first use, re-authenticates silently. */
export interface DeviceIdentity {
	key: 'device';
	deviceId: string;
	/** base64url of 32 random bytes; never leaves the device except to /api/auth/device. */
	secret: string;
	token?: string;
	/** ms since epoch */
	expiresAt?: number;
	user?: SessionUser;
}

/** A logged-in official; cleared on logout. */
export interface StaffSession {
	key: 'staff';
	username: string;
	token: string;
	expiresAt: number;
	user: SessionUser;
}

export type IdentityRow = DeviceIdentity | StaffSession;

/** The report form as typed so far; its id becomes the report's id when sent. */
export interface Draft {
	id: string;
	categoryCode: string;
	description: string;
	location?: Location;
	wardCode?: string;
	name: string;
	phone: string;
	photoIds: string[];
	/** Who filed: set when a volunteer files for a villager. */
	assistedBy?: string;
	updatedAt: number;
}

export type PhotoStatus = 'pending' | 'uploading' | 'done' | 'rejected';

export interface PhotoRow {
	/** The media id (UUIDv7): the server names the stored photo with it. */
	id: string;
	/** The draft's id, which is also the report's id once sent. */
	reportId: string;
	/** A photo of a handling step (progress, result): the event that carries it. */
	eventId?: string;
	/** The prepared (resized, EXIF-free) photo; dropped once uploaded to free the phone's storage. */
	blob?: Blob;
	mime: string;
	width: number;
	height: number;
	bytes: number;
	originalBytes?: number;
	/** GPS read from the original's EXIF, a location fallback. */
	gps?: { lat: number; lng: number } | null;
	/** The picked file's name, size and date (report/form-rules.ts photoKey): the same file is not added twice. Not indexed. */
	sourceKey?: string;
	/** The tus upload URL, kept so a half-sent photo resumes where it stopped. */
	uploadUrl?: string | null;
	sent: number;
	status: PhotoStatus;
	error?: ErrorCode;
	createdAt: number;
}

export interface TenantCacheRow {
	/**
	 * 'boundaries': the GeoJSON of earlier versions, turned into 'wardBoundaries' (compact, map/ward-lookup.ts);
	 * 'procedures': the procedure catalogue and its ETag (procedures/procedure-lookup.ts).
	 */
	key: 'config' | 'boundaries' | 'wardBoundaries' | 'procedures';
	value: unknown;
	fetchedAt: number;
}

/** A public report of an area, kept for the public pages and the duplicate check offline. */
export type PublicReportRow = PublicReport & { cachedAt: number };

/** How far the public reports of one ward have been fetched. */
export interface PublicAreaRow {
	wardCode: string;
	/** The `next` cursor of the last page (PublicReportPage). */
	since: string | null;
	syncedAt: number;
}

/** A report the resident follows (their own are followed anyway): notices come for it. */
export interface FollowRow {
	reportId: string;
	followedAt: number;
	/** The last copy from `GET /api/public/reports/:id` (src/lib/my/follows.ts), shown offline. */
	detail?: PublicReportDetail;
	/** ms: when `detail` was fetched. */
	fetchedAt?: number;
	/** The server no longer has the report (404). */
	missing?: boolean;
}

/** Something that happened on a report the resident follows, shown until read. */
export interface NoticeRow {
	/** The event's id: one notice per event. */
	id: string;
	reportId: string;
	type: string;
	at: string;
	read: 0 | 1;
}

/** Small settings of this device (push subscription, last notice check…). */
export interface SettingRow {
	key: string;
	value: unknown;
}

/**
 * An online application (dossier/…): the draft as typed, then the outbox row that sends it. Its id
 * becomes the application's id. `sending`: the application itself is being posted; `files`: it is
 * stored and its pages go one by one (`done` of `total`).
 */
export type ApplicationState =
	| { kind: 'draft' }
	| { kind: 'waiting' }
	| { kind: 'sending' }
	| { kind: 'files'; done: number; total: number }
	| { kind: 'delivered' }
	| { kind: 'needs_attention' };

export interface ApplicationRow {
	id: string;
	procedureCode: string;
	officeId: string;
	applicantName: string;
	applicantPhone: string;
	/** The procedure's fields as typed (ProcedureField.key → value). */
	form: Record<string, string>;
	note: string;
	state: ApplicationState;
	/** The server has stored the application: only its files remain to send. */
	pushed?: boolean;
	attempts: number;
	/** ms: not tried again before this (backoff). */
	nextAttemptAt?: number;
	/** Why it waits or was refused; `fields`/`indexes` name the form fields or documents at fault. */
	error?: { code: ErrorCode; message?: string; fields?: string[]; indexes?: number[] };
	/** Per document (its index in the procedure): pages sent of its pages, bytes sent of its bytes. */
	progress?: Record<number, { pages: number; sentPages: number; bytes: number; sentBytes: number }>;
	createdAt: number;
	updatedAt: number;
}

export type ApplicationFileStatus = 'pending' | 'uploading' | 'done' | 'rejected';

/** One page of a document of an application: a prepared photo or a PDF, kept until it is sent. */
export interface ApplicationFileRow {
	/** The file id (UUIDv7) the application lists: the server names the stored file with it. */
	id: string;
	applicationId: string;
	/** The document's index in `procedure.documents`. */
	docIndex: number;
	/** The page's place within its document. */
	order: number;
	/** Dropped once uploaded, to free the phone's storage. */
	blob?: Blob;
	mime: string;
	bytes: number;
	/** The picked file's name (a PDF shows it). */
	name?: string;
	/** The tus upload URL, kept so a half-sent file resumes where it stopped. */
	uploadUrl?: string | null;
	sent: number;
	status: ApplicationFileStatus;
	error?: ErrorCode;
}

/**
 * One of the resident's applications as `GET /api/dossier-applications/mine` last showed it (read
 * offline in /my), what of it the resident has seen, and an answer to a request for documents
 * whose pages are not all on the server yet.
 */
export interface MyApplicationRow {
	id: string;
	/** The server's `updatedAt`: the list's order. */
	updatedAt: string;
	view: ApplicationView;
	/** The `updatedAt` the resident last saw: a later one is news. */
	seenUpdatedAt?: string;
	/** ms: when `view` was fetched. */
	fetchedAt: number;
	/** Pages of an answer still to upload (the answer itself is on the server once `answered`). */
	pendingAnswer?: {
		answered: boolean;
		documents: { index: number; fileIds: string[] }[];
		note?: string;
		files: { id: string; blob: Blob; mime: string; uploadUrl?: string | null }[];
	};
}

class LocalDb extends Dexie {
	// A union of rows: EntityTable's insert type (Omit over a union) would lose the variants' fields.
	identity!: Table<IdentityRow, IdentityRow['key']>;
	drafts!: EntityTable<Draft, 'id'>;
	photos!: EntityTable<PhotoRow, 'id'>;
	outbox!: EntityTable<OutboxRow, 'reportId'>;
	tenant!: EntityTable<TenantCacheRow, 'key'>;
	publicReports!: EntityTable<PublicReportRow, 'id'>;
	publicAreas!: EntityTable<PublicAreaRow, 'wardCode'>;
	follows!: EntityTable<FollowRow, 'reportId'>;
	notices!: EntityTable<NoticeRow, 'id'>;
	settings!: EntityTable<SettingRow, 'key'>;
	/** Queue tickets of the one-stop office this device took, and takes still waiting for the network (office/tickets.service.ts). */
	tickets!: EntityTable<TicketRow, 'id'>;
	ticketRequests!: EntityTable<TicketRequestRow, 'ticketId'>;
	/** Online applications, draft to delivered, and their pages (dossier/application-store.ts). */
	applications!: EntityTable<ApplicationRow, 'id'>;
	applicationFiles!: EntityTable<ApplicationFileRow, 'id'>;
	/** The resident's applications as the server last showed them, for /my offline (dossier/my-applications.service.ts). */
	myApplications!: EntityTable<MyApplicationRow, 'id'>;

	constructor(name = storageName('cau-noi-local')) {
		super(name);
		this.version(1).stores({
			identity: 'key',
			drafts: 'id, updatedAt',
			photos: 'id, reportId',
			outbox: 'reportId, createdAt',
			tenant: 'key'
		});
		this.version(2).stores({
			photos: 'id, reportId, eventId',
			publicReports: 'id, wardCode, [categoryCode+wardCode], updatedAt',
			publicAreas: 'wardCode',
			follows: 'reportId',
			notices: 'id, reportId, at, read',
			settings: 'key'
		});
		// Only the new tables: Dexie keeps every table of the earlier versions as they were.
		this.version(3).stores({
			tickets: 'id, day',
			ticketRequests: 'ticketId, createdAt'
		});
		this.version(4).stores({
			applications: 'id, procedureCode, updatedAt',
			applicationFiles: 'id, applicationId',
			myApplications: 'id, updatedAt'
		});
	}
}

/** The one database of this origin: pages and the service worker share it. */
export const localDb = new LocalDb();
