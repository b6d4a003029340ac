import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AdminCode } from '$lib/domain/common';
import { ADDRESS_QUERY } from '$lib/domain/parcel-address';
import { ParcelAddressList, ParcelAnswer, ZoningAnswer, ZoningWardList, ZoningWardPackage } from '$lib/domain/zoning';
import { ApiError } from '../http/api-error';
import { NotModified } from '../http/openapi';
import type { ZoningService } from './zoning.service';

const AtQuery = z.object({
	lat: z.coerce.number().min(-90).max(90),
	lng: z.coerce.number().min(-180).max(180),
	/** A day in an older plan's period: answered from that version (zoning-versions.ts). */
	date: z.iso.date().optional()
});
/** Sheet and number as typed ("Tờ 12", " 012 "): read by the service, so a typo is a 404 with its words, not a 400. */
const ParcelQuery = z.object({ ward: AdminCode, sheet: z.string().max(40), number: z.string().max(40) });
const WardParams = z.object({ code: AdminCode });
/** An address as typed: too short says nothing (and would list the whole ward), too long is no address. */
const AddressQuery = z.object({ ward: AdminCode, q: z.string().trim().min(ADDRESS_QUERY.min).max(ADDRESS_QUERY.max) });

/**
 * Per address and minute. A tap is one look-up, and people tap around; an address search is one per
 * pause in typing (the page waits for it); a ward's package is read once per device and revalidated
 * (304), so a few a minute is plenty.
 */
const LIMITS = { at: 300, parcels: 120, search: 180, ward: 30, wards: 60 };

const noZoning = () => new ApiError(404, 'zoning_none', 'Không có dữ liệu quy hoạch tại đây / No zoning data here');
const noParcel = () => new ApiError(404, 'parcel_unknown', 'Không có thửa đất này / No such parcel');

/**
 * The zoning look-up (public, no login), domain/zoning.ts:
 *   GET /api/zoning/at?lat=&lng=[&date=]         the zone at a point, its plan and land use, the parcel there
 *                                                (date: from the plan version in force that day)
 *   GET /api/zoning/parcels?ward=&sheet=&number= a parcel by map sheet and parcel number, with its zone(s)
 *   GET /api/zoning/parcels/search?ward=&q=      a ward's parcels by address as typed (no geometry), best first
 *   GET /api/zoning/wards                        the wards the plan covers (zones and parcels in each)
 *   GET /api/zoning/wards/:code                  all of a ward for offline use (ETag, compressed)
 */
export async function zoningRoutes(app: FastifyInstance, deps: { service: ZoningService; atDate?: (date: string, lat: number, lng: number) => Promise<ZoningAnswer | null> }) {
	const { service } = deps;
	const r = app.withTypeProvider<ZodTypeProvider>();
	const limit = (max: number) => ({ rateLimit: { max, timeWindow: 60_000 } });

	r.get('/api/zoning/at', { schema: { querystring: AtQuery, response: { 200: ZoningAnswer } }, config: limit(LIMITS.at) }, async (req, reply) => {
		const { lat, lng, date } = req.query;
		const answer = date && deps.atDate ? await deps.atDate(date, lat, lng) : service.at(lat, lng);
		if (!answer) throw noZoning();
		// A new plan version may come at any time: revalidate rather than trust a stale copy.
		reply.header('cache-control', 'no-cache');
		return answer;
	});

	r.get('/api/zoning/parcels', { schema: { querystring: ParcelQuery, response: { 200: ParcelAnswer } }, config: limit(LIMITS.parcels) }, async (req, reply) => {
		const answer = service.parcel(req.query.ward, req.query.sheet, req.query.number);
		if (!answer) throw noParcel();
		reply.header('cache-control', 'no-cache');
		return answer;
	});

	r.get('/api/zoning/parcels/search', { schema: { querystring: AddressQuery, response: { 200: ParcelAddressList } }, config: limit(LIMITS.search) }, async (req, reply) => {
		reply.header('cache-control', 'no-cache');
		return service.searchAddress(req.query.ward, req.query.q);
	});

	r.get('/api/zoning/wards', { schema: { response: { 200: ZoningWardList } }, config: limit(LIMITS.wards) }, async (_req, reply) => {
		const list = service.wardList();
		if (!list) throw noZoning();
		reply.header('cache-control', 'no-cache');
		return list;
	});

	r.get('/api/zoning/wards/:code', { schema: { params: WardParams, response: { 200: ZoningWardPackage, 304: NotModified } }, config: limit(LIMITS.ward) }, async (req, reply) => {
		const blob = service.ward(req.params.code);
		if (!blob) throw noZoning();
		reply.header('etag', blob.etag).header('cache-control', 'no-cache').header('vary', 'Accept-Encoding').type('application/json; charset=utf-8');
		const inm = req.headers['if-none-match'];
		if (typeof inm === 'string' && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === blob.etag)) return reply.status(304).send();
		// Compressed once per ward (the package is mostly coordinates: brotli takes it to about a fifth).
		// Bytes made once are sent as they are (never serialized again); the schema describes them.
		const made = (b: Buffer) => b as unknown as ZoningWardPackage;
		const accept = String(req.headers['accept-encoding'] ?? '');
		if (/\bbr\b/.test(accept)) return reply.header('content-encoding', 'br').send(made((await blob.encoded()).br));
		if (/\bgzip\b/.test(accept)) return reply.header('content-encoding', 'gzip').send(made((await blob.encoded()).gzip));
		return reply.send(made(blob.json));
	});
}
