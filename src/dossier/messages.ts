import type { Catalog } from '../platform/i18n.ts';

/**
 * Strings of the referencing file shared by its pages, API errors and notifications: states, steps,
 * catalogue statuses, opinions, verdicts, field problems. Page-specific strings live beside their pages.
 */
export const dossierMessages: Catalog = {
  // states
  'dossier.state.draft': { fr: 'Brouillon', en: 'Draft' },
  'dossier.state.submitted': { fr: 'Déposé — recevabilité', en: 'Filed — admissibility' },
  'dossier.state.inadmissible': { fr: 'Irrecevable', en: 'Inadmissible' },
  'dossier.state.evaluation': { fr: 'En évaluation', en: 'Under evaluation' },
  'dossier.state.info_requested': { fr: 'Compléments demandés', en: 'Information requested' },
  'dossier.state.ready_for_commission': { fr: 'Prêt pour la commission', en: 'Ready for the commission' },
  'dossier.state.opinion_given': {
    fr: 'Avis rendu — décision attendue',
    en: 'Opinion given — decision pending',
  },
  'dossier.state.accepted': {
    fr: 'Référencement décidé — convention à signer',
    en: 'Referencing decided — agreement to sign',
  },
  'dossier.state.refused': { fr: 'Refusé', en: 'Refused' },
  'dossier.state.convention_signed': { fr: 'Convention signée', en: 'Agreement signed' },
  'dossier.state.connection_tests': { fr: 'Tests d’accrochage', en: 'Connection tests' },
  'dossier.state.published': { fr: 'Publié', en: 'Published' },
  'dossier.state.withdrawn': { fr: 'Retiré par l’éditeur', en: 'Withdrawn by the publisher' },
  'dossier.state.update_accepted': { fr: 'Mise à jour acceptée', en: 'Update accepted' },
  'dossier.state.update_refused': { fr: 'Mise à jour refusée', en: 'Update refused' },
  // catalogue statuses
  'dossier.catalogue.EN_LIGNE': { fr: 'En ligne', en: 'Online' },
  'dossier.catalogue.HORS_LIGNE': { fr: 'Hors ligne', en: 'Offline' },
  'dossier.catalogue.SUSPENDUE': { fr: 'Suspendu', en: 'Suspended' },
  'dossier.catalogue.DEREFERENCEE': { fr: 'Déréférencé', en: 'Dereferenced' },
  'dossier.catalogue.PRESERIE': { fr: 'Présérie (pilote)', en: 'Pilot (pre-series)' },
  // kinds, typologies
  'dossier.kind.initial': { fr: 'Demande de référencement', en: 'Referencing request' },
  'dossier.kind.update': {
    fr: 'Déclaration mise à jour (version majeure)',
    en: 'Updated declaration (major version)',
  },
  'dossier.typology.sans-echange': { fr: 'Sans échange de données', en: 'Without data exchange' },
  'dossier.typology.avec-echange': { fr: 'Avec échange de données', en: 'With data exchange' },
  // steps (buttons and timeline)
  'dossier.action.created': { fr: 'Demande créée', en: 'Request created' },
  'dossier.action.submit': { fr: 'Déposer la demande', en: 'File the request' },
  'dossier.action.withdraw': { fr: 'Retirer la demande', en: 'Withdraw the request' },
  'dossier.action.declare_admissible': { fr: 'Déclarer recevable', en: 'Declare admissible' },
  'dossier.action.declare_inadmissible': { fr: 'Déclarer irrecevable', en: 'Declare inadmissible' },
  'dossier.action.request_info': { fr: 'Demander des compléments', en: 'Request information' },
  'dossier.action.answer_info': {
    fr: 'Répondre à la demande de compléments',
    en: 'Answer the request for information',
  },
  'dossier.action.send_to_commission': { fr: 'Transmettre à la commission', en: 'Send to the commission' },
  'dossier.action.give_opinion': {
    fr: 'Rendre l’avis de la commission',
    en: 'Give the commission’s opinion',
  },
  'dossier.action.lift_reservation': { fr: 'Lever une réserve', en: 'Lift a reservation' },
  'dossier.action.decide': { fr: 'Enregistrer la décision', en: 'Record the decision' },
  'dossier.action.sign_convention': {
    fr: 'Enregistrer la convention signée',
    en: 'Record the signed agreement',
  },
  'dossier.action.publish': { fr: 'Publier au catalogue', en: 'Publish in the catalogue' },
  'dossier.action.accept_update': { fr: 'Accepter la mise à jour', en: 'Accept the update' },
  'dossier.action.refuse_update': { fr: 'Refuser la mise à jour', en: 'Refuse the update' },
  'dossier.action.take_offline': { fr: 'Mettre hors ligne', en: 'Take offline' },
  'dossier.action.put_online': { fr: 'Remettre en ligne', en: 'Put back online' },
  'dossier.action.suspend': { fr: 'Suspendre le service', en: 'Suspend the service' },
  'dossier.action.lift_suspension': { fr: 'Lever la suspension', en: 'Lift the suspension' },
  'dossier.action.dereference': { fr: 'Déréférencer', en: 'Dereference' },
  'dossier.action.expire': {
    fr: 'Fin de validité du référencement',
    en: 'End of the referencing’s validity',
  },
  'dossier.action.request_renewal': { fr: 'Demander le renouvellement', en: 'Request renewal' },
  'dossier.action.renew': { fr: 'Accorder le renouvellement', en: 'Grant renewal' },
  'dossier.action.verdict': { fr: 'Verdict sur un critère', en: 'Verdict on a criterion' },
  'dossier.action.assigned': { fr: 'Attribution à un instructeur', en: 'Assignment to an instructor' },
  'dossier.action.test_report': {
    fr: 'Rapport de tests d’accrochage déposé',
    en: 'Connection-test report filed',
  },
  'dossier.action.version_declared': { fr: 'Nouvelle version déclarée', en: 'New version declared' },
  'dossier.action.update_accepted': {
    fr: 'Déclaration mise à jour acceptée',
    en: 'Updated declaration accepted',
  },
  'dossier.action.renewal_reminder': {
    fr: 'Rappel : fin du référencement',
    en: 'Reminder: end of the referencing',
  },
  'dossier.action.overdue': { fr: 'Délai de la phase dépassé', en: 'Phase deadline passed' },
  'dossier.action.info_overdue': {
    fr: 'Réponse aux compléments en retard',
    en: 'Answer to the request for information is late',
  },
  // who acts
  'dossier.role.publisher': { fr: 'Éditeur', en: 'Publisher' },
  'dossier.role.publisher_manager': { fr: 'Éditeur', en: 'Publisher' },
  'dossier.role.instructeur': { fr: 'Instruction', en: 'Instruction' },
  'dossier.role.commission': { fr: 'Commission de référencement', en: 'Referencing commission' },
  'dossier.role.decideur': { fr: 'Décision (ministre)', en: 'Decision (minister)' },
  'dossier.role.system': { fr: 'mesref (automatique)', en: 'mesref (automatic)' },
  // opinions and verdicts
  'dossier.opinion.FAVORABLE': { fr: 'Favorable', en: 'Favourable' },
  'dossier.opinion.FAVORABLE_RESERVES_NON_SUSPENSIVES': {
    fr: 'Favorable avec réserves non suspensives',
    en: 'Favourable with non-suspensive reservations',
  },
  'dossier.opinion.FAVORABLE_RESERVES_SUSPENSIVES': {
    fr: 'Favorable avec réserves suspensives',
    en: 'Favourable with suspensive reservations',
  },
  'dossier.opinion.DEFAVORABLE': { fr: 'Défavorable', en: 'Unfavourable' },
  'dossier.decision.referenced': { fr: 'Référencé', en: 'Referenced' },
  'dossier.decision.refused': { fr: 'Refusé', en: 'Refused' },
  'dossier.verdict.conforme': { fr: 'Conforme', en: 'Compliant' },
  'dossier.verdict.non_conforme': { fr: 'Non conforme', en: 'Not compliant' },
  'dossier.verdict.a_completer': { fr: 'À compléter', en: 'To be completed' },
  'dossier.document.cgu': { fr: 'Conditions générales d’utilisation', en: 'Terms of use' },
  'dossier.document.privacy': { fr: 'Politique de confidentialité', en: 'Privacy notice' },
  'dossier.document.dpia': { fr: 'Analyse d’impact (AIPD)', en: 'Data protection impact assessment (DPIA)' },
  'dossier.document.other': { fr: 'Autre pièce', en: 'Other document' },
  'dossier.document.info_answer': { fr: 'Pièce jointe à une réponse', en: 'Attachment to an answer' },
  'dossier.document.evidence': {
    fr: 'Preuve de l’auto-évaluation (figée au dépôt)',
    en: 'Self-assessment evidence (frozen at filing)',
  },
  'dossier.document.convention': { fr: 'Convention signée', en: 'Signed agreement' },
  'dossier.expected.publisher': {
    fr: 'Action attendue de l’éditeur',
    en: 'Action expected from the publisher',
  },
  'dossier.expected.instructeur': { fr: 'Chez les instructeurs', en: 'With the instructors' },
  'dossier.expected.commission': { fr: 'Chez la commission', en: 'With the commission' },
  'dossier.expected.decideur': { fr: 'En attente de la décision', en: 'Awaiting the decision' },
  'dossier.yes': { fr: 'oui', en: 'yes' },
  'dossier.no': { fr: 'non', en: 'no' },
  'dossier.version.major': { fr: 'version majeure', en: 'major version' },
  'dossier.version.minor': { fr: 'version mineure', en: 'minor version' },
  // errors
  'dossier.conflict': {
    fr: 'Ce dossier a été modifié par quelqu’un d’autre depuis que vous l’avez ouvert (version {version}). Relisez-le avant d’agir à nouveau.',
    en: 'This file was changed by someone else since you opened it (version {version}). Read it again before acting.',
  },
  'dossier.verdict_conflict': {
    fr: 'Un collègue a enregistré un verdict sur ce critère entre-temps. Relisez-le avant de le modifier.',
    en: 'A colleague recorded a verdict on this criterion in the meantime. Read it before changing it.',
  },
  'dossier.error.role': {
    fr: 'Votre rôle ne permet pas cette étape du dossier.',
    en: 'Your role does not allow this step of the file.',
  },
  'dossier.error.state': {
    fr: 'Cette étape n’est pas possible dans l’état actuel du dossier ({state}).',
    en: 'This step is not possible in the file’s current state ({state}).',
  },
  'dossier.error.catalogue_status': {
    fr: 'Cette étape n’est pas possible avec le statut actuel du service au catalogue.',
    en: 'This step is not possible with the service’s current catalogue status.',
  },
  'dossier.error.kind': {
    fr: 'Cette étape ne concerne pas ce type de dossier.',
    en: 'This step does not apply to this kind of file.',
  },
  'dossier.error.not_draft': {
    fr: 'La demande est déposée : ce qui a été déposé ne change plus.',
    en: 'The request is filed: what was filed no longer changes.',
  },
  'dossier.error.already_open': {
    fr: 'Une demande est déjà en cours pour ce service {number}.',
    en: 'A request is already in progress for this service {number}.',
  },
  'dossier.error.update_open': {
    fr: 'Une déclaration mise à jour est déjà en cours pour ce service {number}.',
    en: 'An updated declaration is already in progress for this service {number}.',
  },
  // guards
  'dossier.guard.admin_file': {
    fr: 'Le dossier administratif de votre organisation doit être validé par un instructeur avant tout dépôt.',
    en: 'Your organisation’s administrative file must be validated by an instructor before any filing.',
  },
  'dossier.guard.request_incomplete': {
    fr: 'La demande est incomplète : complétez les éléments signalés.',
    en: 'The request is incomplete: complete the items shown.',
  },
  'dossier.guard.assessment_not_ready': {
    fr: 'L’auto-évaluation présente encore des écarts bloquants : elle doit être prête avant le dépôt.',
    en: 'The self-assessment still has blocking gaps: it must be ready before filing.',
  },
  'dossier.guard.verdicts_missing': {
    fr: 'Des critères n’ont pas encore de verdict ({count}).',
    en: 'Some criteria have no verdict yet ({count}).',
  },
  'dossier.guard.verdicts_to_complete': {
    fr: 'Des critères sont « à compléter » ({count}) : demandez des compléments ou revoyez le verdict.',
    en: 'Some criteria are “to be completed” ({count}): request information or revise the verdict.',
  },
  'dossier.guard.unfavourable': {
    fr: 'Un avis défavorable ne permet pas de référencer le service.',
    en: 'An unfavourable opinion does not allow referencing the service.',
  },
  'dossier.guard.suspensive_reservations': {
    fr: 'Des réserves suspensives ne sont pas levées.',
    en: 'Suspensive reservations are not lifted.',
  },
  'dossier.guard.connection_tests': {
    fr: 'Un rapport de tests d’accrochage réussi, signé et couvrant les catégories de données de la convention, est requis avant la publication.',
    en: 'A passing, signed connection-test report covering the agreement’s data categories is required before publication.',
  },
  'dossier.guard.reservation_unknown': { fr: 'Réserve inconnue.', en: 'Unknown reservation.' },
  'dossier.guard.reservation_lifted': {
    fr: 'Cette réserve est déjà levée.',
    en: 'This reservation is already lifted.',
  },
  'dossier.guard.expired': {
    fr: 'Le référencement a expiré : il doit être renouvelé avant la remise en ligne.',
    en: 'The referencing has expired: it must be renewed before going back online.',
  },
  'dossier.guard.not_expired': {
    fr: 'Le référencement n’a pas expiré.',
    en: 'The referencing has not expired.',
  },
  'dossier.guard.renewal_pending': {
    fr: 'Un renouvellement est déjà demandé.',
    en: 'A renewal has already been requested.',
  },
  'dossier.guard.renewal_not_requested': {
    fr: 'L’éditeur n’a pas demandé de renouvellement.',
    en: 'The publisher has not requested a renewal.',
  },
  // fields
  'dossier.field.required': { fr: 'Ce champ est obligatoire.', en: 'This field is required.' },
  'dossier.field.too_long': { fr: 'Ce texte est trop long.', en: 'This text is too long.' },
  'dossier.field.due_future': {
    fr: 'L’échéance doit être dans le futur.',
    en: 'The due date must be in the future.',
  },
  'dossier.field.unknown_seat': { fr: 'Siège de la commission inconnu.', en: 'Unknown commission seat.' },
  'dossier.field.quorum': {
    fr: 'Le quorum de la commission n’est pas atteint.',
    en: 'The commission’s quorum is not reached.',
  },
  'dossier.field.reservations': {
    fr: 'Un avis avec réserves doit énoncer au moins une réserve.',
    en: 'An opinion with reservations must state at least one.',
  },
  'dossier.field.reservation_text': {
    fr: 'Chaque réserve doit avoir un texte.',
    en: 'Each reservation needs a text.',
  },
  'dossier.field.no_reservations': {
    fr: 'Cet avis ne comporte pas de réserve.',
    en: 'This opinion carries no reservation.',
  },
  'dossier.field.suspensive_needed': {
    fr: 'Un avis avec réserves suspensives doit en comporter au moins une suspensive.',
    en: 'An opinion with suspensive reservations needs at least one suspensive reservation.',
  },
  'dossier.field.suspensive_not_allowed': {
    fr: 'Cet avis ne comporte que des réserves non suspensives.',
    en: 'This opinion carries non-suspensive reservations only.',
  },
  'dossier.field.finalites': {
    fr: 'Indiquez au moins une finalité.',
    en: 'Give at least one finalité.',
  },
  'dossier.field.unknown': { fr: 'Valeur inconnue du référentiel.', en: 'Value unknown to the referential.' },
  'dossier.field.parties': { fr: 'Indiquez les parties signataires.', en: 'Give the signing parties.' },
  'dossier.field.duration': { fr: 'Durée en mois, de 1 à 120.', en: 'Duration in months, 1 to 120.' },
  'dossier.field.date': { fr: 'Date au format AAAA-MM-JJ.', en: 'Date as YYYY-MM-DD.' },
  'dossier.field.categories': {
    fr: 'Indiquez au moins une catégorie de données.',
    en: 'Give at least one data category.',
  },
  'dossier.field.no_categories': {
    fr: 'Un service sans échange de données n’accède à aucune catégorie.',
    en: 'A service without data exchange accesses no category.',
  },
  'dossier.field.read_or_write': {
    fr: 'Chaque catégorie est lue, écrite, ou les deux.',
    en: 'Each category is read, written, or both.',
  },
  'dossier.field.redirect_uris': {
    fr: 'Indiquez au moins une URI de redirection.',
    en: 'Give at least one redirect URI.',
  },
  'dossier.field.https_url': {
    fr: 'Une adresse https:// est attendue.',
    en: 'An https:// address is expected.',
  },
  'dossier.field.keys': {
    fr: 'Indiquez l’URL des clés publiques du service (JWKS) ou collez son JWKS.',
    en: 'Give the URL of the service’s public keys (JWKS) or paste its JWKS.',
  },
  'dossier.field.jwks': {
    fr: 'JWKS invalide : un objet { "keys": [...] } de clés publiques est attendu.',
    en: 'Invalid JWKS: an object { "keys": [...] } of public keys is expected.',
  },
  'dossier.field.contact': {
    fr: 'Une adresse électronique ou une URL https:// est attendue.',
    en: 'An email address or an https:// URL is expected.',
  },
  'dossier.field.document_missing': { fr: 'Pièce manquante.', en: 'Missing document.' },
  'dossier.field.data_exchange_missing': {
    fr: 'Renseignez la déclaration d’échange de données (CSP R.1111-39).',
    en: 'Fill in the data-exchange declaration (CSP R.1111-39).',
  },
  'dossier.field.assessment_missing': {
    fr: 'Commencez l’auto-évaluation du service avant de créer sa demande.',
    en: 'Start the service’s self-assessment before creating its request.',
  },
  'dossier.field.document_kind': { fr: 'Type de pièce inconnu.', en: 'Unknown kind of document.' },
  'dossier.field.file_empty': { fr: 'Le fichier est vide.', en: 'The file is empty.' },
  'dossier.field.file_too_large': { fr: 'Le fichier est trop volumineux.', en: 'The file is too large.' },
  'dossier.field.file_type': {
    fr: 'Type de fichier refusé (PDF, PNG, JPEG, DOCX, XLSX, ODT ou texte).',
    en: 'File type refused (PDF, PNG, JPEG, DOCX, XLSX, ODT or text).',
  },
  'dossier.field.verdict': { fr: 'Verdict inconnu.', en: 'Unknown verdict.' },
  'dossier.field.comment_needed': {
    fr: 'Motivez un verdict non conforme ou à compléter.',
    en: 'Give the reasons for a non-compliant or to-be-completed verdict.',
  },
  'dossier.field.not_instructor': {
    fr: 'Cette personne n’est pas instructrice.',
    en: 'This person is not an instructor.',
  },
  'dossier.field.rubriques': {
    fr: 'Une version majeure touche au moins une rubrique.',
    en: 'A major version touches at least one rubrique.',
  },
  'dossier.field.report_format': {
    fr: 'Rapport illisible : un rapport de tests signé (JWS compact) est attendu.',
    en: 'Unreadable report: a signed test report (compact JWS) is expected.',
  },
  'dossier.field.report_signature': {
    fr: 'La signature du rapport ne se vérifie pas avec les clés de ce déploiement ni celles du bac à sable : rapport refusé.',
    en: 'The report’s signature does not verify with this deployment’s keys nor the sandbox’s: report refused.',
  },
  'dossier.field.report_subject': {
    fr: 'Le rapport ne concerne pas ce service de cette organisation.',
    en: 'The report is not about this service of this organisation.',
  },
  'dossier.field.report_age': {
    fr: 'Le rapport est trop ancien (180 jours au plus) ou daté du futur.',
    en: 'The report is too old (180 days at most) or dated in the future.',
  },
  // notifications: `${kind}.subject` and `${kind}.body`
  ...notifications({
    submit: [
      'Demande {number} déposée',
      'La demande de référencement {number} ({product}) est déposée : elle attend l’examen de sa recevabilité.',
      'Request {number} filed',
      'Referencing request {number} ({product}) is filed: it awaits the admissibility check.',
    ],
    withdraw: [
      'Demande {number} retirée',
      'L’éditeur a retiré la demande {number} ({product}) : {reasons}',
      'Request {number} withdrawn',
      'The publisher withdrew request {number} ({product}): {reasons}',
    ],
    declare_admissible: [
      'Demande {number} recevable',
      'La demande {number} ({product}) est recevable : son évaluation commence.',
      'Request {number} admissible',
      'Request {number} ({product}) is admissible: its evaluation starts.',
    ],
    declare_inadmissible: [
      'Demande {number} irrecevable',
      'La demande {number} ({product}) est irrecevable : {reasons}',
      'Request {number} inadmissible',
      'Request {number} ({product}) is inadmissible: {reasons}',
    ],
    request_info: [
      'Compléments demandés — {number}',
      'Les instructeurs demandent des compléments sur la demande {number} ({product}), à fournir avant le {dueAt}.',
      'Information requested — {number}',
      'The instructors request information on request {number} ({product}), due by {dueAt}.',
    ],
    answer_info: [
      'Réponse de l’éditeur — {number}',
      'L’éditeur a répondu à la demande de compléments sur {number} ({product}).',
      'Publisher’s answer — {number}',
      'The publisher answered the request for information on {number} ({product}).',
    ],
    send_to_commission: [
      'Dossier {number} transmis à la commission',
      'Le dossier {number} ({product}) est prêt pour la commission de référencement.',
      'File {number} sent to the commission',
      'File {number} ({product}) is ready for the referencing commission.',
    ],
    give_opinion: [
      'Avis de la commission — {number}',
      'La commission a rendu son avis sur {number} ({product}) : {opinion}.',
      'Commission opinion — {number}',
      'The commission gave its opinion on {number} ({product}): {opinion}.',
    ],
    lift_reservation: [
      'Réserve levée — {number}',
      'Une réserve de l’avis sur {number} ({product}) est levée.',
      'Reservation lifted — {number}',
      'A reservation of the opinion on {number} ({product}) is lifted.',
    ],
    decide: [
      'Décision — {number}',
      'La décision sur {number} ({product}) est enregistrée : {decision}. {reasons}',
      'Decision — {number}',
      'The decision on {number} ({product}) is recorded: {decision}. {reasons}',
    ],
    sign_convention: [
      'Convention enregistrée — {number}',
      'La convention de référencement de {number} ({product}) est enregistrée.',
      'Agreement recorded — {number}',
      'The referencing agreement of {number} ({product}) is recorded.',
    ],
    publish: [
      'Service publié — {number}',
      '{product} est publié au catalogue (OID {oid}).',
      'Service published — {number}',
      '{product} is published in the catalogue (OID {oid}).',
    ],
    accept_update: [
      'Déclaration mise à jour acceptée — {number}',
      'La déclaration mise à jour de {product} ({number}) est acceptée.',
      'Updated declaration accepted — {number}',
      'The updated declaration of {product} ({number}) is accepted.',
    ],
    refuse_update: [
      'Déclaration mise à jour refusée — {number}',
      'La déclaration mise à jour de {product} ({number}) est refusée : {reasons}',
      'Updated declaration refused — {number}',
      'The updated declaration of {product} ({number}) is refused: {reasons}',
    ],
    take_offline: [
      'Service hors ligne — {product}',
      '{product} est mis hors ligne : {reasons}',
      'Service offline — {product}',
      '{product} is taken offline: {reasons}',
    ],
    put_online: [
      'Service en ligne — {product}',
      '{product} est de nouveau en ligne au catalogue.',
      'Service online — {product}',
      '{product} is back online in the catalogue.',
    ],
    suspend: [
      'Service suspendu — {product}',
      '{product} est suspendu : il ne peut plus lire ni écrire de données. Motif : {reasons}',
      'Service suspended — {product}',
      '{product} is suspended: it may no longer read or write data. Reason: {reasons}',
    ],
    lift_suspension: [
      'Suspension levée — {product}',
      'La suspension de {product} est levée ; le service est hors ligne jusqu’à sa remise en ligne.',
      'Suspension lifted — {product}',
      'The suspension of {product} is lifted; the service is offline until it is put back online.',
    ],
    dereference: [
      'Service déréférencé — {product}',
      '{product} est déréférencé : {reasons}',
      'Service dereferenced — {product}',
      '{product} is dereferenced: {reasons}',
    ],
    expire: [
      'Référencement expiré — {product}',
      'Le référencement de {product} a expiré sans renouvellement : le service est mis hors ligne.',
      'Referencing expired — {product}',
      'The referencing of {product} expired without renewal: the service is taken offline.',
    ],
    request_renewal: [
      'Renouvellement demandé — {product}',
      'L’éditeur demande le renouvellement du référencement de {product} ({number}).',
      'Renewal requested — {product}',
      'The publisher requests renewal of the referencing of {product} ({number}).',
    ],
    renew: [
      'Référencement renouvelé — {product}',
      'Le référencement de {product} est renouvelé.',
      'Referencing renewed — {product}',
      'The referencing of {product} is renewed.',
    ],
    assigned: [
      'Dossier {number} attribué',
      'Le dossier {number} vous est attribué.',
      'File {number} assigned',
      'File {number} is assigned to you.',
    ],
    test_report: [
      'Rapport de tests d’accrochage — {number}',
      'Un rapport de tests d’accrochage est déposé sur {number} ({product}). Réussi : {passed}.',
      'Connection-test report — {number}',
      'A connection-test report was filed on {number} ({product}). Passed: {passed}.',
    ],
    version_declared: [
      'Nouvelle version — {product}',
      'L’éditeur déclare la version {version} de {product} ({major}).',
      'New version — {product}',
      'The publisher declares version {version} of {product} ({major}).',
    ],
    renewal_reminder: [
      'Fin du référencement dans {days} jours — {product}',
      'Le référencement de {product} prend fin le {until}. Demandez son renouvellement pour rester au catalogue.',
      'Referencing ends in {days} days — {product}',
      'The referencing of {product} ends on {until}. Request its renewal to stay in the catalogue.',
    ],
    overdue: [
      'Délai dépassé — {number}',
      'Le délai de la phase en cours du dossier {number} ({product}) est dépassé.',
      'Deadline passed — {number}',
      'The deadline of the current phase of file {number} ({product}) has passed.',
    ],
    info_overdue: [
      'Réponse attendue — {number}',
      'La réponse à la demande de compléments sur {number} ({product}) est attendue : l’échéance est passée.',
      'Answer expected — {number}',
      'The answer to the request for information on {number} ({product}) is expected: the due date has passed.',
    ],
  }),
};

function notifications(table: Record<string, [string, string, string, string]>): Catalog {
  const out: Catalog = {};
  for (const [kind, [frSubject, frBody, enSubject, enBody]] of Object.entries(table)) {
    out[`dossier.notify.${kind}.subject`] = { fr: frSubject, en: enSubject };
    out[`dossier.notify.${kind}.body`] = { fr: frBody, en: enBody };
  }
  return out;
}
