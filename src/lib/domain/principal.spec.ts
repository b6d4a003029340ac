import { describe, expect, it } from 'vitest';
import { ActorRole, actorRoleOf } from './event';
import { OFFICIAL_ROLES, Principal, ROLES, Role, StaffRole } from './principal';

const resident = { sub: 'device:0197a3b0-0000-7000-8000-000000000001', role: 'resident', tenantId: 'lam-dong', unitIds: [] };

describe('Principal (token claims, server access checks, device session)', () => {
	it('knows exactly the six roles a signed-in identity can have', () => {
		expect([...ROLES].sort()).toEqual(['admin', 'handler', 'leader', 'operator', 'resident', 'volunteer']);
		for (const role of ROLES) expect(Principal.safeParse({ ...resident, role }).success).toBe(true);
	});

	it('refuses a role no one can sign in as, the system included', () => {
		for (const role of ['system', 'superuser', 'Handler', '', undefined])
			expect(Principal.safeParse({ ...resident, role }).success).toBe(false);
	});

	it('refuses claims missing any required field', () => {
		for (const field of ['sub', 'role', 'tenantId', 'unitIds'] as const) {
			const { [field]: _dropped, ...rest } = resident;
			expect(Principal.safeParse(rest).success, field).toBe(false);
		}
		expect(Principal.safeParse({ ...resident, sub: 'x' }).success).toBe(false);
		expect(Principal.safeParse({ ...resident, unitIds: [1] }).success).toBe(false);
	});

	it('keeps name and personId, and drops the token housekeeping claims', () => {
		const parsed = Principal.parse({ ...resident, name: 'Tổ CNS', personId: 'person:abc', iat: 1, exp: 2 });
		expect(parsed).toEqual({ ...resident, name: 'Tổ CNS', personId: 'person:abc' });
	});

	it('derives staff roles, officials and event actors from the same list', () => {
		expect(StaffRole.safeParse('resident').success).toBe(false);
		expect([...StaffRole.options].sort()).toEqual(['admin', 'handler', 'leader', 'operator', 'volunteer']);
		expect(OFFICIAL_ROLES.every((r) => Role.safeParse(r).success)).toBe(true);
		expect(OFFICIAL_ROLES).not.toContain('volunteer');
		// Every role writes events under its own name, but an operations centre operator writes none.
		expect([...ActorRole.options].sort()).toEqual([...ROLES.filter((r) => r !== 'operator'), 'system'].sort());
		expect(() => actorRoleOf('operator')).toThrow();
		expect(actorRoleOf('leader')).toBe('leader');
	});
});
