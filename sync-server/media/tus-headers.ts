import type { IncomingMessage } from 'node:http';
import { Metadata, TUS_RESUMABLE, TUS_VERSION } from '@tus/server';
import { ApiError } from '../http/api-error';

const nonNegativeInteger = (v: string) => String(Number(v)) === v && Number.isInteger(Number(v)) && Number(v) >= 0;

/** The header rules @tus/server applies (its validators/HeaderValidator.js), which it does not export. */
const RULES: Record<string, (v: string) => boolean> = {
	'upload-offset': nonNegativeInteger,
	'upload-length': nonNegativeInteger,
	'upload-defer-length': (v) => v === '1',
	'upload-metadata': (v) => {
		try {
			Metadata.parse(v);
			return true;
		} catch {
			return false;
		}
	},
	'x-forwarded-proto': (v) => v === 'http' || v === 'https',
	'tus-version': (v) => (TUS_VERSION as readonly string[]).includes(v),
	'tus-resumable': (v) => v === TUS_RESUMABLE,
	'upload-concat': (v) => v === 'partial' || v.startsWith('final;')
};

/**
 * Refuses what @tus/server would refuse before any of its hooks run — a request without
 * Tus-Resumable (412), a tus header with an invalid value (400) — with the API's error shape: tus
 * itself answers those in plain text, which gives the device no code to show.
 */
export function checkTusHeaders(req: IncomingMessage): void {
	if (req.method === 'OPTIONS') return;
	if (!req.headers['tus-resumable']) throw new ApiError(412, 'validation_failed', 'Tus-Resumable is required.');
	const invalid = Object.entries(req.headers).filter(([name, value]) => {
		const rule = name === 'content-type' ? (req.method === 'PATCH' ? (v: string) => v === 'application/offset+octet-stream' : null) : RULES[name];
		return rule && !rule(Array.isArray(value) ? value.join(', ') : String(value));
	});
	if (invalid.length) throw new ApiError(400, 'validation_failed', `Invalid ${invalid.map(([n]) => n).join(' ')}.`);
}
