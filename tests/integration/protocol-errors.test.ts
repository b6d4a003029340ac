/**
 * Requests refused before they reach a route (by Node's HTTP parser or Fastify's router) still get
 * the API's error shape with a code — found by the fuzzer (tests/integration/fuzz.test.ts), which
 * holds every answer to that rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFuzzClient, type FuzzRequest } from '../support/fuzz/http';
import { errorCodeOf } from '../support/fuzz/run';
import { randomUUID } from 'node:crypto';
import { deviceSession, startServer, type TestServer } from './harness';

let server: TestServer;
let client: ReturnType<typeof createFuzzClient>;
beforeAll(async () => {
	server = await startServer();
	client = createFuzzClient(server.url);
});
afterAll(async () => {
	client.close();
	await server.close();
});

const raw = (r: Partial<FuzzRequest>): FuzzRequest => ({ method: 'GET', path: '/api/health', headers: {}, from: 0, raw: true, ...r });

describe('refusals before routing carry an error code', () => {
	it.each([
		['a Content-Length that is not a number', raw({ method: 'POST', path: '/api/auth/device', headers: { 'content-length': 'abc' }, body: new Uint8Array(Buffer.from('{}')) }), 400, 'validation_failed'],
		['two Content-Lengths', raw({ method: 'POST', path: '/api/auth/device', headers: { 'content-length': '2, 3' }, body: new Uint8Array(Buffer.from('{}')) }), 400, 'validation_failed'],
		['a header block over the limit', raw({ path: `/api/health?x=${'a'.repeat(20_000)}` }), 431, 'validation_failed'],
		['a path that does not decode', raw({ path: '/api/sync/%E0%A4%A/pull' }), 400, 'validation_failed'],
		['a path parameter over the router limit', raw({ path: `/api/sync/${'a'.repeat(200)}/pull` }), 414, 'validation_failed']
	])('%s', async (_what, req, status, code) => {
		const answer = await client.send(req);
		expect(answer.status, answer.body).toBe(status);
		expect(answer.contentType).toMatch(/^application\/json/);
		expect(errorCodeOf(answer.body)).toBe(code);
		// And the server goes on serving.
		expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
	});

	it('photo upload protocol refusals (tus) are coded too', async () => {
		const { token } = await deviceSession(server.url);
		const patch = (headers: Record<string, string>) =>
			client.send({ method: 'PATCH', path: `/api/media/uploads/${randomUUID()}`, from: 0, headers: { authorization: `Bearer ${token}`, ...headers }, body: new Uint8Array(3) });
		const cases = [
			[await patch({}), 412, 'validation_failed'], // no Tus-Resumable
			[await patch({ 'tus-resumable': '1.0.0', 'upload-offset': '-5', 'content-type': 'application/offset+octet-stream' }), 400, 'validation_failed'], // invalid tus header
			[await patch({ 'tus-resumable': '1.0.0', 'upload-offset': '0' }), 403, 'validation_failed'], // no Content-Type (tus answers 403)
			[await patch({ 'tus-resumable': '1.0.0', 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }), 404, 'not_found'] // no such upload
		] as const;
		for (const [answer, status, code] of cases) {
			expect(answer.status, answer.body).toBe(status);
			expect(errorCodeOf(answer.body), answer.body).toBe(code);
		}
	});
});
