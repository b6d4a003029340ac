import { defineArea } from '../area';

/**
 * The shared map (lib/map/MapView.svelte): its name, the buttons that move the pin for those who
 * cannot drag it, and what it says when the base map does not load. Loaded with the map only.
 */
export const mapArea = defineArea('map', {
	vi: {
		label: 'Bản đồ',
		loading: 'Đang mở bản đồ…',
		failed: 'Không mở được bản đồ trên máy này.',
		noBaseMap: 'Không tải được bản đồ nền (mất sóng hoặc bị chặn): ranh giới và ghim vẫn hiện.',
		pin: 'Ghim vị trí: kéo để dời',
		moveHint: 'Kéo ghim tới đúng chỗ, hoặc dùng các nút dưới đây.',
		moveNorth: 'Dời ghim lên trên (phía bắc)',
		moveSouth: 'Dời ghim xuống dưới (phía nam)',
		moveWest: 'Dời ghim sang trái (phía tây)',
		moveEast: 'Dời ghim sang phải (phía đông)',
		pinToCentre: 'Đặt ghim vào giữa bản đồ',
		done: 'Xong, đóng bản đồ'
	},
	en: {
		label: 'Map',
		loading: 'Opening the map…',
		failed: 'The map cannot open on this device.',
		noBaseMap: 'The base map did not load (no signal, or blocked): boundaries and the pin still show.',
		pin: 'Location pin: drag to move',
		moveHint: 'Drag the pin to the right place, or use the buttons below.',
		moveNorth: 'Move the pin up (north)',
		moveSouth: 'Move the pin down (south)',
		moveWest: 'Move the pin left (west)',
		moveEast: 'Move the pin right (east)',
		pinToCentre: 'Put the pin at the map centre',
		done: 'Done, close the map'
	}
});
