/**
 * The publisher's pages of a service's OAuth2 credentials: the confirmation before a new client secret and
 * the page that shows it, once (never stored by a cache: every page is sent `no-store`); the confirmation
 * before going back to private_key_jwt. Forms work without JavaScript.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import { Alert, Csrf, type PageError, pageErrorOf } from '../web/components.tsx';
import { sendHtml as html, Page, type PageContext, renderPage } from '../web/layout.tsx';
import { CLIENT_SECTION_ID, clientSecretDropPath, clientSecretPath } from './oauth-client-section.tsx';
import {
  dropDossierClientSecret,
  type IssuedClientSecret,
  issueDossierClientSecret,
  type OAuthClientView,
  oauthClientOf,
} from './oauth-client-service.ts';
import { PUBLISHER_FILES, publisherFilePath } from './publisher-pages.tsx';
import type { DossierDeps, DossierView } from './service.ts';
import * as service from './service.ts';

type Kind = 'issue' | 'drop';

function trail(ctx: PageContext, view: DossierView, current: string): Array<[string, string]> {
  const number = view.number ?? ctx.t('dossier.publisher.draft_number');
  return [
    [ctx.t('identity.publisher.title'), '/editeur'],
    [ctx.t('dossier.publisher.list.title'), PUBLISHER_FILES],
    [`${number} — ${view.product.displayName}`, publisherFilePath(view.id)],
    [current, ''],
  ];
}

/** The confirmation before a change of the client's authentication, or why it cannot be done. */
function ConfirmPage({
  ctx,
  view,
  kind,
  error,
}: {
  ctx: PageContext;
  view: DossierView;
  kind: Kind;
  error?: PageError;
}) {
  const { t } = ctx;
  const filePath = publisherFilePath(view.id);
  const title = t(kind === 'issue' ? 'dossier.client.issue' : 'dossier.client.drop');
  const oid = view.oid ?? '';
  return (
    <Page ctx={ctx} title={title} css={['alert']} breadcrumb={trail(ctx, view, title)}>
      <h1>{title}</h1>
      {error ? (
        <Alert kind="error">
          <p>{error.message}</p>
        </Alert>
      ) : (
        <form
          method="post"
          action={kind === 'issue' ? clientSecretPath(filePath) : clientSecretDropPath(filePath)}
        >
          <Csrf ctx={ctx} />
          <p>{t(`dossier.client.${kind}_confirm.intro`, { oid })}</p>
          <Alert kind="warning" title={t('dossier.client.confirm.warning_title')}>
            <p>{t(`dossier.client.${kind}_confirm.warning`)}</p>
          </Alert>
          <button type="submit" class="fr-btn">
            {t(`dossier.client.${kind}_confirm.submit`)}
          </button>
        </form>
      )}
      <p class="fr-mt-4w">
        <a class="fr-link" href={`${filePath}#${CLIENT_SECTION_ID}`}>
          {t(error ? 'dossier.client.back' : 'dossier.client.cancel')}
        </a>
      </p>
    </Page>
  );
}

/** The new secret, shown this once, in a field the publisher selects and copies. */
function IssuedPage({
  ctx,
  view,
  issued,
  tokenEndpoint,
}: {
  ctx: PageContext;
  view: DossierView;
  issued: IssuedClientSecret;
  tokenEndpoint: string;
}) {
  const { t } = ctx;
  const title = t('dossier.client.issued.title');
  return (
    <Page ctx={ctx} title={title} css={['alert', 'input', 'form']} breadcrumb={trail(ctx, view, title)}>
      <h1>{title}</h1>
      <Alert kind="warning" title={t('dossier.client.issued.warning_title')}>
        <p>{t('dossier.client.issued.warning')}</p>
      </Alert>
      <dl class="fr-mb-3w">
        <dt class="fr-text--bold fr-mb-0">{t('dossier.client.client_id')}</dt>
        <dd class="fr-ml-0">
          <code>{issued.clientId}</code>
        </dd>
        <dt class="fr-text--bold fr-mb-0">{t('dossier.client.method')}</dt>
        <dd class="fr-ml-0">{t(`dossier.client.method.${issued.tokenEndpointAuthMethod}`)}</dd>
      </dl>
      <div class="fr-input-group">
        <label class="fr-label" for="client-secret">
          {t('dossier.client.issued.secret')}
          <span class="fr-hint-text">{t('dossier.client.issued.secret_hint')}</span>
        </label>
        <input
          class="fr-input"
          id="client-secret"
          name="clientSecret"
          type="text"
          readOnly
          value={issued.clientSecret}
          autocomplete="off"
          spellcheck={false}
        />
      </div>
      <p>{t('dossier.client.issued.usage', { token: tokenEndpoint })}</p>
      <p>
        <a class="fr-link" href={`${publisherFilePath(view.id)}#${CLIENT_SECTION_ID}`}>
          {t('dossier.client.back')}
        </a>
      </p>
    </Page>
  );
}

/** The pages of a file's client secret, under /editeur/dossiers/:id/secret-client. */
export function oauthClientPages(deps: DossierDeps) {
  return async (app: App) => {
    const config = { action: 'dossier.publisher' as const };
    const schema = { hide: true };
    type P = { Params: { id: string } };

    /** Why the viewer cannot change the client now (a message), or nothing when they can. */
    const refusal = (
      request: FastifyRequest,
      view: DossierView,
      client: OAuthClientView | undefined,
      kind: Kind,
    ) => {
      if (!view.roles.includes('publisher_manager'))
        return { status: 403, error: pageErrorOf(request, { message: 'dossier.client.error.role' }) };
      if (!client)
        return {
          status: 409,
          error: pageErrorOf(request, { message: 'dossier.client.error.not_published' }),
        };
      if (client.status !== 'active')
        return {
          status: 409,
          error: pageErrorOf(request, { message: `dossier.client.error.${client.status}` }),
        };
      if (kind === 'drop' && !client.hasSecret)
        return { status: 409, error: pageErrorOf(request, { message: 'dossier.client.error.no_secret' }) };
      return undefined;
    };

    const confirm = async (request: FastifyRequest<P>, reply: FastifyReply, kind: Kind, error?: AppError) => {
      const view = await service.getDossier(deps, request.actor, request.params.id);
      const refused = error
        ? { status: error.status, error: pageErrorOf(request, error) }
        : refusal(request, view, await oauthClientOf(deps, view), kind);
      return html(
        reply,
        refused?.status ?? 200,
        renderPage(
          <ConfirmPage ctx={request.pageContext()} view={view} kind={kind} error={refused?.error} />,
        ),
      );
    };

    /** A refusal the person can read (403, 409) is shown on the confirmation page; anything else goes on. */
    const shown = (error: unknown): AppError => {
      if (error instanceof AppError && (error.status === 403 || error.status === 409)) return error;
      throw error;
    };

    app.get<P>(`${PUBLISHER_FILES}/:id/secret-client`, { config, schema }, (request, reply) =>
      confirm(request, reply, 'issue'),
    );

    app.post<P>(`${PUBLISHER_FILES}/:id/secret-client`, { config, schema }, async (request, reply) => {
      let issued: IssuedClientSecret;
      try {
        issued = await issueDossierClientSecret(deps, request.actor, request.params.id);
      } catch (error) {
        return confirm(request, reply, 'issue', shown(error));
      }
      const view = await service.getDossier(deps, request.actor, request.params.id);
      const client = await oauthClientOf(deps, view);
      return html(
        reply,
        200,
        renderPage(
          <IssuedPage
            ctx={request.pageContext()}
            view={view}
            issued={issued}
            tokenEndpoint={client?.tokenEndpoint ?? ''}
          />,
        ),
      );
    });

    app.get<P>(`${PUBLISHER_FILES}/:id/secret-client/suppression`, { config, schema }, (request, reply) =>
      confirm(request, reply, 'drop'),
    );

    app.post<P>(
      `${PUBLISHER_FILES}/:id/secret-client/suppression`,
      { config, schema },
      async (request, reply) => {
        try {
          await dropDossierClientSecret(deps, request.actor, request.params.id);
        } catch (error) {
          return confirm(request, reply, 'drop', shown(error));
        }
        return reply.redirect(
          `${publisherFilePath(request.params.id)}?ok=client_secret_dropped#${CLIENT_SECTION_ID}`,
          303,
        );
      },
    );
  };
}
