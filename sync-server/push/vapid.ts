import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import webpush from 'web-push';
import type { Config } from '../config';

/**
 * The server's VAPID key pair: it signs every push message, and browsers bind each subscription to
 * its public key. From VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY when given; otherwise generated once and
 * kept in DATA_DIR/vapid.json, so a restart keeps every subscription valid. Several instances must
 * share one pair (set the environment): a push signed with another key is refused by the browser's
 * push service.
 */
export interface VapidKeys {
	publicKey: string;
	privateKey: string;
	subject: string;
	/** Where the pair came from: `env`, or `file` (DATA_DIR/vapid.json, possibly made on this start). */
	source: 'env' | 'file';
}

const VAPID_FILE = 'vapid.json';

const isKey = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{40,}$/.test(v);

export async function resolveVapidKeys(
	config: Pick<Config, 'dataDir' | 'vapidPublicKey' | 'vapidPrivateKey' | 'vapidSubject'>
): Promise<VapidKeys> {
	const subject = config.vapidSubject;
	if (config.vapidPublicKey || config.vapidPrivateKey) {
		if (!config.vapidPublicKey || !config.vapidPrivateKey)
			throw new Error('Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither (then a pair is generated in DATA_DIR)');
		// Throws on a malformed key or subject now, not at the first push.
		webpush.getVapidHeaders('https://push.example', subject, config.vapidPublicKey, config.vapidPrivateKey, 'aes128gcm');
		return { publicKey: config.vapidPublicKey, privateKey: config.vapidPrivateKey, subject, source: 'env' };
	}
	const file = path.join(config.dataDir, VAPID_FILE);
	try {
		const saved = JSON.parse(await readFile(file, 'utf8')) as { publicKey?: unknown; privateKey?: unknown };
		if (isKey(saved.publicKey) && isKey(saved.privateKey))
			return { publicKey: saved.publicKey, privateKey: saved.privateKey, subject, source: 'file' };
		throw new Error(`${file} does not hold a VAPID key pair: remove it to generate a new one`);
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
	}
	const pair = webpush.generateVAPIDKeys();
	await writeFile(file, JSON.stringify(pair, null, 2) + '\n', { mode: 0o600, flag: 'wx' }).catch(async (e) => {
		// Another process made it first: use theirs.
		if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
	});
	const saved = JSON.parse(await readFile(file, 'utf8')) as { publicKey: string; privateKey: string };
	return { publicKey: saved.publicKey, privateKey: saved.privateKey, subject, source: 'file' };
}
