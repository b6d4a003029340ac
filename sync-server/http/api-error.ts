import type { ErrorCode } from '$lib/domain/errors';

/** Thrown anywhere in the server; the error handler answers `{ error: { code, message } }` with `status`. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: ErrorCode,
		message: string,
		readonly details?: unknown
	) {
		super(message);
	}
	toBody() {
		return { error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
	}
}
