import { defineArea } from '../area';

export const account = defineArea('account', {
	vi: {
		title: 'Xác minh số điện thoại'
	},
	en: {
		title: 'Phone verification'
	}
});
