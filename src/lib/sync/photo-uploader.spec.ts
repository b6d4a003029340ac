import { DetailedError, type HttpRequest, type HttpResponse } from 'tus-js-client';
import { describe, expect, it } from 'vitest';
import { PhotoUploadError, toPhotoUploadError, uploadMetadata } from './photo-uploader';

const request = { getMethod: () => 'PATCH', getURL: () => '/api/media/uploads/x', getHeader: () => undefined } as unknown as HttpRequest;
function response(status: number, body = ''): HttpResponse {
	return { getStatus: () => status, getHeader: () => undefined, getBody: () => body, getUnderlyingObject: () => null };
}
const Detailed = DetailedError as unknown as new (message: string, cause: Error | null, req: HttpRequest | null, res: HttpResponse | null) => DetailedError;
const answered = (status: number, body = '') => new Detailed('tus: unexpected response', null, request, response(status, body));
const serverError = (code: string, status: number) => answered(status, JSON.stringify({ error: { code, message: `said ${code}` } }));

describe('toPhotoUploadError', () => {
	it('carries the server\'s code for a refused photo, not to be retried', () => {
		for (const [code, status] of [
			['media_not_image', 415],
			['media_too_large', 413],
			['media_too_many_pixels', 422],
			['not_owner', 403],
			['report_immutable', 422]
		] as const) {
			const err = toPhotoUploadError(serverError(code, status));
			expect(err).toBeInstanceOf(PhotoUploadError);
			expect([err.code, err.retryable, err.status, err.message]).toEqual([code, false, status, `said ${code}`]);
		}
	});

	it('treats a request that got no answer as a network failure to retry later', () => {
		const err = toPhotoUploadError(new Detailed('tus: failed to upload chunk', new TypeError('fetch failed'), request, null));
		expect([err.code, err.retryable, err.status]).toEqual(['network', true, 0]);
		expect(err.message).toContain('fetch failed');
	});

	it('retries later on server trouble, rate limits and expired tokens; not on an unknown refusal', () => {
		expect(toPhotoUploadError(answered(502, '<html>Bad gateway</html>'))).toMatchObject({ code: 'server_error', retryable: true });
		expect(toPhotoUploadError(serverError('rate_limited', 429))).toMatchObject({ code: 'rate_limited', retryable: true });
		expect(toPhotoUploadError(serverError('token_expired', 401))).toMatchObject({ code: 'token_expired', retryable: true });
		expect(toPhotoUploadError(answered(423, 'locked'))).toMatchObject({ retryable: true });
		// The server lost a half-sent upload: the next attempt starts a new one.
		expect(toPhotoUploadError(answered(410, 'The file for this url no longer exists\n'))).toMatchObject({ code: 'not_found', retryable: true });
		expect(toPhotoUploadError(answered(400, 'Invalid Upload-Metadata'))).toMatchObject({ code: 'validation_failed', retryable: false });
		// A status without a JSON body still says what it can (a proxy in front of a plain tus server).
		expect(toPhotoUploadError(answered(413, 'Maximum size exceeded\n'))).toMatchObject({ code: 'media_too_large', retryable: false });
		expect(toPhotoUploadError(serverError('no_such_code', 401))).toMatchObject({ code: 'unauthenticated' });
	});

	it('keeps a PhotoUploadError as it is and reduces anything else to a server_error', () => {
		const own = new PhotoUploadError('media_not_image', false);
		expect(toPhotoUploadError(own)).toBe(own);
		expect(toPhotoUploadError(new Error('tus: invalid or missing offset value'))).toMatchObject({ code: 'server_error', retryable: false });
	});
});

describe('uploadMetadata', () => {
	const blob = new Blob(['x'], { type: 'image/webp' });
	it('names a report photo by its media id, report and event', () => {
		expect(uploadMetadata({ id: 'm1', reportId: 'r1', eventId: 'e1', blob, mime: 'image/webp' })).toEqual({
			mediaId: 'm1',
			reportId: 'r1',
			filetype: 'image/webp',
			eventId: 'e1'
		});
	});
	it('sends the caller\'s metadata as it is for another endpoint (a dossier file)', () => {
		const metadata = { fileId: 'f1', applicationId: 'a1', filetype: 'application/pdf' };
		expect(uploadMetadata({ id: 'f1', blob, mime: 'application/pdf', metadata })).toEqual(metadata);
	});
});
