import {
	DossierApplication,
	type ApplicationAnswer,
	type ApplicationDocument,
	type ApplicationProblem
} from '$lib/domain/dossier-application';
import type { DossierStatus } from '$lib/domain/dossier';
import { ApiError } from '../http/api-error';

/** The pure rules of online applications on the server: refusals, what "sent again" means, answers, later steps. */

/**
 * A refusal whose body carries what the device shows next to the fields: `error.fields` /
 * `error.indexes` as the contract says, and the same under `error.details`, where the app's
 * ApiFailure reads details of every error.
 */
export class ApplicationRefused extends ApiError {
	constructor(status: number, code: ApiError['code'], message: string, readonly extra: Record<string, unknown>) {
		super(status, code, message);
	}
	override toBody() {
		return { error: { code: this.code, message: this.message, ...this.extra, details: this.extra } };
	}
}

/** The device's own fields, as what "the same application sent again" compares. */
const FIELDS = Object.keys(DossierApplication.shape) as (keyof DossierApplication)[];
export const sameContent = (a: DossierApplication, b: DossierApplication) => JSON.stringify(FIELDS.map((k) => a[k] ?? null)) === JSON.stringify(FIELDS.map((k) => b[k] ?? null));

/** The refusal for the first problem checkApplication found (the order the device fixes them in). */
export function refusalOf(problems: ApplicationProblem[]): ApiError | null {
	const p = problems[0];
	if (!p) return null;
	switch (p.code) {
		case 'procedure_not_online':
			return new ApiError(422, 'procedure_not_online', 'Thủ tục này không nộp trực tuyến được / This procedure cannot be filed online');
		case 'form_invalid':
			return new ApplicationRefused(422, 'form_invalid', `Thông tin chưa đúng: ${p.fields.join(', ')} / Fields to fix: ${p.fields.join(', ')}`, { fields: p.fields });
		case 'document_missing':
			return new ApplicationRefused(422, 'document_missing', 'Còn thiếu giấy tờ bắt buộc / A required document is missing', { indexes: p.indexes });
		case 'validation_failed':
			return new ApiError(400, 'validation_failed', `Hồ sơ không hợp lệ / Invalid application: ${p.message}`);
	}
}

/** The documents after an answer: new pages appended to their document, new documents added in index order. */
export function mergeAnswer(documents: ApplicationDocument[], answer: Pick<ApplicationAnswer, 'documents'>): ApplicationDocument[] {
	const byIndex = new Map(documents.map((d) => [d.index, { index: d.index, fileIds: [...d.fileIds] }]));
	for (const d of answer.documents) {
		const held = byIndex.get(d.index);
		if (held) held.fileIds.push(...d.fileIds);
		else byIndex.set(d.index, { index: d.index, fileIds: [...d.fileIds] });
	}
	return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/** Later steps of an accepted dossier, in the order they come; `processing` may be said again (a progress note). */
const LATER: readonly DossierStatus[] = ['accepted', 'processing', 'result_ready', 'returned'];
export function laterStepAllowed(from: DossierStatus, to: DossierStatus): boolean {
	const a = LATER.indexOf(from);
	const b = LATER.indexOf(to);
	return a >= 0 && b > 0 && (b > a || (to === 'processing' && from === 'processing'));
}
