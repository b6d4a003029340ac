import { defineArea } from '../area';

export const sla = defineArea('sla', {
	vi: {
		title: 'Hạn xử lý'
	},
	en: {
		title: 'Handling deadlines'
	}
});
