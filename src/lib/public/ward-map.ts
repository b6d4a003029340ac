import type { Location } from '../domain/report';

/** Coordinates of a report's location, or null when only its ward was picked (listed, not plotted). */
export function pointOf(location: Location): { lat: number; lng: number } | null {
	return location.source === 'ward' ? null : { lat: location.lat, lng: location.lng };
}
