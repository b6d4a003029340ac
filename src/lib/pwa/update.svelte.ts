/**
 * A newer version of the app is installed and waiting: the layout shows "Update" while
 * `updateAvailable.current` is true and calls applyUpdate() (src/lib/pwa/register.ts) on a tap.
 */
class UpdateState {
	current = $state(false);
}

export const updateAvailable = new UpdateState();
