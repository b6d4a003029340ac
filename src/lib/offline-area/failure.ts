import type { ErrorCode } from '../domain/errors';

/** A download or look-up that failed: storage_full, storage_evicted, network, rate_limited, server_error, unknown_ward. */
export class OfflineAreaFailure extends Error {
	constructor(readonly code: ErrorCode, options?: { cause?: unknown }) {
		super(code, options);
		this.name = 'OfflineAreaFailure';
	}
}
