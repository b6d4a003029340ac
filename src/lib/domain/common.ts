import { z } from 'zod';

/** Ids are made on the device (UUIDv7: time-ordered, so storage stays compact), so a retried push stores once. */
export const Id = z.uuid();
export const IsoTime = z.iso.datetime({ offset: true });
export const TenantId = z.string().regex(/^[a-z0-9-]{2,40}$/);
/** Every admin-unit code carries the code-set it belongs to: after the 2025 merger a new ward reuses an old code. */
export const CodeSet = z.string().regex(/^\d{4}$/);
export const AdminCode = z.string().regex(/^\d{5}$/);
export const UnitId = z.string().regex(/^[a-z0-9-]{2,60}$/);
export const ActorId = z.string().min(3).max(80);

/** Vietnamese mobile or landline number: 0xxxxxxxxx or +84xxxxxxxxx. */
export const Phone = z
	.string()
	.transform((s) => s.replace(/[\s.-]/g, ''))
	.pipe(z.string().regex(/^(0|\+84)\d{9,10}$/));

/**
 * One spelling per number, so "0912 345 678", "0912.345.678" and "+84912345678" are the same person:
 * `Phone` drops spaces, dots and dashes and accepts 0… or +84…; here +84 becomes 0. Null when it is
 * not a Vietnamese number. The device sends this form; the server matches verified phones by it.
 */
export function canonicalPhone(raw: string | undefined | null): string | null {
	if (!raw) return null;
	const parsed = Phone.safeParse(raw);
	if (!parsed.success) return null;
	return parsed.data.startsWith('+84') ? `0${parsed.data.slice(3)}` : parsed.data;
}

/** Kept in its own zod-free module so light pages (the report form) can make ids without loading zod. */
export { uuidv7 } from './uuid';
