import { defineArea } from '../area';

export const volunteer = defineArea('volunteer', {
	vi: {
		title: 'Tổ công nghệ số cộng đồng'
	},
	en: {
		title: 'Community digital-tech team'
	}
});
