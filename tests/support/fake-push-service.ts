import { execFileSync } from 'node:child_process';
import { createDecipheriv, createECDH, hkdfSync, randomBytes, type ECDH } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A push service standing in for the browser vendor's: a local HTTPS server with a throw-away
 * certificate (the sync-server is told to trust it: `pushCaFile`), recording every POST and answering
 * with `status` (201 as the real ones do). Its messages are decrypted as the browser would.
 */
export interface ReceivedPush {
	path: string;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

export async function startFakePushService() {
	const certDir = await mkdtemp(path.join(tmpdir(), 'caunoi-push-'));
	const key = path.join(certDir, 'key.pem');
	const cert = path.join(certDir, 'cert.pem');
	execFileSync('openssl', [
		'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
		'-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'
	], { stdio: 'ignore' });
	const received: ReceivedPush[] = [];
	const service = { received, status: 201, url: '', caFile: cert, close: async () => {} };
	const server = createServer({ key: await readFile(key), cert: await readFile(cert) }, (req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
			res.writeHead(service.status).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	service.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
	service.close = async () => {
		await new Promise((resolve) => server.close(resolve));
		await rm(certDir, { recursive: true, force: true });
	};
	return service;
}
export type FakePushService = Awaited<ReturnType<typeof startFakePushService>>;

/** A browser's subscription: its own P-256 key pair and auth secret, an endpoint at the push service. */
export function browserSubscription(serviceUrl: string, name: string): { body: object; ecdh: ECDH; auth: Buffer; endpoint: string } {
	const ecdh = createECDH('prime256v1');
	ecdh.generateKeys();
	const auth = randomBytes(16);
	const endpoint = `${serviceUrl}/push/${name}`;
	return {
		ecdh,
		auth,
		endpoint,
		body: { endpoint, expirationTime: null, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } }
	};
}

/** RFC 8291 / RFC 8188 (aes128gcm), one record: what the browser does with the push body. */
export function decryptPush(body: Buffer, ecdh: ECDH, auth: Buffer): string {
	const salt = body.subarray(0, 16);
	const idLen = body[20];
	const serverKey = body.subarray(21, 21 + idLen);
	const cipher = body.subarray(21 + idLen);
	const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ecdh.getPublicKey(), serverKey]);
	const ikm = Buffer.from(hkdfSync('sha256', ecdh.computeSecret(serverKey), auth, keyInfo, 32));
	const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
	const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
	const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
	decipher.setAuthTag(cipher.subarray(cipher.length - 16));
	const plain = Buffer.concat([decipher.update(cipher.subarray(0, cipher.length - 16)), decipher.final()]);
	// The last record ends with the delimiter 0x02, then padding zeros.
	let end = plain.length;
	while (end > 0 && plain[end - 1] === 0) end--;
	return plain.subarray(0, end - 1).toString('utf8');
}
