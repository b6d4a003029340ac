import { defineArea } from '../area';

export const my = defineArea('my', {
	vi: {
		title: 'Phản ánh của tôi'
	},
	en: {
		title: 'My reports'
	}
});
