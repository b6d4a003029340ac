import { defineArea } from '../area';

/**
 * The lead unit (đơn vị chủ trì) and coordinating units (đơn vị phối hợp) of a report: the tags on
 * the unit list, the inbox and the timeline, and what a coordinating unit's result buttons do (its
 * result reports its part; only the lead's closes the report: domain/lead-unit.ts).
 */
export const lead = defineArea('lead', {
	vi: {
		lead: 'Chủ trì',
		coordinating: 'Phối hợp',
		/** After a unit's name on the timeline. */
		leadTag: '(chủ trì)',
		coordinatingTag: '(phối hợp)',
		yourRole: 'Đơn vị của bạn: {role}',
		roleHint: {
			lead: 'Kết quả của đơn vị chủ trì sẽ kết thúc phản ánh.',
			coordinating: 'Đơn vị phối hợp báo cáo phần việc của mình; đơn vị chủ trì báo cáo kết quả cuối cùng.'
		},
		action: {
			resolve: 'Báo cáo phần việc: đã xong',
			invalid: 'Báo cáo phần việc: không đúng sự thật'
		},
		event: {
			resolved: '{unit} báo cáo phần việc đã xong',
			rejected_invalid: '{unit} báo cáo phần việc: không đúng sự thật'
		}
	},
	en: {
		lead: 'Lead',
		coordinating: 'Coordinating',
		leadTag: '(lead)',
		coordinatingTag: '(coordinating)',
		yourRole: 'Your unit: {role}',
		roleHint: {
			lead: 'The lead unit’s result closes the report.',
			coordinating: 'A coordinating unit reports its part; the lead unit reports the final result.'
		},
		action: {
			resolve: 'Report our part: done',
			invalid: 'Report our part: not true'
		},
		event: {
			resolved: '{unit} reported its part done',
			rejected_invalid: '{unit} reported its part: not true'
		}
	}
});
