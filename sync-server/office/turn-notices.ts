import type { TicketPushPayload } from '$lib/domain/notice-rules';
import type { Office, OfficeConfig } from '$lib/domain/office';
import { unaccented } from '$lib/i18n/fold';
import { callableBy, queueOrder, type Ticket } from '$lib/domain/ticket';
import type { SmsSender } from '../otp/sms';
import type { Storage, StoredDoc } from '../storage/storage';
import type { OfficeQueue } from './office-queue';
import type { TicketRequest } from './ticket-take.service';

/**
 * Telling a resident their turn is near: when `notifyAhead` people or fewer remain before a ticket,
 * a Web Push to the holder's devices and, when they gave a phone, an SMS through the SmsSender (many
 * villagers wait outside or at home with a basic phone); and a push when their number is called.
 * Each notice goes once, whichever instance sees the change first (a create-only claim per notice).
 * A ticket taken with so few ahead that it is near already is not told so: its holder just read it.
 *
 * What leaves the server: the number, the office's name, how many are ahead or the counter — never
 * the holder's phone or identity (a push travels through the browser vendor's service).
 */


interface NoticeClaim extends StoredDoc {
	at: string;
}

/** Changes at an office within this window are looked at together. */
const SETTLE_MS = 200;

/** The SMS, unaccented (one GSM-7 part reads on any phone): both languages, the number first. */
export function smsText(number: string, office: Office, ahead: number): string {
	return unaccented(`Cầu Nối: số ${number} tại ${office.nameVi}: còn ${ahead} người trước bạn, hãy đến quầy. / Number ${number} at ${office.nameEn}: ${ahead} ahead of you.`);
}

export function createTurnNotices(deps: {
	office: () => OfficeConfig;
	queue: OfficeQueue;
	storage: Storage;
	sms: SmsSender;
	push: (recipients: string[], payload: TicketPushPayload, urgency: 'high' | 'normal') => Promise<void>;
	log: { warn(obj: unknown, msg: string): void; error(obj: unknown, msg: string): void };
}) {
	const claims = deps.storage.store<NoticeClaim>('ticket-notices');
	const requests = deps.storage.store<TicketRequest>('ticket-requests');
	const timers = new Map<string, NodeJS.Timeout>();
	let unsubscribe: (() => void) | null = null;
	let chain: Promise<void> = Promise.resolve();
	/** Tickets already claimed as "far" by this instance (the claim is written once, not at every change). */
	const knownFar = new Set<string>();

	/** True for the one instance (and the one time) that claims this notice. */
	async function claim(id: string): Promise<boolean> {
		const [r] = await claims.bulkPut([{ doc: { id, at: new Date().toISOString() }, rev: null }]);
		return r.ok;
	}

	const recipients = (t: Ticket) => [t.holderId, ...(t.personId ? [t.personId] : [])];
	const payload = (t: Ticket, o: Office, extra: Pick<TicketPushPayload, 'type' | 'ahead' | 'counter'>): TicketPushPayload => ({
		kind: 'ticket',
		ticketId: t.id,
		number: t.number,
		officeVi: o.nameVi,
		officeEn: o.nameEn,
		...extra
	});

	/** People ahead of each waiting ticket of the office today, as the ticket page counts them. */
	function aheadOf(o: Office, tickets: Ticket[], now: Date): Map<Ticket, number> {
		const waiting = tickets.filter((t) => t.status === 'waiting').sort(queueOrder);
		const out = new Map<Ticket, number>();
		// Who may call each ticket now, worked out once: every ticket below looks at all those before it
		// (500 waiting at the 7:30 rush: 125,000 looks at each review).
		const callableNow = new Map(waiting.map((x) => [x, o.counters.filter((c) => callableBy(x, c, now))]));
		for (const t of waiting) {
			const counters = o.counters.filter((c) => (t.targetCounterId ? c.id === t.targetCounterId : c.serviceIds.includes(t.serviceId)));
			const queued = Date.parse(t.queuedAt);
			const at = new Date(Math.max(now.getTime(), queued));
			const callable =
				queued <= now.getTime()
					? (x: Ticket) => callableNow.get(x)!.some((c) => counters.includes(c))
					: (x: Ticket) => counters.some((c) => callableBy(x, c, at));
			let n = 0;
			for (const x of waiting) {
				if (x === t) break;
				if (callable(x)) n++;
			}
			out.set(t, n);
		}
		return out;
	}

	async function review(officeId: string): Promise<void> {
		const o = deps.queue.officeOf(officeId);
		const tickets = await deps.queue.dayTickets(officeId, deps.queue.today());
		if (knownFar.size > 50_000) knownFar.clear(); // yesterday's; a claim in the store still holds
		const now = new Date();
		const aheads = aheadOf(o, tickets, now);
		const notifyAhead = deps.office().notifyAhead;
		// It was far once: it will be told when it comes near. One write for all those newly far (under
		// the 7:30 rush, hundreds at each review; one write each would queue behind the takes).
		const far = [...aheads].filter(([t, ahead]) => ahead > notifyAhead && !knownFar.has(t.id)).map(([t]) => t.id);
		for (const id of far) knownFar.add(id);
		const at = new Date().toISOString();
		if (far.length) await claims.bulkPut(far.map((id) => ({ doc: { id: `${id}|far`, at }, rev: null }))).catch(() => undefined);
		for (const [t, ahead] of aheads) {
			if (ahead > notifyAhead) continue;
			if (!(await claims.get(`${t.id}|far`)) || !(await claim(`${t.id}|near`))) continue;
			const req = await requests.get(t.id);
			await deps.push(recipients(t), payload(t, o, { type: 'turn_near', ahead }), 'high').catch((err) => deps.log.warn({ err }, 'turn notice push failed'));
			if (req?.phone) await deps.sms.send(req.phone, smsText(t.number, o, ahead)).catch((err) => deps.log.warn({ err }, 'turn notice SMS failed'));
		}
	}

	async function onCalled(t: Ticket): Promise<void> {
		if (t.status !== 'called' || !t.counterId || !t.lastCalledAt) return;
		if (!(await claim(`${t.id}|called|${t.lastCalledAt}`))) return;
		const o = deps.queue.officeOf(t.officeId);
		const counter = o.counters.find((c) => c.id === t.counterId)?.number;
		await deps.push(recipients(t), payload(t, o, { type: 'called', counter }), 'high').catch((err) => deps.log.warn({ err }, 'call notice push failed'));
	}

	function onTicket(t: Ticket): void {
		if (t.day !== deps.queue.today()) return;
		chain = chain.then(() => onCalled(t)).catch((err) => deps.log.error({ err }, 'call notice failed'));
		if (timers.has(t.officeId)) return;
		timers.set(
			t.officeId,
			setTimeout(() => {
				timers.delete(t.officeId);
				chain = chain.then(() => review(t.officeId)).catch((err) => deps.log.error({ err }, 'turn notices failed'));
			}, SETTLE_MS)
		);
	}

	return {
		start(): void {
			unsubscribe ??= deps.queue.onTicket(onTicket);
		},
		async close(): Promise<void> {
			unsubscribe?.();
			unsubscribe = null;
			for (const t of timers.values()) clearTimeout(t);
			timers.clear();
			await chain.catch(() => undefined);
		}
	};
}
