import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_DIR } from '../config';
import { loadTenant, tenantSummary, TenantFolderError } from './tenant-loader';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const dirs: string[] = [];
afterEach(async () => {
	await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A copy of the shipped tenant folder, with tenant.json and the boundaries changed by `edit`. */
async function folder(edit: (tenant: Json, boundaries: Json) => void = () => {}): Promise<string> {
	const dir = await mkdtemp(path.join(tmpdir(), 'caunoi-tenant-'));
	dirs.push(dir);
	await cp(DEFAULT_TENANT_DIR, dir, { recursive: true });
	const tenant = JSON.parse(await readFile(path.join(dir, 'tenant.json'), 'utf8'));
	const boundaries = JSON.parse(await readFile(path.join(dir, tenant.boundaries), 'utf8'));
	edit(tenant, boundaries);
	await writeFile(path.join(dir, 'tenant.json'), JSON.stringify(tenant));
	await writeFile(path.join(dir, 'boundaries.geojson'), JSON.stringify(boundaries));
	return dir;
}

/** The problems a folder is refused with (the test fails if it loads). */
async function problems(dir: string): Promise<string[]> {
	const err = await loadTenant(dir).then(
		() => null,
		(e: unknown) => e
	);
	expect(err).toBeInstanceOf(TenantFolderError);
	const { problems, message } = err as TenantFolderError;
	for (const p of problems) expect(message).toContain(p);
	return problems;
}

describe('tenant folder loader', () => {
	it('loads the shipped demo folder whole', async () => {
		const tenant = await loadTenant(DEFAULT_TENANT_DIR);
		expect(tenantSummary(tenant)).toEqual({ id: 'lam-dong', wards: 124, units: 13, categories: 10, rules: 11, accounts: 18 });
		expect(tenant.boundariesFile).toBe(path.join(path.resolve(DEFAULT_TENANT_DIR), 'boundaries.geojson'));
		// What devices get has nothing only the server reads.
		expect(Object.keys(tenant.config)).not.toContain('demoAccounts');
		expect(Object.keys(tenant.config)).not.toContain('boundaries');
	});

	it('loads the shipped Đắk Lắk folder: a second province from data alone', async () => {
		const tenant = await loadTenant(path.join(DEFAULT_TENANT_DIR, '..', 'dak-lak'));
		expect(tenantSummary(tenant)).toEqual({ id: 'dak-lak', wards: 102, units: 14, categories: 12, rules: 13, accounts: 18 });
		expect(tenant.config.trackingPrefix).toBe('DLK');
		expect(tenant.config.adminUnits.find((u) => u.code === '24133')?.name).toBe('Phường Buôn Ma Thuột');
	});

	it('loads the procedure catalogue it names, and refuses one that fails its schema with the path', async () => {
		const tenant = await loadTenant(DEFAULT_TENANT_DIR);
		expect(tenant.procedures?.procedures.length).toBeGreaterThanOrEqual(40);
		const dir = await folder();
		const file = path.join(dir, 'procedures.json');
		const catalogue = JSON.parse(await readFile(file, 'utf8'));
		catalogue.procedures[1].code = catalogue.procedures[0].code;
		catalogue.procedures[2].documents = [];
		await writeFile(file, JSON.stringify(catalogue));
		const found = await problems(dir);
		expect(found).toContainEqual(expect.stringMatching(/^procedures\.json: procedures\.1\.code: code ".+" twice$/));
		expect(found).toContainEqual(expect.stringMatching(/^procedures\.json: procedures\.2\.documents: /));
		// A province without a catalogue is still a province.
		const none = await folder((t) => delete t.procedures);
		expect((await loadTenant(none)).procedures).toBeNull();
	});

	it('refuses a folder without tenant.json', async () => {
		const dir = await folder();
		await rm(path.join(dir, 'tenant.json'));
		expect(await problems(dir)).toEqual(['tenant.json: (file): missing file']);
	});

	it('refuses a folder without its boundaries file', async () => {
		const dir = await folder();
		await rm(path.join(dir, 'boundaries.geojson'));
		expect(await problems(dir)).toEqual(['boundaries.geojson: (file): missing file']);
	});

	it('refuses invalid JSON, in tenant.json and in the boundaries', async () => {
		const dir = await folder();
		await writeFile(path.join(dir, 'boundaries.geojson'), '{"type": "FeatureCollection",');
		expect(await problems(dir)).toEqual([expect.stringMatching(/^boundaries\.geojson: \(file\): invalid JSON: /)]);
		await writeFile(path.join(dir, 'tenant.json'), '{ "id": "x", }');
		expect(await problems(dir)).toEqual([expect.stringMatching(/^tenant\.json: \(file\): invalid JSON: /)]);
	});

	it('refuses what the TenantConfig schema refuses, with the path in the JSON', async () => {
		const dir = await folder((t) => {
			t.trackingPrefix = 'ld';
			t.categories[2].icon = 7;
			t.demoAccounts[0].role = 'resident';
		});
		const list = await problems(dir);
		expect(list).toHaveLength(3);
		expect(list[0]).toMatch(/^tenant\.json: trackingPrefix: /);
		expect(list[1]).toMatch(/^tenant\.json: categories\.2\.icon: /);
		expect(list[2]).toMatch(/^tenant\.json: demoAccounts\.0\.role: /);
	});

	it('refuses a unit head that is not a handler with units', async () => {
		const dir = await folder((t) => {
			const leader = t.demoAccounts.find((a: { role: string }) => a.role === 'leader');
			leader.unitHead = true;
		});
		expect(await problems(dir)).toEqual([expect.stringMatching(/^tenant\.json: demoAccounts\.\d+\.unitHead: only a handler with units heads them/)]);
	});

	it('refuses a category icon that is not in the app\'s icon set, an emoji included', async () => {
		const dir = await folder((t) => {
			t.categories[0].icon = 'no-such-icon';
			t.categories[1].icon = '🚧';
		});
		const list = await problems(dir);
		expect(list).toEqual([
			expect.stringMatching(/^tenant\.json: categories\.0\.icon: unknown icon "no-such-icon" \(known: crane, /),
			expect.stringMatching(/^tenant\.json: categories\.1\.icon: unknown icon "🚧" /)
		]);
	});

	it('refuses a routing rule naming an unknown unit or category', async () => {
		const dir = await folder((t) => {
			t.routingRules[1].unitIds = ['urban-management', 'no-such-unit'];
			t.routingRules[2].categories = ['no-such-category'];
			t.routingRules[3].wards = ['99999'];
			t.fallbackUnitIds = ['gone'];
		});
		expect(await problems(dir)).toEqual([
			'tenant.json: routingRules.1.unitIds.1: unknown unit "no-such-unit"',
			'tenant.json: routingRules.2.categories.0: unknown category "no-such-category"',
			'tenant.json: routingRules.3.wards.0: unknown admin unit "99999"',
			'tenant.json: fallbackUnitIds.0: unknown unit "gone"'
		]);
	});

	it('refuses a routing rule whose lead is not one of its units (its result would close nothing it routes)', async () => {
		const dir = await folder((t) => {
			const i = t.routingRules.findIndex((r: Json) => r.lead !== undefined);
			t.routingRules[i].lead = 'urban-management';
		});
		const i = JSON.parse(await readFile(path.join(dir, 'tenant.json'), 'utf8')).routingRules.findIndex(
			(r: Json) => r.lead === 'urban-management'
		);
		expect(await problems(dir)).toEqual([
			`tenant.json: routingRules.${i}.lead: the lead "urban-management" is not one of the rule's unitIds`
		]);
	});

	describe('the working calendar', () => {
		const calendar = () => ({
			timeZone: 'Asia/Ho_Chi_Minh',
			utcOffset: '+07:00',
			week: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], periods: [{ from: '07:30', to: '11:30' }, { from: '13:30', to: '17:00' }] }],
			holidays: [{ date: '2026-09-02', name: 'Quốc khánh' }]
		});

		it('refuses bad times and offsets with their path', async () => {
			const dir = await folder((t) => {
				t.calendar = { ...calendar(), utcOffset: 'UTC+7' };
				t.calendar.week[0].periods[1].to = '17h';
			});
			expect(await problems(dir)).toEqual([
				'tenant.json: calendar.utcOffset: an offset "+HH:MM" or "-HH:MM"',
				'tenant.json: calendar.week.0.periods.1.to: a time "HH:MM" (00:00–24:00)'
			]);
		});

		it('refuses reversed and overlapping periods, impossible and repeated holiday dates', async () => {
			const dir = await folder((t) => {
				t.calendar = calendar();
				t.calendar.week[0].periods.push({ from: '11:00', to: '12:00' }, { from: '18:00', to: '17:30' });
				t.calendar.holidays.push({ date: '2026-02-29', name: 'not in 2026' }, { date: '2026-09-02', name: 'twice' });
			});
			expect(await problems(dir)).toEqual([
				'tenant.json: calendar.week.0.periods.2: overlaps calendar.week.0.periods.0 on mon (07:30–11:30)',
				'tenant.json: calendar.week.0.periods.3: ends at 17:30, not after it starts (18:00)',
				'tenant.json: calendar.holidays.1.date: "2026-02-29" is not a date',
				'tenant.json: calendar.holidays.2.date: duplicate "2026-09-02" (also calendar.holidays.0.date)'
			]);
		});

		it('refuses a time zone it does not know, one with daylight saving, or an offset that is not the zone’s', async () => {
			for (const [zone, offset, problem] of [
				['Mars/Olympus', '+07:00', 'calendar.timeZone: unknown time zone "Mars/Olympus"'],
				['Asia/Ho_Chi_Minh', '+08:00', 'calendar.utcOffset: Asia/Ho_Chi_Minh is at +07:00, not +08:00'],
				['Europe/Paris', '+01:00', 'calendar.timeZone: Europe/Paris changes its offset during the year (daylight saving): a calendar needs one fixed offset']
			]) {
				const dir = await folder((t) => (t.calendar = { ...calendar(), timeZone: zone, utcOffset: offset }));
				expect(await problems(dir)).toEqual([`tenant.json: ${problem}`]);
			}
		});

		it('refuses deadlines in working hours without a calendar', async () => {
			const dir = await folder((t) => {
				delete t.calendar;
				delete t.office; // refused without a calendar too: its own test below
				t.sla = { default: { onSite: 2, report: 6, hours: 'working' }, byCategory: { 'food-safety': { onSite: 1, report: 4, hours: 'working' } } };
			});
			expect(await problems(dir)).toEqual([
				'tenant.json: sla.default.hours: working hours need a calendar (tenant.json "calendar")',
				'tenant.json: sla.byCategory.food-safety.hours: working hours need a calendar (tenant.json "calendar")'
			]);
		});
	});

	describe('the one-stop offices', () => {
		it('loads both shipped provinces with their offices', async () => {
			for (const id of ['lam-dong', 'dak-lak']) {
				const { config } = await loadTenant(path.join(DEFAULT_TENANT_DIR, '..', id));
				expect(config.office?.offices.length).toBeGreaterThanOrEqual(2);
			}
		});

		it('refuses a counter serving a service its office does not offer, and two services of an office with one prefix', async () => {
			const dir = await folder((t) => {
				// One office, so each problem is listed once.
				const office = t.office.offices.find((o: Json) => !o.serviceIds.includes('dang-ky-ho-kinh-doanh'));
				office.counters[0].serviceIds.push('dang-ky-ho-kinh-doanh');
				t.office.services.find((s: Json) => s.id === 'dang-ky-ket-hon').prefix = '1';
				t.office.offices = [office];
			});
			expect(await problems(dir)).toEqual([
				'tenant.json: office.offices.0.serviceIds: services "dang-ky-khai-sinh" and "dang-ky-ket-hon" share the number prefix 1',
				'tenant.json: office.offices.0.counters.0.serviceIds: the office does not offer "dang-ky-ho-kinh-doanh"'
			]);
		});

		it('refuses offices without a calendar, of an unknown unit or ward', async () => {
			const dir = await folder((t) => {
				delete t.calendar;
				t.sla.default.hours = 'clock';
				t.office.offices[0].unitIds = ['no-such-unit'];
				t.office.offices[1].wardCode = '99999';
			});
			expect(await problems(dir)).toEqual([
				'tenant.json: office: one-stop offices need a calendar (tenant.json "calendar")',
				'tenant.json: office.offices.0.unitIds: unknown unit "no-such-unit"',
				'tenant.json: office.offices.1.wardCode: unknown admin unit "99999"'
			]);
		});
	});

	it('refuses a category that no rule sends to any unit', async () => {
		const dir = await folder((t) => {
			t.routingRules = t.routingRules.filter((r: Json) => r.categories !== '*');
			t.categories.push({ code: 'stray-dogs', nameVi: 'Chó thả rông', nameEn: 'Stray dogs', icon: 'pin' });
		});
		expect(await problems(dir)).toEqual(['tenant.json: categories.10: no routing rule sends category "stray-dogs" to a unit']);
	});

	it('refuses boundaries whose codes do not match the admin units', async () => {
		const dir = await folder((t, b) => {
			b.features[3].properties.code = '00001';
			b.features[4].properties.code = b.features[5].properties.code;
		});
		const t = JSON.parse(await readFile(path.join(DEFAULT_TENANT_DIR, 'tenant.json'), 'utf8'));
		const b = JSON.parse(await readFile(path.join(DEFAULT_TENANT_DIR, 'boundaries.geojson'), 'utf8'));
		const lost = [b.features[3].properties.code, b.features[4].properties.code].map((c: string) => [t.adminUnits.findIndex((u: Json) => u.code === c), c]);
		expect((await problems(dir)).sort()).toEqual(
			[
				'boundaries.geojson: features.3.properties.code: "00001" is not in tenant.json adminUnits',
				`boundaries.geojson: features.5.properties.code: duplicate "${b.features[5].properties.code}" (also features.4)`,
				...lost.map(([i, c]) => `tenant.json: adminUnits.${i}.code: "${c}" has no boundary in boundaries.geojson`)
			].sort()
		);
	});

	it('refuses duplicate ids and codes', async () => {
		const dir = await folder((t) => {
			t.units.push({ ...t.units[0] });
			t.categories.push({ ...t.categories[1] });
			t.demoAccounts.push({ ...t.demoAccounts[2] });
		});
		expect(await problems(dir)).toEqual([
			'tenant.json: categories.10.code: duplicate "urban-order" (also categories.1.code)',
			'tenant.json: units.13.id: duplicate "ubnd-lam-vien" (also units.0.id)',
			'tenant.json: demoAccounts.18.username: duplicate "ubnd-cam-ly" (also demoAccounts.2.username)'
		]);
	});

	it('lists every problem of the folder in one error', async () => {
		const dir = await folder((t, b) => {
			t.trackingPrefix = '';
			t.routingRules[1].unitIds = ['nobody'];
			b.features[0].properties.code = '00002';
		});
		const list = await problems(dir);
		expect(list.map((p) => p.split(':')[0])).toEqual(['tenant.json', 'tenant.json', 'boundaries.geojson', 'tenant.json']);
	});
});
