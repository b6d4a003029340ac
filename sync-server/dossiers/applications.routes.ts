import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id } from '$lib/domain/common';
import { normalizeDossierCode } from '$lib/domain/dossier';
import { ApplicationAction, ApplicationAnswer, ApplicationStatus, DossierApplication } from '$lib/domain/dossier-application';
import { authenticateFirst, principalOf, type TokenService } from '../auth/tokens';
import { ApiError } from '../http/api-error';
import { bodyCheckedByHandler } from '../http/openapi';
import { ApplicationListAnswer, ApplicationViewAnswer, PublicDossierAnswer } from './dossier-answers';
import type { Applications } from './applications.service';

/**
 * Online applications (the HTTP contract of issue 13):
 *   POST /api/dossier-applications                     resident: file one (201; 200 for the same again)
 *   GET  /api/dossier-applications/mine                resident: their own, newest first
 *   GET  /api/dossier-applications/:id                 its author/person, or staff of its office
 *   POST /api/dossier-applications/:id/answer          author: more documents when asked
 *   POST /api/dossier-applications/:id/withdraw        author
 *   GET  /api/offices/:office/dossier-applications     staff of the office: its queue, oldest first
 *   POST /api/dossier-applications/:id/actions         staff of its office: ask, accept, refuse
 *   POST /api/dossiers/:code/steps                     staff of the dossier's office: later steps
 * Every route knows its caller before Fastify reads the body, and takes no more than it needs.
 */

/** An application is text and ids (40 documents of 10 file ids, a form of long answers): well under. */
const APPLICATION_BODY_LIMIT = 64 * 1024;
/** An action or a step: a note of 1,000 characters at most. */
const ACTION_BODY_LIMIT = 8 * 1024;

const Slug = z.string().regex(/^[a-z0-9-]{1,40}$/);
const Statuses = z
	.string()
	.max(200)
	.transform((s) => s.split(',').filter(Boolean))
	.pipe(z.array(ApplicationStatus).min(1).max(5));
const LaterStep = z.strictObject({ status: z.enum(['processing', 'result_ready', 'returned']), note: z.string().trim().min(1).max(500).optional() });

export async function applicationRoutes(app: FastifyInstance, deps: { tokens: TokenService; applications: Applications }) {
	const r = app.withTypeProvider<ZodTypeProvider>();
	const svc = deps.applications;
	const authed = { onRequest: authenticateFirst(deps.tokens) };
	const byId = { params: z.object({ id: Id }) };
	const view = { response: { 200: ApplicationViewAnswer } };

	// Per address as well as per author (the service's open limit): one device can make many identities.
	// The service checks the body, after the caller's role (a stranger learns nothing of the format).
	r.post(
		'/api/dossier-applications',
		{
			...authed,
			bodyLimit: APPLICATION_BODY_LIMIT,
			schema: { body: DossierApplication, response: { 200: ApplicationViewAnswer, 201: ApplicationViewAnswer } },
			validatorCompiler: bodyCheckedByHandler,
			config: { rateLimit: { max: 60, timeWindow: 3_600_000 } }
		},
		async (req, reply) => {
		const out = await svc.submit(principalOf(req), req.body);
		return reply.status(out.created ? 201 : 200).send(out.view);
		}
	);

	r.get('/api/dossier-applications/mine', { ...authed, schema: { response: { 200: ApplicationListAnswer } } }, async (req, reply) => {
		reply.header('cache-control', 'no-store');
		return { applications: await svc.mine(principalOf(req)) };
	});

	r.get('/api/dossier-applications/:id', { ...authed, schema: { ...byId, ...view } }, async (req, reply) => {
		reply.header('cache-control', 'no-store');
		return svc.get(principalOf(req), req.params.id);
	});

	r.post('/api/dossier-applications/:id/answer', { ...authed, bodyLimit: APPLICATION_BODY_LIMIT, schema: { ...byId, body: ApplicationAnswer, ...view } }, async (req) =>
		svc.answer(principalOf(req), req.params.id, req.body)
	);

	r.post('/api/dossier-applications/:id/withdraw', { ...authed, bodyLimit: ACTION_BODY_LIMIT, schema: { ...byId, ...view } }, async (req) =>
		svc.withdraw(principalOf(req), req.params.id)
	);

	r.get(
		'/api/offices/:office/dossier-applications',
		{ ...authed, schema: { params: z.object({ office: Slug }), querystring: z.object({ status: Statuses.optional() }), response: { 200: ApplicationListAnswer } } },
		async (req, reply) => {
			reply.header('cache-control', 'no-store');
			const statuses = req.query.status ?? ['submitted', 'needs_documents'];
			return { applications: await svc.queue(principalOf(req), req.params.office, statuses) };
		}
	);

	r.post('/api/dossier-applications/:id/actions', { ...authed, bodyLimit: ACTION_BODY_LIMIT, schema: { ...byId, body: ApplicationAction, ...view } }, async (req) =>
		svc.act(principalOf(req), req.params.id, req.body)
	);

	r.post(
		'/api/dossiers/:code/steps',
		{ ...authed, bodyLimit: ACTION_BODY_LIMIT, schema: { params: z.object({ code: z.string().max(60) }), body: LaterStep, response: { 200: PublicDossierAnswer } } },
		async (req) => {
			const code = normalizeDossierCode(req.params.code);
			if (!code) throw new ApiError(400, 'dossier_code_invalid', 'Mã hồ sơ chưa đúng dạng / Not a dossier code');
			return svc.dossierStep(principalOf(req), code, req.body.status, req.body.note);
		}
	);
}
