import { z } from 'zod';
import type { RxJsonSchema } from 'rxdb';
import { Contact } from '../domain/contact';
import { ReportEvent } from '../domain/event';
import { Media } from '../domain/media';
import { Report } from '../domain/report';
import type { SyncCollection } from '../domain/sync-protocol';

/**
 * RxDB schemas derived from the zod schemas (one source of truth), plus what RxDB needs on top:
 * a primary key with maxLength, and indexed fields that are required and bounded. The inbox query
 * (newest received first, optionally by status) gets a compound index that matches it.
 */

type JsonSchema = Record<string, unknown> & { properties: Record<string, Record<string, unknown>>; required?: string[] };

/** ISO time with offset: '2025-07-01T08:00:00.000+07:00' is 29 chars. */
const ISO_MAX = 40;
const ID_MAX = 36;

function fromZod(schema: z.ZodType): JsonSchema {
	const json = z.toJSONSchema(schema, { target: 'draft-07', io: 'input', unrepresentable: 'any' }) as JsonSchema;
	delete json.$schema;
	// RxDB adds its own _deleted (and _rev, _meta, _attachments).
	delete json.properties._deleted;
	return json;
}

/**
 * Each collection's schema version. A device keeps what it stored under an older version (a step
 * written offline waits there to be pushed): RxDB migrates it with the strategies below when the
 * database opens. Change a synced zod schema -> bump its collection here and add a strategy;
 * rx-schemas.spec.ts pins each version's schema (hashes in tests/support/rx-schema-history.ts)
 * and fails until both are done.
 */
export const SCHEMA_VERSIONS: Record<SyncCollection, number> = { reports: 5, contacts: 0, events: 2, media: 1 };

/** A document of the version before, kept as it is: the version only added optional fields. */
const keep = (doc: Record<string, unknown>) => doc;

/** For each collection, version -> how a document of the version before becomes one of it. */
export const migrationStrategies: Record<SyncCollection, Record<number, (doc: any) => any>> = {
	reports: { 1: keep, 2: keep, 3: keep, 4: keep, 5: keep }, // 1: + status 'withdrawn', 'contested', leadUnitId; 2: + location source 'map' (a pin placed by hand); 3: + firstResponseAt, resolvedAt, reopenCount, satisfied; 4: + actedByUnitIds; 5: + filedVia (Open311)
	contacts: {},
	events: { 1: keep, 2: keep }, // 1: + publicNote, scope; 2: + types 'withdrawn', 'contested'
	media: { 1: keep } // + sha256
};

function rxSchema(
	schema: z.ZodType,
	version: number,
	opts: { bounded?: Record<string, number>; required?: string[]; indexes?: (string | string[])[] }
): RxJsonSchema<any> {
	const json = fromZod(schema);
	for (const [field, maxLength] of Object.entries({ id: ID_MAX, ...opts.bounded })) {
		json.properties[field] = { ...json.properties[field], maxLength };
	}
	const required = new Set([...(json.required ?? []), 'id', ...(opts.required ?? [])]);
	return {
		...json,
		version,
		primaryKey: 'id',
		type: 'object',
		properties: json.properties,
		required: [...required],
		indexes: opts.indexes ?? []
	} as RxJsonSchema<any>;
}

export const rxSchemas: Record<SyncCollection, RxJsonSchema<any>> = {
	// A handler's inbox: newest received first; the server always sets receivedAt and status.
	reports: rxSchema(Report, SCHEMA_VERSIONS.reports, {
		bounded: { receivedAt: ISO_MAX, status: 20 },
		required: ['receivedAt', 'status'],
		indexes: ['receivedAt', ['status', 'receivedAt']]
	}),
	contacts: rxSchema(Contact, SCHEMA_VERSIONS.contacts, { bounded: { reportId: ID_MAX }, indexes: ['reportId'] }),
	events: rxSchema(ReportEvent, SCHEMA_VERSIONS.events, { bounded: { reportId: ID_MAX, at: ISO_MAX }, indexes: [['reportId', 'at']] }),
	media: rxSchema(Media, SCHEMA_VERSIONS.media, { bounded: { reportId: ID_MAX }, indexes: ['reportId'] })
};

/**
 * Makes a pulled document fit the local schema: a report stored before the server derived its
 * fields gets them from what it has, so the inbox index never meets a hole.
 */
export function normalizePulled(collection: SyncCollection, doc: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = { ...doc, _deleted: doc._deleted === true };
	if (collection === 'reports') {
		out.receivedAt ??= doc.createdAt;
		out.status ??= 'received';
	}
	return out;
}
