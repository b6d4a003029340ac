import { storageName } from './namespace';

/**
 * "Cài ứng dụng" where the browser offers to install the app (Chrome on Android fires
 * `beforeinstallprompt` once the app qualifies): a small button instead of the browser's own bar,
 * which many residents never notice. Dismissed once, it stays away on this device (and the browser's
 * own prompt is left alone from then on). Nothing shows where the browser offers nothing (iOS Safari).
 */
interface BeforeInstallPromptEvent extends Event {
	prompt(): Promise<void>;
	userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

const DISMISSED_KEY = storageName('cau-noi.install-dismissed');

export const install = $state<{ offer: BeforeInstallPromptEvent | null; dismissed: boolean }>({ offer: null, dismissed: false });

function remembered(): boolean {
	try {
		return globalThis.localStorage?.getItem(DISMISSED_KEY) === '1';
	} catch {
		return false;
	}
}

/** Listens for the browser's offer for the life of the page; returns the function that stops it. */
export function listenForInstallOffer(): () => void {
	install.dismissed = remembered();
	const onOffer = (e: Event) => {
		if (install.dismissed) return;
		// Our button instead of the browser's bar; kept to prompt from the button's click.
		e.preventDefault();
		install.offer = e as BeforeInstallPromptEvent;
	};
	const onInstalled = () => (install.offer = null);
	window.addEventListener('beforeinstallprompt', onOffer);
	window.addEventListener('appinstalled', onInstalled);
	return () => {
		window.removeEventListener('beforeinstallprompt', onOffer);
		window.removeEventListener('appinstalled', onInstalled);
	};
}

export function dismissInstall(): void {
	install.dismissed = true;
	install.offer = null;
	try {
		globalThis.localStorage?.setItem(DISMISSED_KEY, '1');
	} catch {
		// Private mode without storage: dismissed for this page only.
	}
}

/** The browser's install dialog; a "no" there is remembered like "Để sau". An offer prompts once. */
export async function acceptInstall(): Promise<void> {
	const offer = install.offer;
	if (!offer) return;
	install.offer = null;
	await offer.prompt();
	const choice = await offer.userChoice.catch(() => null);
	if (choice?.outcome === 'dismissed') dismissInstall();
}
