import { defineArea } from '../area';

export const handling = defineArea('handling', {
	vi: {
		title: 'Xử lý phản ánh'
	},
	en: {
		title: 'Handling reports'
	}
});
