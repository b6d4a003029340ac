import { defineArea } from '../area';

/**
 * What a queue ticket's push notification says (the service worker shows it, sync-server/office/
 * turn-notices.ts sends it): the number in the title, what to do in the body.
 */
export const ticketPush = defineArea('ticketPush', {
	vi: {
		title: 'Số {number} · {office}',
		turn_near: 'Còn {ahead} người trước bạn. Hãy đến gần quầy.',
		called: 'Mời số {number} đến quầy số {counter}.'
	},
	en: {
		title: 'Number {number} · {office}',
		turn_near: '{ahead} people ahead of you. Please come near the counter.',
		called: 'Number {number}, please come to counter {counter}.'
	}
});
