import type { DossierStatus, PublicDossier } from '../domain/dossier';
import type { ApplicationRow, ApplicationState } from '../sync/local-db';

/**
 * What /my lists of the resident's online applications besides the server's copy: those still on
 * the phone (drafts, and those the sender has not delivered), and the dossier an accepted one became.
 * Pure: the component and the tests feed it rows.
 */

/**
 * Applications on the phone to show in /my, newest first: every draft and every row on its way; a
 * delivered row only until the server lists it (then the server's row is shown, never both) and
 * only if it was delivered after the last look at the server — an older one the server no longer
 * lists is not brought back.
 */
export function onPhoneOnly(local: readonly ApplicationRow[], listed: ReadonlySet<string>, refreshedAt: number): ApplicationRow[] {
	return local
		.filter((r) => !listed.has(r.id) && (r.state.kind !== 'delivered' || r.updatedAt > refreshedAt))
		.sort((a, b) => b.updatedAt - a.updatedAt);
}

/** The words of a phone row's state (area my-applications). */
export function phoneStateKey(state: ApplicationState['kind']) {
	const keys = {
		draft: 'my-applications.phoneDraft',
		waiting: 'my-applications.phoneWaiting',
		sending: 'my-applications.phoneSending',
		files: 'my-applications.phoneFiles',
		needs_attention: 'my-applications.phoneNeedsAttention',
		delivered: 'my-applications.phoneDelivered'
	} as const;
	return keys[state];
}

/**
 * The dossier's status the resident has seen is news once it moves on. Acceptance itself is the
 * application's own step (news by its `updatedAt`), so a dossier never looked at counts as seen
 * while it is just accepted.
 */
export function dossierNews(dossier: Pick<PublicDossier, 'status'> | undefined, seen: DossierStatus | undefined): boolean {
	return !!dossier && dossier.status !== (seen ?? 'accepted');
}

/** The dossier's steps after its acceptance: what the office did since (the earlier ones are the application's). */
export function laterSteps(dossier: Pick<PublicDossier, 'steps'>): PublicDossier['steps'] {
	const accepted = dossier.steps.findIndex((s) => s.status === 'accepted');
	return accepted < 0 ? dossier.steps.filter((s) => s.status !== 'submitted') : dossier.steps.slice(accepted + 1);
}
