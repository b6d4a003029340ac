import { z } from 'zod';
import { AdminCode, CodeSet, TenantId, UnitId } from './common';
import { ICON_NAMES, isIconName } from './icons';
import { MAX_PHOTOS } from './limits';
import { OfficeConfig } from './office';
import { IocRules } from './ioc-rules';
import { DEADLINE_HOURS, WEEKDAYS, type WorkCalendar as WorkCalendarShape } from './work-calendar';

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
	/**
	 * A name of the app's SVG icon set (domain/icons.ts), never an emoji: old phones show those as
	 * blanks. Typed as a string (a config cached from another version may name one this app lacks:
	 * Icon.svelte draws the pin); the loader refuses an unknown name.
	 */
	icon: z.string().refine((name: string): boolean => isIconName(name), { error: (iss) => `unknown icon ${JSON.stringify(iss.input)} (known: ${ICON_NAMES.join(', ')})` }),
	/**
	 * The fewest photos a report of this category is sent with (0 = photos optional; default
	 * DEFAULT_PHOTOS_REQUIRED). The form says it and blocks "Gửi"; the server refuses fewer (`too_few_photos`).
	 */
	photosRequired: z.number().int().min(0).max(MAX_PHOTOS).optional(),
	/**
	 * Public pages show this category's reports only to within about this many metres (a report
	 * about a neighbour must not point at the reporter's house): the point is snapped to a grid of
	 * cells this size (domain/public.ts `blurLocation`). Handlers always see the exact point.
	 */
	publicLocationBlurM: z.number().int().min(10).max(5000).optional()
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
 *
 * One unit leads (đơn vị chủ trì: its result closes the report), the others coordinate (phối hợp):
 * the lead is the `lead` of the first matching rule that names one (one of its unitIds, `'$ward'`
 * included); when none does, the first unit of the first matching rule (domain/routing.ts).
 */
export const RoutingRule = z.strictObject({
	categories: z.union([z.literal('*'), z.array(z.string()).min(1)]),
	wards: z.union([z.literal('*'), z.array(AdminCode).min(1)]),
	unitIds: z.array(z.union([UnitId, z.literal('$ward')])).min(1),
	lead: z.union([UnitId, z.literal('$ward')]).optional()
});
export type RoutingRule = z.infer<typeof RoutingRule>;

/** How a category's deadlines run (domain/work-calendar.ts): clock hours or the calendar's working hours. */
export const DeadlineHours = z.enum(DEADLINE_HOURS);

const Weekday = z.enum(WEEKDAYS);
/** A wall-clock time "HH:MM"; "24:00" ends a period at midnight. */
const WallTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a time "HH:MM" (00:00–24:00)');
/** A date "YYYY-MM-DD" (that it exists is checked by the tenant loader, with calendarProblems). */
const CalendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date "YYYY-MM-DD"');

/** A tenant's working calendar: the shape of domain/work-calendar.ts `WorkCalendar`, which documents each field. */
export const WorkCalendar = z.strictObject({
	timeZone: z.string().min(1),
	utcOffset: z.string().regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, 'an offset "+HH:MM" or "-HH:MM"'),
	week: z.array(z.strictObject({ days: z.array(Weekday).min(1), periods: z.array(z.strictObject({ from: WallTime, to: WallTime })).min(1) })),
	holidays: z.array(z.strictObject({ date: CalendarDate, name: z.string().min(1) })),
	workdays: z.array(z.strictObject({ date: CalendarDate, name: z.string().min(1), as: Weekday })).optional()
});
export type WorkCalendar = z.infer<typeof WorkCalendar>;
// The schema and the interface the arithmetic reads are one shape (a change to one fails the type check).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const calendarShapesAgree: Same<WorkCalendar, WorkCalendarShape> = true;

export const SlaHours = z.strictObject({
	/** Hours from receipt until a handler is expected on site. */
	onSite: z.number().positive(),
	/** Hours from receipt until a handler is expected to report back. */
	report: z.number().positive(),
	/**
	 * How both run: `clock` hours (urgent categories: safety, flooding) or `working` hours of the
	 * tenant's `calendar` (6 working hours from Friday 20:00 is Monday 15:30). Absent: clock.
	 */
	hours: DeadlineHours.optional()
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

/**
 * The base map under every map of the app (lib/map/MapView.svelte). `tileUrl` is a `{z}/{x}/{y}`
 * template: an OpenStreetMap-style server in production (with its attribution), or the tenant's own
 * tiles at `/api/tiles/{z}/{x}/{y}.png` (its folder's tiles/, served by the sync-server). The map
 * still shows boundaries and markers when no tile loads.
 */
export const MapConfig = z
	.strictObject({
		tileUrl: z.string().refine((u) => ['{z}', '{x}', '{y}'].every((p) => u.includes(p)) && /^(https:\/\/|\/)/.test(u), {
			error: 'a tile URL template with {z}, {x} and {y}, starting https:// or /'
		}),
		/** Shown as text (never as HTML), linked to `attributionUrl` when there is one (OpenStreetMap's copyright page). */
		attribution: z.string().min(1),
		attributionUrl: z.url({ protocol: /^https$/ }).optional(),
		minZoom: z.number().int().min(0).max(22),
		maxZoom: z.number().int().min(0).max(22),
		/**
		 * The "Chỉ đường" link (lib/map/directions.ts): an https URL with `{lat}` and `{lng}`; none:
		 * Google Maps' universal directions URL, which opens the phone's map app.
		 */
		directionsUrl: z
			.string()
			.max(500)
			.refine((u) => u.startsWith('https://') && u.includes('{lat}') && u.includes('{lng}'), { error: 'an https:// URL with {lat} and {lng}' })
			.optional(),
		/**
		 * A commune downloaded for use with no signal (lib/offline-area/) takes the base-map tiles of these
		 * zoom levels, and only when `tileUrl` is the tenant's own (`/api/tiles/…`): public OpenStreetMap
		 * tiles forbid bulk download (tile usage policy), so with an external server a download takes the
		 * zoning, boundary and offices, and the map shows them without a base map.
		 */
		offline: z.strictObject({ zooms: z.array(z.number().int().min(0).max(22)).min(1).max(8) }).optional()
	})
	.refine((m) => m.minZoom <= m.maxZoom, { error: 'minZoom is above maxZoom', path: ['minZoom'] });
export type MapConfig = z.infer<typeof MapConfig>;

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
	/** Working hours, weekends and public holidays: what `working` SLA hours count on (domain/work-calendar.ts). */
	calendar: WorkCalendar.optional(),
	/** Where the map's view starts. */
	center: z.strictObject({ lat: z.number(), lng: z.number(), zoom: z.number() }),
	/** The base map's tiles and attribution; none: maps show the tenant's own data without a base map. */
	map: MapConfig.optional(),
	/**
	 * File, in the tenant folder, of its zoning plan (domain/zoning.ts ZoningPlanFile), e.g.
	 * "zoning/demo-plan.json"; checked whole by the tenant loader. None: no zoning look-up.
	 */
	zoning: z.string().regex(/^(?:[\w-][\w.-]*\/)?[\w-][\w.-]*\.json$/, 'a .json file in the tenant folder or one folder below it').optional(),
	/**
	 * The VN-2000 central meridian (kinh tuyến trục) of the province's 3° zone, as published ("107°45′")
	 * or in degrees: zoning files in VN-2000 are converted with it (sync-server/zoning/vn2000.ts).
	 */
	zoningCrs: z.strictObject({ centralMeridian: z.union([z.string().regex(/^\d{2,3}°(?:\d{1,2}′)?$/, 'degrees and minutes, e.g. 107°45′'), z.number().min(100).max(112)]) }).optional(),
	/** The one-stop offices: services, offices, counters, hours and queue rules (domain/office.ts). */
	office: OfficeConfig.optional(),
	/** When the operations centre warns (domain/ioc.ts); DEFAULT_IOC_RULES when absent. */
	ioc: IocRules.optional()
});
export type TenantConfig = z.infer<typeof TenantConfig>;
