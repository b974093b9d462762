/**
 * « Identifiants OAuth2 » on the publisher's page of a published service with data exchange: the client id,
 * the authorization server's endpoints, the redirect URIs, how the client authenticates and its status, and
 * for a mandataire or représentant the links to generate a client secret or go back to private_key_jwt.
 */
import type { ComponentChildren } from 'preact';
import type { PageContext } from '../web/layout.tsx';
import type { OAuthClientView } from './oauth-client-service.ts';

/** The confirmation page of a new client secret (GET) and its action (POST), under the file's path. */
export const clientSecretPath = (filePath: string) => `${filePath}/secret-client`;
/** The confirmation page of going back to private_key_jwt (GET) and its action (POST). */
export const clientSecretDropPath = (filePath: string) => `${filePath}/secret-client/suppression`;
/** The section's anchor on the file's page. */
export const CLIENT_SECTION_ID = 'identifiants-oauth';

const statusBadges: Record<OAuthClientView['status'], string> = {
  active: 'success',
  suspended: 'warning',
  revoked: 'error',
};

export function OAuthClientSection({
  ctx,
  client,
  filePath,
  isManager,
}: {
  ctx: PageContext;
  client: OAuthClientView;
  filePath: string;
  isManager: boolean;
}) {
  const { t } = ctx;
  const code = (value: string) => <code>{value}</code>;
  const rows: Array<[string, ComponentChildren]> = [
    [t('dossier.client.client_id'), code(client.clientId)],
    [
      t('dossier.client.status'),
      <>
        <span class={`fr-badge fr-badge--sm fr-badge--${statusBadges[client.status]}`}>
          {t(`dossier.client.status.${client.status}`)}
        </span>{' '}
        {t(`dossier.client.status_hint.${client.status}`)}
      </>,
    ],
    [t('dossier.client.issuer'), code(client.issuer)],
    [t('dossier.client.discovery'), code(client.discoveryUrl)],
    [t('dossier.client.authorization'), code(client.authorizationEndpoint)],
    [t('dossier.client.token'), code(client.tokenEndpoint)],
    [
      t('dossier.client.redirect_uris'),
      client.redirectUris.length === 0 ? (
        t('dossier.client.redirect_uris_none')
      ) : (
        <ul class="fr-mb-0">
          {client.redirectUris.map((uri) => (
            <li key={uri}>{code(uri)}</li>
          ))}
        </ul>
      ),
    ],
    [t('dossier.client.method'), t(`dossier.client.method.${client.tokenEndpointAuthMethod}`)],
  ];
  const hasKeys = client.jwksUri !== null || client.keys.length > 0;
  if (client.jwksUri) rows.push([t('dossier.client.jwks_uri'), code(client.jwksUri)]);
  if (client.keys.length > 0)
    rows.push([
      t('dossier.client.jwks'),
      <ul class="fr-mb-0" key="k">
        {client.keys.map((k) => (
          <li key={k.kid}>{t('dossier.client.key', { kid: k.kid || '—', kty: k.kty, alg: k.alg || '—' })}</li>
        ))}
      </ul>,
    ]);
  if (!hasKeys) rows.push([t('dossier.client.jwks'), t('dossier.client.keys_none')]);
  return (
    <section aria-labelledby={CLIENT_SECTION_ID} class="fr-mb-6w">
      <h2 id={CLIENT_SECTION_ID}>{t('dossier.client.title')}</h2>
      <p>{t('dossier.client.intro')}</p>
      <dl class="fr-mb-3w">
        {rows.map(([label, value]) => (
          <div key={label} class="fr-mb-1w">
            <dt class="fr-text--bold fr-mb-0">{label}</dt>
            <dd class="fr-ml-0">{value}</dd>
          </div>
        ))}
      </dl>
      <p>
        {t('dossier.client.doc')}{' '}
        <a class="fr-link" href="/api/docs">
          {t('dossier.client.api_doc')}
        </a>
        .
      </p>
      <h3 class="fr-h6">{t('dossier.client.manage_title')}</h3>
      {!isManager ? (
        <p>{t('dossier.client.manage_role')}</p>
      ) : !client.mayManage ? (
        <p>{t('dossier.client.manage_inactive')}</p>
      ) : (
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <a class="fr-btn fr-btn--secondary" href={clientSecretPath(filePath)}>
              {t(client.hasSecret ? 'dossier.client.issue_again' : 'dossier.client.issue')}
            </a>
          </li>
          {client.hasSecret && hasKeys ? (
            <li>
              <a class="fr-btn fr-btn--tertiary" href={clientSecretDropPath(filePath)}>
                {t('dossier.client.drop')}
              </a>
            </li>
          ) : null}
        </ul>
      )}
    </section>
  );
}
