import { defineArea } from '../area';

export const publicArea = defineArea('public', {
	vi: {
		title: 'Phản ánh công khai'
	},
	en: {
		title: 'Public reports'
	}
});
