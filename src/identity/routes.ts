import { type Static, Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { type App, ErrorBody } from '../platform/http.ts';
import { type AccountActor, isOrganisationRole, organisationRoles, staffRoles } from './model.ts';
import type { IdentityDeps } from './service.ts';
import * as service from './service.ts';
import { sessionIdOf } from './sessions.ts';

// ── schemas ─────────────────────────────────────────────────────────────────

const DateTime = Type.String({ format: 'date-time' });
const Id = Type.String({ description: 'UUID' });
const OrganisationRoleSchema = Type.Union(
  organisationRoles.map((r) => Type.Literal(r)),
  { description: 'mandataire, representant (représentant) ou salarie (salarié)' },
);
const StaffRoleSchema = Type.Union(staffRoles.map((r) => Type.Literal(r)));
const OrganisationStatus = Type.Union([Type.Literal('active'), Type.Literal('suspended')]);

const MyOrganisation = Type.Object({
  id: Id,
  legalName: Type.String(),
  siren: Type.String(),
  status: OrganisationStatus,
  role: OrganisationRoleSchema,
});

const Me = Type.Object({
  id: Id,
  email: Type.String(),
  displayName: Type.String(),
  locale: Type.Union([Type.Literal('fr'), Type.Literal('en')]),
  totpEnabled: Type.Boolean(),
  staffRoles: Type.Array(StaffRoleSchema),
  organisations: Type.Array(MyOrganisation),
  apiTokenOrganisationId: Type.Optional(Id),
});

const Organisation = Type.Object({
  id: Id,
  legalName: Type.String(),
  siren: Type.String(),
  address: Type.String(),
  legalRepresentative: Type.String(),
  status: OrganisationStatus,
});

const Member = Type.Object({
  accountId: Id,
  email: Type.String(),
  displayName: Type.String(),
  role: OrganisationRoleSchema,
  disabled: Type.Boolean(),
  since: DateTime,
});

const Invitation = Type.Object({ email: Type.String(), role: OrganisationRoleSchema, expiresAt: DateTime });

const ApiToken = Type.Object({
  id: Id,
  name: Type.String(),
  prefix: Type.String({ description: 'Début du jeton, pour le reconnaître / the token’s first characters' }),
  organisationId: Id,
  organisationName: Type.String(),
  createdAt: DateTime,
  expiresAt: DateTime,
  lastUsedAt: Type.Union([DateTime, Type.Null()]),
  revokedAt: Type.Union([DateTime, Type.Null()]),
  status: Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('expired')]),
});

const Person = Type.Object({
  id: Id,
  email: Type.String(),
  displayName: Type.String(),
  staffRoles: Type.Array(StaffRoleSchema),
  memberships: Type.Array(
    Type.Object({ organisationId: Id, organisationName: Type.String(), role: OrganisationRoleSchema }),
  ),
  emailVerified: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  lockedUntil: Type.Union([DateTime, Type.Null()]),
  disabled: Type.Boolean(),
  createdAt: DateTime,
});

const OrganisationSummary = Type.Object({
  id: Id,
  legalName: Type.String(),
  siren: Type.String(),
  status: OrganisationStatus,
  memberCount: Type.Integer(),
  createdAt: DateTime,
});

// Body fields are optional in the schema: a missing one is a field problem (422) the service names, and a
// caller without the right is refused before its body is looked at.
const text = (maxLength = 1000) => Type.Optional(Type.String({ maxLength }));

const RegistrationBody = Type.Object({
  legalName: text(),
  siren: text(),
  address: text(),
  legalRepresentative: text(),
  displayName: text(),
  email: text(),
  password: text(),
});

const errors = { '4xx': ErrorBody };
const bearer = [{ bearer: [] }];

// ── views → JSON ────────────────────────────────────────────────────────────

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

function meJson(view: service.AccountView, actor: AccountActor): Static<typeof Me> {
  return {
    ...view,
    ...(actor.apiTokenOrganisationId ? { apiTokenOrganisationId: actor.apiTokenOrganisationId } : {}),
  };
}

function tokenJson(t: service.ApiTokenView): Static<typeof ApiToken> {
  return {
    ...t,
    createdAt: iso(t.createdAt),
    expiresAt: iso(t.expiresAt),
    lastUsedAt: isoOrNull(t.lastUsedAt),
    revokedAt: isoOrNull(t.revokedAt),
  };
}

function memberJson(m: service.MemberView): Static<typeof Member> {
  return { ...m, since: iso(m.since) };
}

function invitationJson(i: service.InvitationView): Static<typeof Invitation> {
  return { ...i, expiresAt: iso(i.expiresAt) };
}

function personJson(p: service.PersonView): Static<typeof Person> {
  return { ...p, lockedUntil: isoOrNull(p.lockedUntil), createdAt: iso(p.createdAt) };
}

function account(request: FastifyRequest): AccountActor {
  // The route's action already required an account.
  return request.actor as AccountActor;
}

// ── routes ──────────────────────────────────────────────────────────────────

/** The identity JSON API under /api/v1: the same use cases as the pages. */
export function identityRoutes(deps: IdentityDeps) {
  return async (app: App) => {
    const me = ['comptes / accounts'];
    const orgs = ['organisations'];
    const admin = ['administration'];

    app.post(
      '/api/v1/registrations',
      {
        // No session is used and only JSON is accepted, so a cross-site form cannot forge it.
        config: { action: 'auth.sign_in', csrf: false },
        schema: {
          tags: me,
          summary: 'Inscrire un éditeur (organisation et mandataire) / register a publisher',
          description:
            'Crée l’organisation, le compte et le rôle mandataire, puis envoie un courriel de vérification : la connexion attend la vérification.',
          body: RegistrationBody,
          response: { 201: Type.Object({ organisationId: Id, accountId: Id }), ...errors },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const input = {
          legalName: b.legalName ?? '',
          siren: b.siren ?? '',
          address: b.address ?? '',
          legalRepresentative: b.legalRepresentative ?? '',
          displayName: b.displayName ?? '',
          email: b.email ?? '',
          password: b.password ?? '',
        };
        const result = await service.registerPublisher(deps, input, {
          ip: request.ip,
          locale: request.locale,
        });
        return reply.code(201).send(result);
      },
    );

    app.get(
      '/api/v1/me',
      {
        config: { action: 'account.view' },
        schema: {
          tags: me,
          summary: 'Mon compte, mes rôles et mes organisations / my account, roles and organisations',
          security: bearer,
          response: { 200: Me, ...errors },
        },
      },
      async (request) => meJson(await service.accountView(deps, account(request)), account(request)),
    );

    app.patch(
      '/api/v1/me',
      {
        config: { action: 'account.self' },
        schema: {
          tags: me,
          summary: 'Modifier mon nom ou ma langue / change my name or language',
          body: Type.Object({
            displayName: text(200),
            locale: text(5),
          }),
          response: { 200: Me, ...errors },
        },
      },
      async (request) => {
        const actor = account(request);
        const current = await service.accountView(deps, actor);
        await service.updateProfile(deps, actor, {
          displayName: request.body.displayName ?? current.displayName,
          locale: request.body.locale ?? current.locale,
        });
        return meJson(await service.accountView(deps, actor), actor);
      },
    );

    app.post(
      '/api/v1/me/password',
      {
        config: { action: 'account.self' },
        schema: {
          tags: me,
          summary: 'Changer mon mot de passe (les autres sessions se ferment) / change my password',
          body: Type.Object({ currentPassword: text(), newPassword: text() }),
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (request, reply) => {
        await service.changePassword(deps, account(request), {
          current: request.body.currentPassword ?? '',
          next: request.body.newPassword ?? '',
          sessionId: sessionIdOf(request),
        });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/v1/me/api-tokens',
      {
        config: { action: 'account.api_tokens' },
        schema: {
          tags: me,
          summary: 'Mes jetons d’API personnels (session uniquement) / my personal API tokens',
          response: { 200: Type.Array(ApiToken), ...errors },
        },
      },
      async (request) => (await service.listApiTokens(deps, account(request))).map(tokenJson),
    );

    app.post(
      '/api/v1/me/api-tokens',
      {
        config: { action: 'account.api_tokens' },
        schema: {
          tags: me,
          summary: 'Créer un jeton d’API (montré une seule fois) / create an API token (shown once)',
          body: Type.Object({
            name: text(200),
            organisationId: text(100),
            days: Type.Optional(Type.Integer({ description: '1 à 365 jours / 1 to 365 days' })),
          }),
          response: { 201: Type.Intersect([ApiToken, Type.Object({ token: Type.String() })]), ...errors },
        },
      },
      async (request, reply) => {
        const created = await service.createApiToken(deps, account(request), {
          name: request.body.name ?? '',
          organisationId: request.body.organisationId ?? '',
          days: request.body.days ?? Number.NaN,
        });
        return reply.code(201).send({ ...tokenJson(created.view), token: created.token });
      },
    );

    app.delete<{ Params: { tokenId: string } }>(
      '/api/v1/me/api-tokens/:tokenId',
      {
        config: { action: 'account.api_tokens' },
        schema: {
          tags: me,
          summary: 'Révoquer un de mes jetons / revoke one of my tokens',
          params: Type.Object({ tokenId: Type.String() }),
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (request, reply) => {
        await service.revokeApiToken(deps, account(request), request.params.tokenId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/v1/organisations',
      {
        config: { action: 'account.view' },
        schema: {
          tags: orgs,
          summary: 'Mes organisations et mon rôle dans chacune / my organisations and my role in each',
          security: bearer,
          response: { 200: Type.Array(MyOrganisation), ...errors },
        },
      },
      async (request) => (await service.accountView(deps, account(request))).organisations,
    );

    const OrgParams = Type.Object({ orgId: Type.String() });
    const MemberParams = Type.Object({ orgId: Type.String(), accountId: Type.String() });
    const orgOf = (request: FastifyRequest) => ({
      organisationId: (request.params as { orgId: string }).orgId,
    });
    const targetRoleOf = (request: FastifyRequest) => {
      const role = (request.body as { role?: unknown } | undefined)?.role;
      return { ...orgOf(request), targetRole: isOrganisationRole(role) ? role : undefined };
    };

    app.get<{ Params: Static<typeof OrgParams> }>(
      '/api/v1/organisations/:orgId',
      {
        config: { action: 'organisation.view', resource: orgOf },
        schema: {
          tags: orgs,
          summary: 'Une organisation / one organisation',
          security: bearer,
          params: OrgParams,
          response: { 200: Organisation, ...errors },
        },
      },
      async (request) => service.getOrganisation(deps, request.actor, request.params.orgId),
    );

    app.get<{ Params: Static<typeof OrgParams> }>(
      '/api/v1/organisations/:orgId/members',
      {
        config: { action: 'organisation.view', resource: orgOf },
        schema: {
          tags: orgs,
          summary: 'Membres et invitations en attente / members and pending invitations',
          security: bearer,
          params: OrgParams,
          response: {
            200: Type.Object({ members: Type.Array(Member), invitations: Type.Array(Invitation) }),
            ...errors,
          },
        },
      },
      async (request) => {
        const list = await service.listMembers(deps, request.actor, request.params.orgId);
        return { members: list.members.map(memberJson), invitations: list.invitations.map(invitationJson) };
      },
    );

    app.post<{ Params: Static<typeof OrgParams>; Body: { email?: string; role?: string } }>(
      '/api/v1/organisations/:orgId/invitations',
      {
        config: { action: 'organisation.manage_members', resource: targetRoleOf },
        schema: {
          tags: orgs,
          summary: 'Inviter une personne par courriel avec un rôle / invite someone by mail with a role',
          description:
            'Mandataire et représentant invitent ; seul le mandataire donne les rôles mandataire et représentant.',
          security: bearer,
          params: OrgParams,
          body: Type.Object({ email: text(300), role: text(50) }),
          response: { 201: Invitation, ...errors },
        },
      },
      async (request, reply) => {
        const invitation = await service.inviteMember(
          deps,
          account(request),
          request.params.orgId,
          { email: request.body.email ?? '', role: request.body.role ?? '' },
          request.locale,
        );
        return reply.code(201).send(invitationJson(invitation));
      },
    );

    app.patch<{ Params: Static<typeof MemberParams>; Body: { role?: string } }>(
      '/api/v1/organisations/:orgId/members/:accountId',
      {
        config: { action: 'organisation.manage_members', resource: targetRoleOf },
        schema: {
          tags: orgs,
          summary: 'Changer le rôle d’un membre / change a member’s role',
          description: 'Une organisation garde toujours au moins un mandataire.',
          security: bearer,
          params: MemberParams,
          body: Type.Object({ role: text(50) }),
          response: { 200: Member, ...errors },
        },
      },
      async (request) => {
        const { orgId, accountId } = request.params;
        await service.changeMemberRole(deps, account(request), orgId, accountId, request.body.role ?? '');
        const { members } = await service.listMembers(deps, request.actor, orgId);
        return memberJson(members.find((m) => m.accountId === accountId) as service.MemberView);
      },
    );

    app.delete<{ Params: Static<typeof MemberParams> }>(
      '/api/v1/organisations/:orgId/members/:accountId',
      {
        config: { action: 'organisation.manage_members', resource: orgOf },
        schema: {
          tags: orgs,
          summary: 'Retirer un membre (ses jetons pour cette organisation sont révoqués) / remove a member',
          security: bearer,
          params: MemberParams,
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (request, reply) => {
        await service.removeMember(deps, account(request), request.params.orgId, request.params.accountId);
        return reply.code(204).send(null);
      },
    );

    // admin console
    const PersonParams = Type.Object({ accountId: Type.String() });
    app.get<{ Querystring: { email?: string } }>(
      '/api/v1/admin/accounts',
      {
        config: { action: 'admin.console' },
        schema: {
          tags: admin,
          summary: 'Chercher des personnes par adresse / search people by address',
          querystring: Type.Object({ email: Type.Optional(text(254)) }),
          response: { 200: Type.Array(Person), ...errors },
        },
      },
      async (request) =>
        (await service.searchPeople(deps, request.actor, request.query.email)).map(personJson),
    );
    app.get<{ Params: Static<typeof PersonParams> }>(
      '/api/v1/admin/accounts/:accountId',
      {
        config: { action: 'admin.console' },
        schema: {
          tags: admin,
          summary: 'Une personne / one person',
          params: PersonParams,
          response: { 200: Person, ...errors },
        },
      },
      async (request) => personJson(await service.getPerson(deps, request.actor, request.params.accountId)),
    );

    const personAction = (
      method: 'post' | 'delete',
      path: string,
      summary: string,
      run: (actor: AccountActor, accountId: string, request: FastifyRequest) => Promise<void>,
      extra: { body?: ReturnType<typeof Type.Object>; params?: ReturnType<typeof Type.Object> } = {},
    ) =>
      app.route<{ Params: { accountId: string } }>({
        method: method.toUpperCase() as 'POST' | 'DELETE',
        url: `/api/v1/admin/accounts/:accountId${path}`,
        config: { action: 'admin.console' },
        schema: {
          tags: admin,
          summary,
          params: extra.params ?? PersonParams,
          ...(extra.body ? { body: extra.body } : {}),
          response: { 200: Person, ...errors },
        },
        handler: async (request) => {
          await run(account(request), request.params.accountId, request);
          return personJson(await service.getPerson(deps, request.actor, request.params.accountId));
        },
      });

    personAction(
      'post',
      '/staff-roles',
      'Donner un rôle d’agent / grant a staff role',
      (actor, id, request) =>
        service.grantStaffRole(deps, actor, id, (request.body as { role?: string }).role ?? ''),
      { body: Type.Object({ role: text(50) }) },
    );
    personAction(
      'delete',
      '/staff-roles/:role',
      'Retirer un rôle d’agent / remove a staff role',
      (actor, id, request) =>
        service.removeStaffRole(deps, actor, id, (request.params as { role: string }).role),
      { params: Type.Object({ accountId: Type.String(), role: Type.String() }) },
    );
    personAction('post', '/unlock', 'Déverrouiller un compte / unlock an account', (actor, id) =>
      service.unlockAccount(deps, actor, id),
    );
    personAction('post', '/disable', 'Désactiver un compte / disable an account', (actor, id) =>
      service.setAccountDisabled(deps, actor, id, true),
    );
    personAction('post', '/enable', 'Réactiver un compte / enable an account', (actor, id) =>
      service.setAccountDisabled(deps, actor, id, false),
    );

    app.get<{ Querystring: { search?: string } }>(
      '/api/v1/admin/organisations',
      {
        config: { action: 'admin.console' },
        schema: {
          tags: admin,
          summary: 'Lister les organisations / list organisations',
          querystring: Type.Object({ search: Type.Optional(text(200)) }),
          response: { 200: Type.Array(OrganisationSummary), ...errors },
        },
      },
      async (request) =>
        (await service.searchOrganisationsForAdmin(deps, request.actor, request.query.search)).map((o) => ({
          ...o,
          createdAt: iso(o.createdAt),
        })),
    );
    for (const [path, status, summary] of [
      ['suspend', 'suspended', 'Suspendre une organisation / suspend an organisation'],
      ['reactivate', 'active', 'Réactiver une organisation / reactivate an organisation'],
    ] as const) {
      app.post<{ Params: Static<typeof OrgParams> }>(
        `/api/v1/admin/organisations/:orgId/${path}`,
        {
          config: { action: 'admin.console' },
          schema: { tags: admin, summary, params: OrgParams, response: { 204: Type.Null(), ...errors } },
        },
        async (request, reply) => {
          await service.setOrganisationStatus(deps, account(request), request.params.orgId, status);
          return reply.code(204).send(null);
        },
      );
    }
  };
}
