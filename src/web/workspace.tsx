import type { AppContext } from '../app.ts';
import type { StaffRole } from '../identity/model.ts';
import type { App } from '../platform/http.ts';
import type { Catalog } from '../platform/i18n.ts';
import { Page, type PageContext, renderPage } from './layout.tsx';

/** Strings of the staff workspace. */
export const workspaceMessages: Catalog = {
  'workspace.title': { fr: 'Espace d’instruction', en: 'Instruction space' },
  'workspace.lead': {
    fr: 'Bienvenue {name}. Voici ce que vos rôles vous permettent de faire dans le référencement.',
    en: 'Welcome {name}. Here is what your roles let you do in the referencing.',
  },
  'workspace.roles': { fr: 'Vos rôles', en: 'Your roles' },
  'workspace.role.instructeur': {
    fr: 'Instructeur : recevabilité des demandes, évaluation critère par critère, demandes de compléments, préparation de la commission.',
    en: 'Instructor: admissibility of requests, evaluation criterion by criterion, requests for information, preparation of the commission.',
  },
  'workspace.role.commission': {
    fr: 'Membre de la commission : examen des dossiers prêts et avis (favorable, avec réserves, défavorable).',
    en: 'Commission member: review of the files that are ready, and opinion (favourable, with reservations, unfavourable).',
  },
  'workspace.role.decideur': {
    fr: 'Décideur : enregistrement de la décision du ministre (référencé ou refusé).',
    en: 'Decision maker: records the minister’s decision (referenced or refused).',
  },
  'workspace.role.admin': {
    fr: 'Administrateur : personnes, rôles, verrouillages et organisations.',
    en: 'Administrator: people, roles, lockouts and organisations.',
  },
  'workspace.files': { fr: 'Dossiers', en: 'Files' },
  'workspace.files.dashboard': {
    fr: 'Dossiers de référencement : file d’instruction, échéances et charge',
    en: 'Referencing files: instruction queue, deadlines and workload',
  },
  'workspace.files.admin_files': {
    fr: 'Dossiers administratifs des éditeurs',
    en: 'Publishers’ administrative files',
  },
  'workspace.files.complaints': { fr: 'Plaintes des usagers', en: 'Users’ complaints' },
  'workspace.files.admin_only': {
    fr: 'Les dossiers sont traités par les instructeurs, la commission et les décideurs.',
    en: 'Files are handled by the instructors, the commission and the decision makers.',
  },
  'workspace.admin_link': { fr: 'Ouvrir la console d’administration', en: 'Open the administration console' },
};

function Workspace({ ctx, roles }: { ctx: PageContext; roles: StaffRole[] }) {
  const { t, actor } = ctx;
  const name = actor.kind === 'account' ? actor.displayName : '';
  return (
    <Page ctx={ctx} title={t('workspace.title')} css={['badge']}>
      <h1>{t('workspace.title')}</h1>
      <p class="fr-text--lead">{t('workspace.lead', { name })}</p>
      <h2>{t('workspace.roles')}</h2>
      <ul>
        {roles.map((role) => (
          <li key={role}>
            <p class="fr-badge fr-badge--info fr-mr-1w">{t(`role.${role}`)}</p>
            {t(`workspace.role.${role}`)}
          </li>
        ))}
      </ul>
      {roles.includes('admin') ? (
        <p>
          <a class="fr-link" href="/admin">
            {t('workspace.admin_link')}
          </a>
        </p>
      ) : null}
      <h2>{t('workspace.files')}</h2>
      {roles.some((role) => role !== 'admin') ? (
        <ul>
          <li>
            <a class="fr-link" href="/instruction/dossiers">
              {t('workspace.files.dashboard')}
            </a>
          </li>
          <li>
            <a class="fr-link" href="/instruction/dossiers-administratifs">
              {t('workspace.files.admin_files')}
            </a>
          </li>
          <li>
            <a class="fr-link" href="/instruction/plaintes">
              {t('workspace.files.complaints')}
            </a>
          </li>
        </ul>
      ) : (
        <p>{t('workspace.files.admin_only')}</p>
      )}
    </Page>
  );
}

/** The staff's home: what each of their roles does, and the lists of files they work on. */
export function workspacePages(_ctx: AppContext) {
  return async (app: App) => {
    app.get(
      '/instruction',
      { config: { action: 'staff.workspace' }, schema: { hide: true } },
      async (request, reply) => {
        const roles = request.actor.kind === 'account' ? request.actor.staffRoles : [];
        return reply
          .type('text/html; charset=utf-8')
          .send(renderPage(<Workspace ctx={request.pageContext()} roles={roles} />));
      },
    );
  };
}
