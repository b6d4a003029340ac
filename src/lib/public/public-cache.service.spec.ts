import { beforeEach, describe, expect, it } from 'vitest';
import type { PublicReport } from '$lib/domain/public';
import { localDb } from '$lib/sync/local-db';
import { distanceM, nearbyOpenReports, wardReports } from './public-cache.service';

const HERE = { lat: 11.9404, lng: 108.4583 };
/** A point `m` metres north of HERE. */
const north = (m: number) => ({ lat: HERE.lat + m / 111_195, lng: HERE.lng });

let n = 0;
function row(over: Partial<PublicReport> & { at?: string } = {}) {
	n++;
	const { at = `2025-06-01T08:${String(n).padStart(2, '0')}:00.000Z`, ...rest } = over;
	return {
		id: `0197a000-0000-7000-8000-${String(n).padStart(12, '0')}`,
		tenantId: 'lam-dong',
		categoryCode: 'environment',
		description: `report ${n}`,
		location: { source: 'gps' as const, ...north(100) },
		wardCode: '24781',
		photoIds: [],
		receivedAt: at,
		updatedAt: at,
		status: 'assigned' as const,
		assignedUnitIds: ['ubnd-xuan-huong'],
		seenByUnitIds: [],
		cachedAt: 0,
		...rest
	};
}

beforeEach(async () => {
	await localDb.publicReports.clear();
});

describe('distanceM', () => {
	it('measures metres on the ground', () => {
		expect(distanceM(HERE, north(300))).toBeCloseTo(300, 0);
	});
});

describe('nearbyOpenReports', () => {
	it('lists open reports of the same category within ~300 m, newest first, at most 5', async () => {
		const near = Array.from({ length: 6 }, (_, i) => row({ location: { source: 'gps', ...north(50 + i * 40) } }));
		await localDb.publicReports.bulkPut([
			...near,
			row({ location: { source: 'gps', ...north(450) } }), // too far
			row({ categoryCode: 'urban-order' }), // another category
			row({ status: 'resolved' }), // closed
			row({ status: 'invalid' }),
			row({ wardCode: '24778', location: { source: 'gps', ...north(120) } }) // next ward, but 120 m away
		]);
		const found = await nearbyOpenReports({ categoryCode: 'environment', wardCode: '24781', location: { source: 'gps', ...HERE } });
		expect(found).toHaveLength(5);
		expect(found.map((r) => r.description)).toEqual(['report 11', 'report 6', 'report 5', 'report 4', 'report 3']);
		expect(found[0]).toMatchObject({ wardCode: '24778', distanceM: 120 });
		expect(found.every((r) => r.distanceM! <= 300)).toBe(true);
	});

	it('falls back to the same ward when either side has no coordinates', async () => {
		await localDb.publicReports.bulkPut([
			row({ description: 'ward only', location: { source: 'ward' } }),
			row({ description: 'far, same ward', location: { source: 'gps', ...north(2000) } }),
			row({ description: 'other ward', wardCode: '24778', location: { source: 'ward' } })
		]);
		const byGps = await nearbyOpenReports({ categoryCode: 'environment', wardCode: '24781', location: { source: 'gps', ...HERE } });
		expect(byGps.map((r) => r.description)).toEqual(['ward only']);
		const byWard = await nearbyOpenReports({ categoryCode: 'environment', wardCode: '24781', location: { source: 'ward' } });
		expect(byWard.map((r) => r.description)).toEqual(['far, same ward', 'ward only']);
	});

	it('needs a category and a place', async () => {
		await localDb.publicReports.bulkPut([row()]);
		expect(await nearbyOpenReports({ categoryCode: '', wardCode: '24781' })).toEqual([]);
		expect(await nearbyOpenReports({ categoryCode: 'environment' })).toEqual([]);
	});
});

describe('wardReports', () => {
	it('lists a ward’s cached reports newest first', async () => {
		await localDb.publicReports.bulkPut([row({ at: '2025-01-01T00:00:00.000Z' }), row({ at: '2025-03-01T00:00:00.000Z' }), row({ wardCode: '24778' })]);
		expect((await wardReports('24781')).map((r) => r.receivedAt)).toEqual(['2025-03-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z']);
	});
});
