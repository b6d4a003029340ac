import { z } from 'zod';
import { AdminCode, CodeSet, TenantId, UnitId } from './common';

export const AdminUnit = z.strictObject({
	code: AdminCode,
	codeSet: CodeSet,
	name: z.string(),
	nameEn: z.string(),
	/** phường | xã | đặc khu */
	type: z.string()
});
export type AdminUnit = z.infer<typeof AdminUnit>;

export const Category = z.strictObject({
	code: z.string().regex(/^[a-z0-9-]+$/),
	nameVi: z.string(),
	nameEn: z.string(),
	/** An emoji: shows without an icon font or a network. */
	icon: z.string()
});
export type Category = z.infer<typeof Category>;

export const Unit = z.strictObject({
	id: UnitId,
	nameVi: z.string(),
	nameEn: z.string(),
	/** The admin units (wards/communes) this unit covers, if it is a local one. */
	wardCodes: z.array(AdminCode).optional()
});
export type Unit = z.infer<typeof Unit>;

/**
 * A report whose category and ward match goes to every unit of every matching rule, at once.
 * `'*'` matches any category or ward; `'$ward'` in unitIds stands for the ward's own committee
 * (the unit whose wardCodes contain the report's ward).
 */
export const RoutingRule = z.strictObject({
	categories: z.union([z.literal('*'), z.array(z.string()).min(1)]),
	wards: z.union([z.literal('*'), z.array(AdminCode).min(1)]),
	unitIds: z.array(z.union([UnitId, z.literal('$ward')])).min(1)
});
export type RoutingRule = z.infer<typeof RoutingRule>;

export const SlaHours = z.strictObject({
	/** Hours from receipt until a handler is expected on site. */
	onSite: z.number().positive(),
	/** Hours from receipt until a handler is expected to report back. */
	report: z.number().positive()
});
export type SlaHours = z.infer<typeof SlaHours>;

/**
 * How devices encode photos before sending: a tenant whose residents have better links may want
 * larger photos. Defaults (1600 px, q0.7, WebP where the browser encodes it) were chosen by
 * measurement: see docs/BENCHMARKS.md.
 */
export const PhotoEncoding = z.strictObject({
	longSide: z.number().int().min(640).max(4096),
	quality: z.number().min(0.3).max(0.95),
	/** `auto`: WebP where the browser can encode it, JPEG otherwise. */
	format: z.enum(['auto', 'jpeg'])
});
export type PhotoEncoding = z.infer<typeof PhotoEncoding>;

export const TenantConfig = z.strictObject({
	id: TenantId,
	nameVi: z.string(),
	nameEn: z.string(),
	codeSet: CodeSet,
	/** Short prefix of tracking codes, e.g. "LD". */
	trackingPrefix: z.string().regex(/^[A-Z]{2,4}$/),
	adminUnits: z.array(AdminUnit),
	categories: z.array(Category).min(1),
	units: z.array(Unit).min(1),
	routingRules: z.array(RoutingRule),
	/** Units that receive a report no rule matched, so nothing falls through. */
	fallbackUnitIds: z.array(UnitId).min(1),
	sla: z.strictObject({ default: SlaHours, byCategory: z.record(z.string(), SlaHours) }),
	photoEncoding: PhotoEncoding.optional(),
	/** Where the map's view starts. */
	center: z.strictObject({ lat: z.number(), lng: z.number(), zoom: z.number() })
});
export type TenantConfig = z.infer<typeof TenantConfig>;
