import { describe, expect, it } from 'vitest';
import { escapeXml, toXml } from './open311-xml';

describe('GeoReport v2 XML', () => {
	it('writes lists with the spec’s item names, null as an empty element, text escaped', () => {
		const xml = toXml('service_requests', [{ service_request_id: 'LD-1', status_notes: null, description: 'a < b & "c"', lat: 11.5 }]);
		expect(xml).toBe(
			'<?xml version="1.0" encoding="utf-8"?>\n<service_requests><request><service_request_id>LD-1</service_request_id><status_notes/><description>a &lt; b &amp; &quot;c&quot;</description><lat>11.5</lat></request></service_requests>\n'
		);
	});

	it('nests records and lists (a service definition’s values)', () => {
		const xml = toXml('service_definition', { service_code: 'x', attributes: [{ code: 'ward_code', values: [{ key: '1', name: 'A' }] }] });
		expect(xml).toContain('<attributes><attribute><code>ward_code</code><values><value><key>1</key><name>A</name></value></values></attribute></attributes>');
	});

	it('drops characters XML cannot carry, and refuses a list it has no item name for', () => {
		expect(escapeXml('a\u0000b\u0007c')).toBe('abc');
		expect(() => toXml('things', [1])).toThrow(/no item element/);
	});
});
