import type { IconName } from '$lib/domain/icons';

/**
 * One SVG path per icon, drawn on a 24×24 grid with a 2 px round stroke (Icon.svelte). Typed by
 * IconName, so a name without a drawing fails the type check. Drawn for this app (no icon font, no
 * request): the whole set is ~2.5 KB of source, ~1.1 KB gzipped in the bundle.
 */
// Circles as two arcs: "M x-r y a r r 0 1 0 2r 0 a r r 0 1 0 -2r 0".
const circle = (x: number, y: number, r: number) => `M${x - r} ${y}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;

export const ICON_PATHS: Record<IconName, string> = {
	crane: 'M5 21V3 M5 4h15l-3 4 M5 4l5 4 M17 8v5 M15 13h4v3h-4z M2 21h7',
	roadblock: 'M3 9h18v5H3z M6 14v6 M18 14v6 M8 9l-4 5 M14 9l-4 5 M20 9l-4 5',
	trash: 'M4 7h16 M10 3h4v4 M6 7l1 14h10l1-14 M10 11v6 M14 11v6',
	'traffic-light': `M8 2h8v20H8z ${circle(12, 6.5, 1.5)} ${circle(12, 12, 1.5)} ${circle(12, 17.5, 1.5)}`,
	mountain: `M2 20l7-11 4 6 3-4 6 9z ${circle(17, 6, 2)}`,
	bowl: 'M3 11h18a9 9 0 0 1-18 0z M8 7c0-2 2-2 2-4 M13 7c0-2 2-2 2-4',
	tree: 'M12 2 5 12h4l-4 6h14l-4-6h4z M12 18v4',
	tag: 'M3 3h8l10 10-8 8L3 11z M7.5 7.5h.01',
	lightbulb: 'M9 18h6 M10 21h4 M12 3a6 6 0 0 0-4 10.5c.7.7 1 1.5 1 2.5h6c0-1 .3-1.8 1-2.5A6 6 0 0 0 12 3z',
	office: 'M3 21h18 M12 3 3 8h18z M4 10h16 M6 10v8 M10 10v8 M14 10v8 M18 10v8',
	bolt: 'M13 2 4 14h7l-1 8 9-12h-7z',
	'water-drop': 'M12 3s6 7 6 11a6 6 0 0 1-12 0c0-4 6-11 6-11z',
	camera: `M3 8h4l2-3h6l2 3h4v11H3z ${circle(12, 13, 3.5)}`,
	image: `M3 5h18v14H3z M3 16l5-5 4 4 3-3 6 6 ${circle(15.5, 9, 1.5)}`,
	send: 'M22 2 11 13 M22 2l-7 20-4-9-9-4z',
	bell: 'M6 16v-5a6 6 0 0 1 12 0v5l2 2H4z M10 21h4',
	phone: 'M7 2h10v20H7z M11 18h2',
	people: `${circle(9, 8, 3)} M3 20c0-3.5 2.7-6 6-6s6 2.5 6 6 M16 5a3 3 0 0 1 0 6 M17 14c2.5.5 4 3 4 6`,
	map: 'M3 6l6-3 6 3 6-3v15l-6 3-6-3-6 3z M9 3v15 M15 6v15',
	pin: `M12 22s7-6.5 7-12a7 7 0 0 0-14 0c0 5.5 7 12 7 12z ${circle(12, 10, 2.5)}`,
	note: 'M5 3h10l4 4v14H5z M9 8h3 M9 12h6 M9 16h6',
	eye: `M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z ${circle(12, 12, 3)}`,
	clock: `${circle(12, 12, 9)} M12 7v5l3 3`,
	'thumb-up': 'M7 11v10H3V11z M7 11l4-8a2 2 0 0 1 3 2l-1 5h6a2 2 0 0 1 2 2.3l-1.4 7a2 2 0 0 1-2 1.7H7',
	'thumb-down': 'M7 13V3H3v10z M7 13l4 8a2 2 0 0 0 3-2l-1-5h6a2 2 0 0 0 2-2.3l-1.4-7a2 2 0 0 0-2-1.7H7',
	check: 'M4 12l5 5L20 6',
	close: 'M6 6l12 12 M18 6 6 18',
	alert: 'M12 3 2 21h20z M12 10v5 M12 18v.01',
	key: `${circle(8, 15, 4)} M11 12l9-9 M16 7l3 3 M18 5l2 2`,
	lock: 'M5 11h14v10H5z M8 11V7a4 4 0 0 1 8 0v4',
	search: `${circle(11, 11, 7)} M21 21l-5-5`,
	download: 'M12 3v12 M7 10l5 5 5-5 M4 21h16'
};
