import { createHash, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { ApiError } from '../http/api-error';
import type { Store, StoredDoc } from '../storage/storage';
import type { Principal, StaffRole } from '$lib/domain/principal';
import { canonicalUsername } from './username';

/** A staff account, stored in `users` under its username. */
export interface UserDoc extends StoredDoc {
	id: string;
	username: string;
	passwordHash: string;
	role: StaffRole;
	tenantId: string;
	unitIds: string[];
	name: string;
	/** A handler heading their units: sees the operations centre for them (domain/principal.ts). */
	unitHead?: true;
}

/** An anonymous resident device: only the SHA-256 of its secret is kept. */
export interface DeviceDoc extends StoredDoc {
	id: string;
	secretSha256: string;
	tenantId: string;
	createdAt: string;
	/** Set when the device verified a phone by one-time code (sync-server/otp): its tokens carry it. */
	personId?: string;
}

const BAD_CREDENTIALS = () =>
	new ApiError(401, 'bad_credentials', 'Sai tên đăng nhập hoặc mật khẩu / Wrong username or password');

export const hashPassword = (password: string) => hash(password);

export function staffPrincipal(u: UserDoc): Principal {
	return { sub: `staff:${u.username}`, role: u.role, tenantId: u.tenantId, unitIds: u.unitIds, name: u.name, ...(u.unitHead && u.role === 'handler' ? { unitHead: true } : {}) };
}

export function createAccountsService(users: Store<UserDoc>, devices: Store<DeviceDoc>, tenantId: string) {
	// Verifying against a real hash when the user does not exist keeps the answer time the same,
	// so a login cannot tell which usernames exist.
	let dummyHash: Promise<string> | null = null;

	return {
		async login(username: string, password: string): Promise<Principal> {
			// The same canonical form the login limiters key on (auth.routes.ts).
			const user = await users.get(canonicalUsername(username));
			if (!user) {
				dummyHash ??= hash('not-a-password');
				await verify(await dummyHash, password).catch(() => false);
				throw BAD_CREDENTIALS();
			}
			const ok = await verify(user.passwordHash, password).catch(() => false);
			if (!ok) throw BAD_CREDENTIALS();
			return staffPrincipal(user);
		},

		/** First call registers the device; later calls must present the same secret. */
		async device(deviceId: string, secret: string): Promise<Principal> {
			const digest = createHash('sha256').update(secret).digest('hex');
			const principal: Principal = { sub: `device:${deviceId}`, role: 'resident', tenantId, unitIds: [] };
			for (let attempt = 0; attempt < 2; attempt++) {
				const existing = await devices.get(deviceId);
				if (existing) {
					const a = new Uint8Array(Buffer.from(existing.secretSha256, 'hex'));
					const b = new Uint8Array(Buffer.from(digest, 'hex'));
					if (a.length !== b.length || !timingSafeEqual(a, b))
						throw new ApiError(401, 'bad_credentials', 'Khóa thiết bị không khớp / Device secret does not match');
					return existing.personId ? { ...principal, personId: existing.personId } : principal;
				}
				const [res] = await devices.bulkPut([
					{ doc: { id: deviceId, secretSha256: digest, tenantId, createdAt: new Date().toISOString() }, rev: null }
				]);
				if (res.ok) return principal;
				// Another request registered it first: compare against what it stored.
				if (!res.conflict) throw new Error(res.error);
			}
			throw BAD_CREDENTIALS();
		},

		/**
		 * Records the verified person of a device (after a one-time code), so every token it gets from
		 * now on carries `personId`. Written at the revision read; a concurrent write reads it again.
		 */
		async linkDevice(deviceId: string, personId: string): Promise<void> {
			for (let attempt = 0; attempt < 5; attempt++) {
				const cur = (await devices.getMany([deviceId])).get(deviceId);
				if (!cur) throw new ApiError(401, 'bad_credentials', 'Thiết bị chưa đăng ký / Unknown device');
				if (cur.doc.personId === personId) return;
				const [res] = await devices.bulkPut([{ doc: { ...cur.doc, personId }, rev: cur.rev }]);
				if (res.ok) return;
				if (!res.conflict) throw new Error(res.error);
			}
			throw new Error('Could not link the device after 5 attempts');
		}
	};
}
export type AccountsService = ReturnType<typeof createAccountsService>;
