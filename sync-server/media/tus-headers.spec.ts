import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/api-error';
import { checkTusHeaders } from './tus-headers';

const req = (method: string, headers: Record<string, string>) => ({ method, headers }) as unknown as IncomingMessage;
const refusal = (r: IncomingMessage) => {
	try {
		checkTusHeaders(r);
		return null;
	} catch (e) {
		return e instanceof ApiError ? { status: e.status, code: e.code } : e;
	}
};

describe('checkTusHeaders', () => {
	it('lets a well-formed tus request through, and OPTIONS without Tus-Resumable', () => {
		expect(refusal(req('PATCH', { 'tus-resumable': '1.0.0', 'upload-offset': '262144', 'content-type': 'application/offset+octet-stream' }))).toBeNull();
		expect(refusal(req('POST', { 'tus-resumable': '1.0.0', 'upload-length': '5', 'content-type': 'application/json' }))).toBeNull();
		expect(refusal(req('OPTIONS', {}))).toBeNull();
	});

	it('refuses what tus would refuse, with a code', () => {
		expect(refusal(req('HEAD', {}))).toEqual({ status: 412, code: 'validation_failed' });
		expect(refusal(req('PATCH', { 'tus-resumable': '0.2.2' }))).toEqual({ status: 400, code: 'validation_failed' });
		for (const offset of ['-5', '1e3', '01', 'abc', ''])
			expect(refusal(req('PATCH', { 'tus-resumable': '1.0.0', 'upload-offset': offset }))).toEqual({ status: 400, code: 'validation_failed' });
		expect(refusal(req('PATCH', { 'tus-resumable': '1.0.0', 'content-type': 'text/plain' }))).toEqual({ status: 400, code: 'validation_failed' });
		expect(refusal(req('POST', { 'tus-resumable': '1.0.0', 'upload-metadata': 'mediaId !!!' }))).toEqual({ status: 400, code: 'validation_failed' });
	});
});
