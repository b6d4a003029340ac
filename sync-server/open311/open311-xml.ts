/**
 * GeoReport v2's XML form: the same data as the JSON answer, written as elements. The spec's
 * documents are flat records and lists, so a small writer is enough (no dependency): a record is
 * one element per field, a list is one element per item named by `ITEM_NAMES` (the spec's plural →
 * singular: `<services><service>`, `<attributes><attribute>`, `<values><value>` …), null or an
 * absent value is an empty element, as the spec's examples show (`<status_notes/>`).
 */

type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [k: string]: XmlValue };

/** The element of each item of a list, by the list's element name (GeoReport v2's examples). */
const ITEM_NAMES: Record<string, string> = {
	services: 'service',
	service_requests: 'request',
	errors: 'error',
	endpoints: 'endpoint',
	formats: 'format',
	attributes: 'attribute',
	values: 'value'
};

/** Text and attribute-free element content: the five XML specials escaped, and characters XML 1.0 forbids dropped. */
export function escapeXml(text: string): string {
	return text
		// eslint-disable-next-line no-control-regex
		.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

/** Field names come from our own mapping, never from input: still, only a plain name may become an element. */
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function element(name: string, value: XmlValue): string {
	if (!NAME.test(name)) throw new Error(`not an XML element name: ${name}`);
	if (value === null || value === undefined) return `<${name}/>`;
	if (Array.isArray(value)) {
		const item = ITEM_NAMES[name];
		if (!item) throw new Error(`no item element for the list ${name}`);
		return `<${name}>${value.map((v) => element(item, v)).join('')}</${name}>`;
	}
	if (typeof value === 'object') {
		return `<${name}>${Object.entries(value)
			.map(([k, v]) => element(k, v))
			.join('')}</${name}>`;
	}
	return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A whole XML answer: the declaration, then `root` holding `value` (a list's items or a record's fields). */
export function toXml(root: string, value: XmlValue): string {
	return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value)}\n`;
}
