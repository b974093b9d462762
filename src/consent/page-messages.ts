import type { Catalog } from '../platform/i18n.ts';

/** Strings of the consent components and of the citizen's space for services and consents. */
export const consentPageMessages: Catalog = {
  // ── components (FinaliteChoices, ConsentSummary) ──
  'consent_ui.legend': {
    fr: 'Les finalités pour lesquelles vous donnez votre accord',
    en: 'The purposes you agree to',
  },
  'consent_ui.hint': {
    fr: 'Cochez chaque finalité que vous acceptez. Vous pouvez retirer votre accord à tout moment : le retrait prend effet immédiatement.',
    en: 'Tick each purpose you accept. You may withdraw your agreement at any time: the withdrawal takes effect at once.',
  },
  'consent_ui.covers': {
    fr: 'Données concernées — {exchanges}.',
    en: 'Data concerned — {exchanges}.',
  },
  'consent_ui.exchange': { fr: '{category} : {actions}', en: '{category}: {actions}' },
  'consent_ui.separator': { fr: ' ; ', en: '; ' },
  'consent_ui.dash': { fr: ' — ', en: ' — ' },
  'consent_ui.action.read': { fr: 'consulter', en: 'read' },
  'consent_ui.action.write': { fr: 'ajouter à votre profil', en: 'add to your profile' },
  'consent_ui.action.read_write': {
    fr: 'consulter et ajouter à votre profil',
    en: 'read and add to your profile',
  },
  'consent_ui.nothing_offered': {
    fr: 'Ce service ne demande aucune donnée de votre profil.',
    en: 'This service asks for no data from your profile.',
  },
  'consent_ui.none_active': {
    fr: 'Aucun consentement actif : ce service ne peut ni consulter ni ajouter de données à votre profil.',
    en: 'No active consent: this service can neither read nor add data to your profile.',
  },
  // ── my services (/usager/services) ──
  'citizen_services.title': { fr: 'Mes services connectés', en: 'My connected services' },
  'citizen_services.lead': {
    fr: 'Les services référencés que vous avez synchronisés avec votre profil, et ce que vous les autorisez à faire. Vous pouvez modifier ou retirer vos accords à tout moment.',
    en: 'The referenced services you have synchronised with your profile, and what you allow them to do. You may change or withdraw your consents at any time.',
  },
  'citizen_services.mine': { fr: 'Mes services', en: 'My services' },
  'citizen_services.of_minor': { fr: 'Services de {name}', en: 'Services of {name}' },
  'citizen_services.minor_until': {
    fr: 'Vous gérez cet espace en tant que représentant légal, jusqu’à sa majorité le {date}.',
    en: 'You manage this space as legal guardian, until they come of age on {date}.',
  },
  'citizen_services.none_self': {
    fr: 'Vous n’avez synchronisé aucun service pour le moment.',
    en: 'You have not synchronised any service yet.',
  },
  'citizen_services.none_minor': {
    fr: 'Aucun service n’est synchronisé avec le profil de {name}.',
    en: 'No service is synchronised with the profile of {name}.',
  },
  'citizen_services.to_catalogue': {
    fr: 'Découvrir les services référencés dans le catalogue',
    en: 'Discover the referenced services in the catalogue',
  },
  'citizen_services.caption': { fr: '{who} : services synchronisés', en: '{who}: synchronised services' },
  'citizen_services.col.service': { fr: 'Service', en: 'Service' },
  'citizen_services.col.state': { fr: 'État', en: 'Status' },
  'citizen_services.col.consents': { fr: 'Ce que vous autorisez', en: 'What you allow' },
  'citizen_services.col.manage': { fr: 'Gérer', en: 'Manage' },
  'citizen_services.col.finalite': { fr: 'Finalité', en: 'Purpose' },
  'citizen_services.col.category': { fr: 'Données', en: 'Data' },
  'citizen_services.col.action': { fr: 'Action', en: 'Action' },
  'citizen_services.col.consent_state': { fr: 'Accord', en: 'Consent' },
  'citizen_services.col.granted': { fr: 'Donné le', en: 'Given on' },
  'citizen_services.col.withdrawn': { fr: 'Retiré le', en: 'Withdrawn on' },
  'citizen_services.consent.active': { fr: 'En cours', en: 'Active' },
  'citizen_services.consent.withdrawn': { fr: 'Retiré', en: 'Withdrawn' },
  'citizen_services.manage': { fr: 'Gérer {service}', en: 'Manage {service}' },
  'citizen_services.see': { fr: 'Voir {service}', en: 'See {service}' },
  'citizen_services.unpaired_short': {
    fr: 'Plus aucun échange : service désynchronisé.',
    en: 'No exchange any more: service unsynchronised.',
  },
  'citizen_services.state.active': { fr: 'Actif', en: 'Active' },
  'citizen_services.state.reapproval': { fr: 'À ré-approuver', en: 'To approve again' },
  'citizen_services.state.suspended': { fr: 'Service suspendu', en: 'Service suspended' },
  'citizen_services.state.unavailable': { fr: 'Service indisponible', en: 'Service unavailable' },
  'citizen_services.state.unpaired': { fr: 'Désynchronisé', en: 'Unsynchronised' },
  'citizen_services.why.version': {
    fr: 'Une nouvelle version de ce service (version {version}) a été publiée : la mise à jour de vos autorisations est nécessaire. D’ici là, il ne peut ni consulter ni ajouter de données à votre profil.',
    en: 'A new version of this service (version {version}) was published: your permissions need updating. Until then it can neither read nor add data to your profile.',
  },
  'citizen_services.why.majority': {
    fr: 'Vous êtes devenu majeur : les accords donnés par votre représentant légal doivent être confirmés par vous. D’ici là, ce service ne peut ni consulter ni ajouter de données à votre profil.',
    en: 'You have come of age: the consents your legal guardian gave must be confirmed by you. Until then this service can neither read nor add data to your profile.',
  },
  'citizen_services.why.suspended': {
    fr: 'Ce service est suspendu du catalogue : il ne peut plus consulter ou ajouter des données à votre profil. Vous pouvez le désynchroniser.',
    en: 'This service is suspended from the catalogue: it can no longer read or add data to your profile. You may unsynchronise it.',
  },
  'citizen_services.why.unavailable': {
    fr: 'Ce service n’est plus en ligne dans le catalogue : il ne peut plus consulter ou ajouter des données à votre profil.',
    en: 'This service is no longer online in the catalogue: it can no longer read or add data to your profile.',
  },
  'citizen_services.why.unpaired': {
    fr: 'Désynchronisé le {date} : ce service ne peut plus échanger de données avec votre profil.',
    en: 'Unsynchronised on {date}: this service can no longer exchange data with your profile.',
  },
  'citizen_services.to_activity': { fr: 'Voir l’historique d’activité', en: 'See the activity history' },
  'citizen_services.space_lead': {
    fr: 'Les services synchronisés avec votre profil (et celui des mineurs dont vous avez la charge), vos accords et l’historique de leurs accès.',
    en: 'The services synchronised with your profile (and that of the minors in your care), your consents and the history of their accesses.',
  },
  'citizen_services.space_link': {
    fr: 'Gérer mes services et mes accords',
    en: 'Manage my services and consents',
  },
  // one service
  'citizen_services.by': { fr: 'Édité par {organisation}', en: 'Published by {organisation}' },
  'citizen_services.for_minor': { fr: 'Profil de {name}', en: 'Profile of {name}' },
  'citizen_services.paired_at': { fr: 'Synchronisé le', en: 'Synchronised on' },
  'citizen_services.unpaired_at': { fr: 'Désynchronisé le', en: 'Unsynchronised on' },
  'citizen_services.version': { fr: 'Version approuvée', en: 'Approved version' },
  'citizen_services.version_changed': {
    fr: '{approved} (version publiée : {current})',
    en: '{approved} (published version: {current})',
  },
  'citizen_services.consents_title': { fr: 'Vos accords', en: 'Your consents' },
  'citizen_services.immediate_notice': {
    fr: 'Un retrait prend effet immédiatement : dès sa prochaine demande, le service ne peut plus consulter ni ajouter les données concernées.',
    en: 'A withdrawal takes effect at once: from its very next request, the service can no longer read or add the data concerned.',
  },
  'citizen_services.choices_legend': {
    fr: 'Les finalités pour lesquelles vous autorisez {service}',
    en: 'The purposes for which you allow {service}',
  },
  'citizen_services.save': { fr: 'Enregistrer', en: 'Save' },
  'citizen_services.reapprove': { fr: 'Ré-approuver et enregistrer', en: 'Approve again and save' },
  'citizen_services.stop_title': { fr: 'Arrêter les échanges', en: 'Stop the exchanges' },
  'citizen_services.withdraw_all_lead': {
    fr: 'Retirer tous vos accords : le service reste synchronisé mais ne peut plus rien consulter ni ajouter. Ses jetons d’accès sont révoqués.',
    en: 'Withdraw all your consents: the service stays synchronised but can no longer read or add anything. Its access tokens are revoked.',
  },
  'citizen_services.withdraw_all': {
    fr: 'Retirer tous les consentements',
    en: 'Withdraw all consents',
  },
  'citizen_services.unpair_lead': {
    fr: 'Désynchroniser : le lien entre votre profil et votre compte dans ce service est rompu.',
    en: 'Unsynchronise: the link between your profile and your account in this service is broken.',
  },
  'citizen_services.unpair': { fr: 'Désynchroniser ce service', en: 'Unsynchronise this service' },
  'citizen_services.unpaired_lead': {
    fr: 'Ce service est désynchronisé. Pour échanger à nouveau des données, synchronisez-le depuis le service lui-même.',
    en: 'This service is unsynchronised. To exchange data again, synchronise it from the service itself.',
  },
  'citizen_services.history_title': { fr: 'Historique des accords', en: 'History of consents' },
  'citizen_services.history_caption': {
    fr: 'Chaque accord, avec ses dates',
    en: 'Each consent, with its dates',
  },
  'citizen_services.history_none': { fr: 'Aucun accord n’a été donné.', en: 'No consent was given.' },
  'citizen_services.flash.saved': { fr: 'Vos accords sont enregistrés.', en: 'Your consents are saved.' },
  'citizen_services.flash.reapproved': {
    fr: 'Vos accords sont ré-approuvés pour la version publiée.',
    en: 'Your consents are approved again for the published version.',
  },
  'citizen_services.flash.withdrawn': {
    fr: 'Tous vos accords sont retirés.',
    en: 'All your consents are withdrawn.',
  },
  'citizen_services.flash.unpaired': {
    fr: 'Le service est désynchronisé.',
    en: 'The service is unsynchronised.',
  },
  'citizen_services.immediate': {
    fr: 'C’est effectif dès maintenant : le service ne peut plus consulter ni ajouter de données à ce profil.',
    en: 'This is effective now: the service can no longer read or add data to this profile.',
  },
  'citizen_services.conflict_title': {
    fr: 'Une modification a été faite entre-temps',
    en: 'A change was made meanwhile',
  },
  'citizen_services.conflict': {
    fr: 'Ces accords ont changé depuis que vous avez ouvert la page (sur un autre appareil, ou par un autre représentant légal). Vos choix n’ont pas été enregistrés : voici l’état actuel. Refaites votre choix si besoin.',
    en: 'These consents changed since you opened the page (on another device, or by another legal guardian). Your choices were not saved: here is the current state. Choose again if needed.',
  },
  'citizen_services.refused': { fr: 'Modification refusée', en: 'Change refused' },
  // unpairing
  'citizen_services.unpair_title': { fr: 'Désynchroniser {service} ?', en: 'Unsynchronise {service}?' },
  'citizen_services.unpair_what_title': { fr: 'Ce que cela fait', en: 'What this does' },
  'citizen_services.unpair_what': {
    fr: 'Tous vos accords à {service} sont retirés immédiatement, ses jetons d’accès sont révoqués et le lien avec votre compte dans ce service est rompu. Les données qu’il a déjà ajoutées à votre profil y restent.',
    en: 'All your consents to {service} are withdrawn at once, its access tokens are revoked and the link with your account in that service is broken. Data it already added to your profile stay there.',
  },
  'citizen_services.unpair_again': {
    fr: 'Vous pourrez le synchroniser à nouveau plus tard depuis le service.',
    en: 'You may synchronise it again later from the service.',
  },
  'citizen_services.unpair_confirm': { fr: 'Oui, désynchroniser', en: 'Yes, unsynchronise' },
  'citizen_services.unpair_cancel': { fr: 'Non, revenir au service', en: 'No, back to the service' },

  // ── activity (/usager/activite) ──
  'citizen_activity.title': { fr: 'Historique d’activité', en: 'Activity history' },
  'citizen_activity.lead': {
    fr: 'Chaque synchronisation, chaque changement d’accord et chaque accès d’un service à vos données, du plus récent au plus ancien.',
    en: 'Every synchronisation, every change of consent and every access of a service to your data, latest first.',
  },
  'citizen_activity.person': { fr: 'Profil', en: 'Profile' },
  'citizen_activity.show': { fr: 'Afficher', en: 'Show' },
  'citizen_activity.who_self': { fr: 'Mon profil', en: 'My profile' },
  'citizen_activity.caption': { fr: 'Activité — {who}', en: 'Activity — {who}' },
  'citizen_activity.none': { fr: 'Aucune activité pour le moment.', en: 'No activity yet.' },
  'citizen_activity.no_older': { fr: 'Aucune activité plus ancienne.', en: 'No older activity.' },
  'citizen_activity.col.date': { fr: 'Date', en: 'Date' },
  'citizen_activity.col.service': { fr: 'Service', en: 'Service' },
  'citizen_activity.col.what': { fr: 'Ce qui s’est passé', en: 'What happened' },
  'citizen_activity.col.data': { fr: 'Données', en: 'Data' },
  'citizen_activity.col.outcome': { fr: 'Résultat', en: 'Outcome' },
  'citizen_activity.kind.paired': {
    fr: 'Synchronisation et accords donnés',
    en: 'Synchronised, consents given',
  },
  'citizen_activity.kind.changed': { fr: 'Accords modifiés', en: 'Consents changed' },
  'citizen_activity.kind.withdrawn': { fr: 'Tous les accords retirés', en: 'All consents withdrawn' },
  'citizen_activity.kind.reapproved': { fr: 'Accords ré-approuvés', en: 'Consents approved again' },
  'citizen_activity.kind.unpaired': { fr: 'Service désynchronisé', en: 'Service unsynchronised' },
  'citizen_activity.kind.access': {
    fr: 'Accès du service à vos données',
    en: 'Access of the service to your data',
  },
  'citizen_activity.by_guardian': { fr: 'par votre représentant légal', en: 'by your legal guardian' },
  'citizen_activity.finalites': { fr: 'Finalités : {list}', en: 'Purposes: {list}' },
  'citizen_activity.outcome.permit': { fr: 'Autorisé', en: 'Allowed' },
  'citizen_activity.outcome.deny': { fr: 'Refusé', en: 'Refused' },
  'citizen_activity.reason.not_paired': { fr: 'service non synchronisé', en: 'service not synchronised' },
  'citizen_activity.reason.unpaired': { fr: 'service désynchronisé', en: 'service unsynchronised' },
  'citizen_activity.reason.service_suspended': { fr: 'service suspendu', en: 'service suspended' },
  'citizen_activity.reason.service_unavailable': { fr: 'service indisponible', en: 'service unavailable' },
  'citizen_activity.reason.reapproval_version': {
    fr: 'nouvelle version à ré-approuver',
    en: 'new version to approve again',
  },
  'citizen_activity.reason.reapproval_majority': {
    fr: 'accords à confirmer depuis votre majorité',
    en: 'consents to confirm since you came of age',
  },
  'citizen_activity.reason.no_consent': {
    fr: 'pas d’accord pour ces données',
    en: 'no consent for these data',
  },
  'citizen_activity.pages': { fr: 'Pages de l’historique', en: 'Pages of the history' },
  'citizen_activity.newest': { fr: 'Les plus récents', en: 'Latest' },
  'citizen_activity.older': { fr: 'Plus anciens', en: 'Older' },

  // ── my data: export and closing ──
  'citizen_data.title': { fr: 'Mes données', en: 'My data' },
  'citizen_data.lead': {
    fr: 'Téléchargez toutes les données que nous détenons sur vous, ou fermez votre espace.',
    en: 'Download all the data we hold about you, or close your space.',
  },
  'citizen_data.export.json': {
    fr: 'Télécharger toutes mes données (JSON)',
    en: 'Download all my data (JSON)',
  },
  'citizen_data.export.fhir': {
    fr: 'Télécharger mes données au format FHIR (JSON)',
    en: 'Download my data in FHIR format (JSON)',
  },
  'citizen_data.close.title': { fr: 'Fermer mon espace', en: 'Close my space' },
  'citizen_data.close.lead': {
    fr: 'Fermer votre espace efface définitivement vos données. Vous serez déconnecté. Si vous vous reconnectez plus tard, un nouvel espace vide sera créé.',
    en: 'Closing your space erases your data for good. You will be signed out. If you sign in again later, a new empty space is created.',
  },
  'citizen_data.close.erased_title': { fr: 'Ce qui est effacé', en: 'What is erased' },
  'citizen_data.close.kept_title': { fr: 'Ce qui est conservé, et pourquoi', en: 'What is kept, and why' },
  'citizen_data.erase.pairings': {
    fr: 'Vos services synchronisés et tous vos accords ; les jetons d’accès des services sont révoqués sur-le-champ.',
    en: 'Your synchronised services and all your consents; the services’ access tokens are revoked at once.',
  },
  'citizen_data.erase.notifications': { fr: 'Vos notifications.', en: 'Your notifications.' },
  'citizen_data.erase.guardianships': {
    fr: 'Vos liens de représentation légale (les mineurs dont vous avez la charge, vos représentants).',
    en: 'Your legal guardianship links (the minors in your care, your guardians).',
  },
  'citizen_data.erase.complaints': {
    fr: 'Votre nom sur vos signalements : leur texte reste, sans lien avec vous, pour l’instruction en cours.',
    en: 'Your name on your reports: their text stays, without any link to you, for the ongoing investigation.',
  },
  'citizen_data.erase.sessions': { fr: 'Vos sessions de connexion.', en: 'Your sign-in sessions.' },
  'citizen_data.erase.identity': {
    fr: 'Votre identité : nom, prénom, date de naissance, sexe, INS, identifiant de connexion.',
    en: 'Your identity: names, birth date, sex, INS, sign-in identifier.',
  },
  'citizen_data.kept.audit': {
    fr: 'Le journal d’audit : la trace des synchronisations, des accords et des accès des services, obligatoire pour prouver qui a autorisé quoi. Il ne contient ni votre nom ni aucune donnée de santé, seulement un identifiant technique que plus rien ne relie à vous ; il est scellé (chaîné) et ne peut être ni modifié ni raccourci.',
    en: 'The audit log: the record of synchronisations, consents and services’ accesses, required to prove who allowed what. It holds neither your name nor any health data, only a technical identifier that nothing links to you any more; it is sealed (chained) and can be neither changed nor shortened.',
  },
  'citizen_data.kept.complaints': {
    fr: 'Le texte de vos signalements, sans votre identité, tant que dure leur instruction.',
    en: 'The text of your reports, without your identity, for as long as their investigation lasts.',
  },
  'citizen_data.kept.minors_consents': {
    fr: 'Les accords que vous avez donnés pour un mineur restent dans son espace : ils sont à lui.',
    en: 'The consents you gave for a minor stay in their space: they are theirs.',
  },
  'citizen_data.close.privacy_link': {
    fr: 'Lire la page « Données personnelles »',
    en: 'Read the « Personal data » page',
  },
  'citizen_data.close.minors': {
    fr: 'Les espaces de {names} ne sont pas fermés : ils leur appartiennent. Désynchronisez leurs services avant de fermer votre espace si vous le souhaitez, car vous ne pourrez plus les gérer ensuite.',
    en: 'The spaces of {names} are not closed: they are theirs. Unsynchronise their services before closing your space if you wish, since you will not be able to manage them afterwards.',
  },
  'citizen_data.close.export_first': {
    fr: 'Avant de fermer votre espace, vous pouvez télécharger vos données.',
    en: 'Before closing your space, you may download your data.',
  },
  'citizen_data.close.confirm_legend': { fr: 'Confirmation', en: 'Confirmation' },
  'citizen_data.close.confirm_label': {
    fr: 'Je comprends que mon espace et mes données seront effacés définitivement.',
    en: 'I understand that my space and my data will be erased for good.',
  },
  'citizen_data.close.confirm_required': {
    fr: 'Cochez la case de confirmation pour fermer votre espace.',
    en: 'Tick the confirmation box to close your space.',
  },
  'citizen_data.close.refused': { fr: 'Votre espace n’est pas fermé', en: 'Your space is not closed' },
  'citizen_data.close.submit': { fr: 'Fermer définitivement mon espace', en: 'Close my space for good' },
  'citizen_data.close.cancel': { fr: 'Annuler', en: 'Cancel' },
  'citizen_data.closed.title': { fr: 'Votre espace est fermé', en: 'Your space is closed' },
  'citizen_data.closed.done': {
    fr: 'Vos données ont été effacées.',
    en: 'Your data have been erased.',
  },
  'citizen_data.closed.signed_out': {
    fr: 'Vous êtes déconnecté. Les services que vous aviez synchronisés ne peuvent plus accéder à vos données.',
    en: 'You are signed out. The services you had synchronised can no longer reach your data.',
  },
  'citizen_data.closed.kept': {
    fr: 'Seul reste le journal d’audit, sans votre nom ni aucune donnée de santé, comme la loi l’exige.',
    en: 'Only the audit log remains, without your name or any health data, as the law requires.',
  },
};
