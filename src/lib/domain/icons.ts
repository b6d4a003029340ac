/**
 * The names of the app's icons (src/lib/ui/Icon.svelte draws them as inline SVG). Tenant data names
 * a category's icon by one of these, never by an emoji: phones with an old Android show an emoji
 * their font lacks as an empty box or nothing at all, and an icon font would be one more download.
 * The tenant loader refuses a name that is not here (file, path and reason).
 */
export const ICON_NAMES = [
	// Categories
	'crane',
	'roadblock',
	'trash',
	'traffic-light',
	'mountain',
	'bowl',
	'tree',
	'tag',
	'lightbulb',
	'office',
	'bolt',
	'water-drop',
	// The app's own
	'camera',
	'image',
	'send',
	'bell',
	'phone',
	'people',
	'map',
	'pin',
	'note',
	'eye',
	'clock',
	'thumb-up',
	'thumb-down',
	'check',
	'close',
	'alert',
	'key',
	'lock',
	'search',
	'download'
] as const;

export type IconName = (typeof ICON_NAMES)[number];

const KNOWN: ReadonlySet<string> = new Set(ICON_NAMES);
export const isIconName = (name: unknown): name is IconName => typeof name === 'string' && KNOWN.has(name);
