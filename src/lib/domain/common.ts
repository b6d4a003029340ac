import { z } from 'zod';
import { PHONE_SHAPE, stripPhone } from './phone';

/** Ids are made on the device (UUIDv7: time-ordered, so storage stays compact), so a retried push stores once. */
export const Id = z.uuid();
export const IsoTime = z.iso.datetime({ offset: true });
export const TenantId = z.string().regex(/^[a-z0-9-]{2,40}$/);
/** Every admin-unit code carries the code-set it belongs to: after the 2025 merger a new ward reuses an old code. */
export const CodeSet = z.string().regex(/^\d{4}$/);
export const AdminCode = z.string().regex(/^\d{5}$/);
export const UnitId = z.string().regex(/^[a-z0-9-]{2,60}$/);
export const ActorId = z.string().min(3).max(80);

/** Vietnamese mobile or landline number: 0xxxxxxxxx or +84xxxxxxxxx (the rule itself: phone.ts, without zod). */
export const Phone = z.string().transform(stripPhone).pipe(z.string().regex(PHONE_SHAPE));

export { canonicalPhone } from './phone';

/** Kept in its own zod-free module so light pages (the report form) can make ids without loading zod. */
export { uuidv7 } from './uuid';
