import { liveQuery } from 'dexie';

/**
 * A Dexie query whose result follows the database, as a rune: `const rows = live(() => …, [])`
 * then `rows.value` in the template. Call during component setup (it uses $effect).
 */
export function live<T>(query: () => T | Promise<T>, initial: T): { readonly value: T; readonly ready: boolean } {
	let value = $state.raw(initial);
	let ready = $state(false);
	$effect(() => {
		const sub = liveQuery(query).subscribe({
			next: (v) => {
				value = v;
				ready = true;
			},
			error: (e) => console.error('liveQuery', e)
		});
		return () => sub.unsubscribe();
	});
	return {
		get value() {
			return value;
		},
		get ready() {
			return ready;
		}
	};
}
