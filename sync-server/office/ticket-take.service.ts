import { uuidv7 } from '$lib/domain/common';
import { slotsOn, openingPeriods, ticketDisplay, type Office } from '$lib/domain/office';
import type { TenantConfig } from '$lib/domain/tenant';
import { deriveTicket, ticketEventId, type Ticket, type TicketEvent } from '$lib/domain/ticket';
import { localDate, type WorkCalendar } from '$lib/domain/work-calendar';
import { ApiError } from '../http/api-error';
import type { Storage, Store, StoredDoc } from '../storage/storage';
import type { OfficeSettings } from './office-settings';
import { readTogether } from './read-together';
import { claimId, createTicketNumbers, SoldOut, type NumberClaim } from './ticket-numbers';

/**
 * Taking a number (bốc số): checks the office, the service, the day or slot and the limits, then
 * claims the number (ticket-numbers.ts) and writes the ticket and its `taken` event. The device
 * names the ticket (its request id): a retry of the same request, after a lost answer or from the
 * outbox when the link returns, gets the same ticket, and an id belongs to the first holder.
 */

/** Server-only record of a take request: who asked, from where, and the phone for SMS notices. */
export interface TicketRequest extends StoredDoc {
	id: string;
	holderId: string;
	personId?: string;
	address: string;
	phone?: string;
	officeId: string;
	serviceId: string;
	day: string;
	createdAt: string;
}

/** A quota place: `<key><ticket id>`, create-only; the ticket holds it until it is given back (cancelled). */
interface QuotaPlace extends StoredDoc {
	ticketId: string;
}

export interface TakeInput {
	ticketId: string;
	officeId: string;
	serviceId: string;
	/** A later slot's start (ISO), from the office's slots; absent: a walk-in ticket for today. */
	slotFrom?: string;
	priorityGroupId?: string;
	channel: 'app' | 'kiosk';
	holderId: string;
	personId?: string;
	address: string;
	phone?: string;
}

/**
 * A request still being numbered elsewhere (the same request sent twice) is waited for; once it is
 * this old its instance has died (no request lives this long: HTTP_REQUEST_TIMEOUT_MS) and it is
 * taken over. A retry that waited WAIT_MS without an answer is asked to come back.
 */
const RESUME_AFTER_MS = 60_000;
const WAIT_MS = 15_000;

const MINUTE = 60_000;

export function createTicketTake(deps: { tenant: TenantConfig; settings: OfficeSettings; storage: Storage; couchdbNodes?: number; now?: () => Date }) {
	const now = deps.now ?? (() => new Date());
	const tenantId = deps.tenant.id;
	const calendar = deps.tenant.calendar as WorkCalendar | undefined;
	const tickets = deps.storage.store<Ticket & StoredDoc>('tickets');
	const events = deps.storage.store<TicketEvent & StoredDoc>('ticket-events');
	const requests = deps.storage.store<TicketRequest>('ticket-requests');
	const quotas = deps.storage.store<QuotaPlace>('ticket-quotas');
	const numberStore = deps.storage.store<NumberClaim>('ticket-numbers');
	const numbers = createTicketNumbers(numberStore, now);
	// One node (or LevelDB) refuses a second create of an id outright; only a cluster needs the read-back.
	const readBack = deps.storage.kind === 'couchdb' && (deps.couchdbNodes ?? 1) > 1;

	function officeOf(id: string): Office {
		const o = deps.settings.current()?.offices.find((x) => x.id === id);
		if (!o || !calendar) throw new ApiError(404, 'not_found', 'Không có văn phòng này / No such office');
		return o;
	}

	/** The day and slot a request is for, or why it cannot be. */
	function when(o: Office, slotFrom: string | undefined, at: Date): { day: string; slot?: { from: string; to: string } } {
		const cal = calendar!;
		const today = localDate(cal, at);
		if (!slotFrom) {
			// A walk-in ticket: today, while a period is still to come or has time left to serve one more.
			const open = openingPeriods(o, cal, today).some((p) => at.getTime() < p.to.getTime() - o.lastTicketMinutes * MINUTE);
			if (!open) throw new ApiError(409, 'office_closed', 'Văn phòng không còn nhận số hôm nay / The office takes no more numbers today');
			return { day: today };
		}
		const from = new Date(slotFrom);
		if (Number.isNaN(from.getTime())) throw new ApiError(400, 'slot_unavailable', 'Khung giờ không hợp lệ / Not a slot');
		const day = localDate(cal, from);
		const last = localDate(cal, new Date(at.getTime() + o.bookDaysAhead * 86_400_000));
		if (day < today || day > last || from.getTime() <= at.getTime())
			throw new ApiError(409, 'slot_unavailable', 'Khung giờ đã qua hoặc quá xa / The slot has passed or is too far ahead');
		const slots = slotsOn(o, cal, day);
		if (!slots.length) throw new ApiError(409, 'office_closed', 'Văn phòng nghỉ ngày này / The office is closed that day');
		const slot = slots.find((s) => Date.parse(s.from) === from.getTime());
		if (!slot) throw new ApiError(409, 'slot_unavailable', 'Không có khung giờ này / No such slot');
		return { day, slot };
	}

	/**
	 * Takes a place of `key` for the ticket, or refuses when `limit` others hold one. The places are
	 * the documents `<key>#0000` … `<key>#<limit - 1>`, created only (a store refuses a second create of
	 * an id): at most `limit` can exist, whatever the order requests arrive in, on any number of
	 * instances. (Places once ordered by ticket id let a request whose id was older but whose write came
	 * later displace one already granted: a slot of 6 gave 7 under a rush.) A retried request finds
	 * the place it holds. On a CouchDB cluster a create may be accepted on two nodes at once: the place
	 * is read back, and only its winning revision's ticket holds it.
	 */
	async function takePlace(group: string, key: string, limit: number, ticketId: string, refuse: () => ApiError): Promise<string> {
		for (;;) {
			const holders = await heldPlaces(group, { key, limit });
			const mine = holders.indexOf(ticketId);
			if (mine >= 0) return placeId(key, mine);
			const free = holders.indexOf(null);
			if (free < 0) throw refuse();
			const id = placeId(key, free);
			const [r] = await quotas.bulkPut([{ doc: { id, ticketId }, rev: null }]);
			if (!r.ok && !r.conflict) throw new Error(r.error);
			if (r.ok && (!readBack || (await quotas.getMany([id])).get(id)?.doc.ticketId === ticketId)) return id;
			// Another request took that place first: read again, and try the next free one (each round
			// finds one more place taken, so this ends within `limit` rounds).
		}
	}

	/**
	 * Who holds each place of the keys asked (null: free), read after the caller asked. Many keys of
	 * one group (an office's day, a slot) asked together are read in one `getMany`: the rush costs a
	 * few reads, not one per take.
	 */
	const heldPlaces = readTogether<{ key: string; limit: number }, (string | null)[]>(async (_group, asks) => {
		const ids = (a: { key: string; limit: number }) => Array.from({ length: a.limit }, (_, i) => placeId(a.key, i));
		const got = await quotas.getMany([...new Set(asks.flatMap(ids))]);
		return asks.map((a) => ids(a).map((id) => got.get(id)?.doc.ticketId ?? null));
	});

	async function giveBack(placeIds: string[]): Promise<void> {
		const held = await quotas.getMany(placeIds);
		await quotas.bulkPut([...held.values()].map((v) => ({ doc: { ...v.doc, _deleted: true }, rev: v.rev })));
	}

	/**
	 * Numbers taken per address, office and day, counted by this instance alone (like the route's rate
	 * limit): a coarse bound against one machine taking hundreds, which a shared commune Wi-Fi stays far
	 * below. With n instances an address may take up to n times the limit; the per-person limit above
	 * is exact across instances (it is in the store).
	 */
	const byAddress = new Map<string, number>();
	function countAddress(key: string, at: Date): void {
		byAddress.set(key, (byAddress.get(key) ?? 0) + 1);
		const today = localDate(calendar!, at);
		// Days gone by are forgotten (the key's second part is its day).
		if (byAddress.size > 10_000) for (const k of byAddress.keys()) if (k.split('|')[1] < today) byAddress.delete(k);
	}

	const personKey = (i: Pick<TakeInput, 'holderId' | 'personId'>) => i.personId ?? i.holderId;
	const quotaKeys = (officeId: string, day: string, i: Pick<TakeInput, 'holderId' | 'personId' | 'address'>) => ({
		people: `${officeId}|${day}|p|`,
		person: `${officeId}|${day}|p|${personKey(i)}|`,
		address: `${officeId}|${day}|a|${i.address}`
	});
	const slotKey = (officeId: string, serviceId: string, slotFrom: string) => `${officeId}|slot|${serviceId}|${slotFrom}|`;
	const placeId = (key: string, i: number) => `${key}#${String(i).padStart(4, '0')}`;

	async function existing(input: TakeInput): Promise<Ticket | null> {
		const req = await requests.get(input.ticketId);
		if (!req || req._deleted) return null;
		if (req.holderId !== input.holderId)
			throw new ApiError(409, 'not_owner', 'Mã yêu cầu này thuộc về thiết bị khác / This request id belongs to another device');
		const takeOver = Date.parse(req.createdAt) + RESUME_AFTER_MS;
		const giveUp = Date.now() + WAIT_MS;
		for (;;) {
			const t = await tickets.get(input.ticketId);
			if (t && !t._deleted) return t;
			if (now().getTime() >= takeOver) return null; // its instance died mid-way: take it over
			if (Date.now() >= giveUp)
				throw new ApiError(503, 'server_error', 'Số của bạn đang được cấp; hãy thử lại sau ít giây / Your number is being issued; try again in a few seconds');
			await new Promise((r) => setTimeout(r, 100));
		}
	}

	async function take(input: TakeInput): Promise<Ticket> {
		const o = officeOf(input.officeId);
		if (!o.serviceIds.includes(input.serviceId))
			throw new ApiError(409, 'service_not_offered', 'Văn phòng không nhận dịch vụ này / The office does not offer this service');
		const office = deps.settings.current()!;
		if (input.priorityGroupId && !office.priorityGroups.some((g) => g.id === input.priorityGroupId))
			throw new ApiError(400, 'validation_failed', 'Nhóm ưu tiên không có / Unknown priority group');
		const at = now();
		const { day, slot } = when(o, input.slotFrom, at);

		const [created] = await requests.bulkPut([
			{
				doc: {
					id: input.ticketId,
					holderId: input.holderId,
					...(input.personId ? { personId: input.personId } : {}),
					address: input.address,
					...(input.phone ? { phone: input.phone } : {}),
					officeId: o.id,
					serviceId: input.serviceId,
					day,
					createdAt: at.toISOString()
				},
				rev: null
			}
		]);
		if (!created.ok) {
			if (!created.conflict) throw new Error(created.error);
			const done = await existing(input);
			if (done) return done;
		}

		const keys = quotaKeys(o.id, day, input);
		const places: string[] = [];
		const service = office.services.find((s) => s.id === input.serviceId)!;
		let ticket: Ticket;
		try {
			const limited = () => new ApiError(429, 'ticket_limit', 'Đã đủ số lượt hôm nay / Daily limit reached');
			if ((byAddress.get(keys.address) ?? 0) >= o.addressDailyLimit) throw limited();
			// A kiosk is shared by every visitor of the day: only the address's count bounds it, not a person's limit.
			if (input.channel !== 'kiosk') places.push(await takePlace(keys.people, keys.person, o.dailyLimit, input.ticketId, limited));
			if (slot) {
				const key = slotKey(o.id, service.id, slot.from);
				places.push(
					await takePlace(key, key, o.slotCapacity, input.ticketId, () => new ApiError(409, 'slot_full', 'Khung giờ đã hết số / The slot is full'))
				);
			}
			let seq: number;
			try {
				seq = await numbers.claim(o.id, day, service.prefix, input.ticketId);
			} catch (e) {
				if (e instanceof SoldOut) throw new ApiError(409, 'tickets_sold_out', 'Hết số hôm nay / No numbers left today');
				throw e;
			}
			if (readBack && !(await numbers.confirm(o.id, day, service.prefix, seq, input.ticketId))) {
				seq = await numbers.claim(o.id, day, service.prefix, input.ticketId);
			}
			ticket = deriveTicket(
				{
					id: input.ticketId,
					tenantId,
					officeId: o.id,
					serviceId: service.id,
					day,
					...(slot ? { slot } : {}),
					seq,
					number: ticketDisplay(service.prefix, seq),
					holderId: input.holderId,
					...(input.personId ? { personId: input.personId } : {}),
					channel: input.channel,
					...(input.priorityGroupId ? { priorityGroupId: input.priorityGroupId } : {}),
					takenAt: at.toISOString()
				},
				[]
			);
		} catch (e) {
			// Refused or failed before a number: nothing stays held, and the device may ask again with the same id.
			await giveBack(places).catch(() => undefined);
			const req = await requests.getMany([input.ticketId]);
			const r = req.get(input.ticketId);
			if (r) await requests.bulkPut([{ doc: { ...r.doc, _deleted: true }, rev: r.rev }]).catch(() => undefined);
			throw e;
		}
		countAddress(keys.address, at);
		// The ticket and its `taken` event in parallel: the event only repeats what the ticket says, and a
		// second one (the same request taken over at once elsewhere) is ignored by every derivation.
		const [[stored]] = await Promise.all([tickets.bulkPut([{ doc: ticket as Ticket & StoredDoc, rev: null }]), events.bulkPut([{ doc: takenEvent(ticket, input) as TicketEvent & StoredDoc, rev: null }])]);
		if (!stored.ok) {
			if (!stored.conflict) throw new Error(stored.error);
			// The same request, taken over by another instance at the same moment: one ticket, its number;
			// ours stays issued as void so the day's numbers keep no hole.
			const other = (await tickets.get(input.ticketId))!;
			if (other.seq !== ticket.seq) await voidClaim(o.id, day, service.prefix, ticket.seq);
			return other;
		}
		return ticket;
	}

	function takenEvent(ticket: Ticket, input: TakeInput): TicketEvent {
		return {
			id: ticketEventId(ticket.id, uuidv7()),
			ticketId: ticket.id,
			tenantId,
			officeId: ticket.officeId,
			day: ticket.day,
			type: 'taken',
			actorId: input.holderId,
			actorRole: input.channel === 'kiosk' ? 'kiosk' : 'resident',
			toServiceId: ticket.serviceId,
			at: ticket.takenAt,
			_deleted: false
		};
	}

	async function voidClaim(officeId: string, day: string, prefix: string, seq: number): Promise<void> {
		const id = claimId(officeId, day, prefix, seq);
		const held = (await numberStore.getMany([id])).get(id);
		if (held) await numberStore.bulkPut([{ doc: { ...held.doc, voided: true }, rev: held.rev }]);
	}

	return {
		take,
		numbers,
		/** Gives back the person's and the slot's places of a cancelled ticket (the address's stays used). */
		async release(t: Ticket): Promise<void> {
			const req = await requests.get(t.id);
			if (!req) return;
			const keys = quotaKeys(t.officeId, t.day, req);
			// The slot was held for the service the ticket was taken for (a transfer changes `serviceId`).
			const held = [keys.person, ...(t.slot ? [slotKey(t.officeId, req.serviceId, t.slot.from)] : [])];
			// Every place of those keys (a limit lowered since may have left some past its end): the ticket's own go back.
			const ids = (await Promise.all(held.map((k) => quotas.idsInRange({ start: `${k}#`, end: `${k}#~`, limit: 1000 })))).flat();
			const docs = await quotas.getMany(ids);
			await giveBack(ids.filter((id) => docs.get(id)?.doc.ticketId === t.id));
		},
		request: (id: string) => requests.get(id)
	};
}
export type TicketTake = ReturnType<typeof createTicketTake>;
