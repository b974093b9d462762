import type { Catalog } from '../platform/i18n.ts';

/** Strings of the publisher's pages of the referencing file (« Mes demandes de référencement »). */
export const publisherMessages: Catalog = {
  'dossier.publisher.home_link': { fr: 'Mes demandes de référencement', en: 'My referencing requests' },
  'dossier.publisher.home_hint': {
    fr: 'créer une demande, la compléter, la déposer et suivre son instruction',
    en: 'create a request, complete it, file it and follow its instruction',
  },
  'dossier.publisher.draft_number': { fr: 'Brouillon', en: 'Draft' },
  'dossier.publisher.form_unreadable': {
    fr: 'Le formulaire n’a pas pu être lu : trop de fichiers ou de champs ({count} fichiers au plus), ou un envoi interrompu. Rien n’a été enregistré.',
    en: 'The form could not be read: too many files or fields ({count} files at most), or an interrupted upload. Nothing was saved.',
  },
  'dossier.publisher.size.bytes': { fr: '{count} o', en: '{count} B' },
  'dossier.publisher.size.kib': { fr: '{count} Kio', en: '{count} KiB' },
  'dossier.publisher.size.mib': { fr: '{count} Mio', en: '{count} MiB' },

  // the list
  'dossier.publisher.list.title': { fr: 'Mes demandes de référencement', en: 'My referencing requests' },
  'dossier.publisher.list.intro': {
    fr: 'Les demandes de référencement à Mon espace santé de vos services, par organisation : leur état, l’échéance de la phase en cours et qui doit agir.',
    en: 'Your services’ requests for referencing in Mon espace santé, by organisation: their state, the current phase’s deadline and who has to act.',
  },
  'dossier.publisher.list.caption': { fr: 'Demandes de {name}', en: 'Requests of {name}' },
  'dossier.publisher.list.none': {
    fr: 'Aucune demande de référencement pour cette organisation.',
    en: 'No referencing request for this organisation.',
  },
  'dossier.publisher.list.no_organisation': {
    fr: 'Vous n’êtes membre d’aucune organisation.',
    en: 'You are not a member of any organisation.',
  },
  'dossier.publisher.admin_file.validated': {
    fr: 'Dossier administratif validé',
    en: 'Administrative file validated',
  },
  'dossier.publisher.admin_file.not_validated': {
    fr: 'Dossier administratif non validé',
    en: 'Administrative file not validated',
  },
  'dossier.publisher.admin_file.not_validated_body': {
    fr: 'Vous pouvez préparer vos demandes, mais aucune ne pourra être déposée tant que le dossier administratif de l’organisation n’est pas validé par un instructeur.',
    en: 'You may prepare your requests, but none can be filed until the organisation’s administrative file is validated by an instructor.',
  },
  'dossier.publisher.admin_file.link': {
    fr: 'Dossier administratif de {name}',
    en: 'Administrative file of {name}',
  },
  'dossier.publisher.create.title': { fr: 'Nouvelle demande', en: 'New request' },
  'dossier.publisher.create.service': { fr: 'Service concerné', en: 'Service concerned' },
  'dossier.publisher.create.service_hint': {
    fr: 'La demande porte sur l’auto-évaluation la plus récente du service ; sa typologie est celle du service.',
    en: 'The request is based on the service’s most recent self-assessment; its typology is the service’s.',
  },
  'dossier.publisher.create.submit': { fr: 'Créer la demande', en: 'Create the request' },
  'dossier.publisher.create.no_services': {
    fr: 'Déclarez d’abord un service de cette organisation.',
    en: 'First declare a service of this organisation.',
  },
  'dossier.publisher.create.services_link': { fr: 'Mes services', en: 'My services' },

  // fields of a file
  'dossier.publisher.field.number': { fr: 'Numéro', en: 'Number' },
  'dossier.publisher.field.service': { fr: 'Service', en: 'Service' },
  'dossier.publisher.field.organisation': { fr: 'Organisation', en: 'Organisation' },
  'dossier.publisher.field.kind': { fr: 'Type de dossier', en: 'Kind of file' },
  'dossier.publisher.field.typology': { fr: 'Typologie', en: 'Typology' },
  'dossier.publisher.field.product_version': { fr: 'Version du service', en: 'Service version' },
  'dossier.publisher.field.referential': { fr: 'Version du référentiel', en: 'Referential version' },
  'dossier.publisher.field.state': { fr: 'État', en: 'State' },
  'dossier.publisher.field.catalogue': { fr: 'Statut au catalogue', en: 'Catalogue status' },
  'dossier.publisher.field.phase_due': { fr: 'Échéance de la phase', en: 'Phase deadline' },
  'dossier.publisher.field.expected': { fr: 'Qui doit agir', en: 'Who has to act' },
  'dossier.publisher.field.submitted_at': { fr: 'Déposée le', en: 'Filed on' },
  'dossier.publisher.field.oid': { fr: 'OID du service', en: 'Service OID' },
  'dossier.publisher.field.published_at': { fr: 'Publié le', en: 'Published on' },
  'dossier.publisher.field.referenced_until': { fr: 'Référencé jusqu’au', en: 'Referenced until' },
  'dossier.publisher.field.renewal': { fr: 'Renouvellement', en: 'Renewal' },
  'dossier.publisher.field.update_due': {
    fr: 'Déclaration mise à jour attendue avant le',
    en: 'Updated declaration due by',
  },
  'dossier.publisher.field.parent': { fr: 'Dossier d’origine', en: 'Original file' },
  'dossier.publisher.field.parent_link': {
    fr: 'Voir le dossier du service publié',
    en: 'See the published service’s file',
  },
  'dossier.publisher.field.touched': { fr: 'Critères à réévaluer', en: 'Criteria to re-assess' },
  'dossier.publisher.renewal.requested': { fr: 'Demandé, en cours d’examen', en: 'Requested, under review' },
  'dossier.publisher.renewal.not_requested': { fr: 'Non demandé', en: 'Not requested' },
  'dossier.publisher.links.request': { fr: 'Compléter la demande', en: 'Complete the request' },
  'dossier.publisher.links.snapshot': { fr: 'Voir ce qui a été déposé', en: 'See what was filed' },
  'dossier.publisher.links.assessment': { fr: 'Ouvrir l’auto-évaluation', en: 'Open the self-assessment' },

  // what is expected
  'dossier.publisher.expected.title': { fr: 'Ce qui est attendu de vous', en: 'What is expected of you' },
  'dossier.publisher.expected.you': { fr: 'Vous', en: 'You' },
  'dossier.publisher.expected.draft': {
    fr: 'Complétez la demande, joignez les pièces requises, puis déposez-la.',
    en: 'Complete the request, attach the required documents, then file it.',
  },
  'dossier.publisher.expected.draft_link': { fr: 'Compléter la demande', en: 'Complete the request' },
  'dossier.publisher.expected.info': {
    fr: 'Les instructeurs vous demandent des compléments : répondez avant le {due}.',
    en: 'The instructors request further information: answer by {due}.',
  },
  'dossier.publisher.expected.info_link': { fr: 'Répondre', en: 'Answer' },
  'dossier.publisher.expected.tests': {
    fr: 'Réalisez les tests d’accrochage à Mon espace santé puis déposez le rapport signé, avant le {due}.',
    en: 'Run the connection tests with Mon espace santé, then file the signed report, by {due}.',
  },
  'dossier.publisher.expected.tests_link': { fr: 'Déposer le rapport', en: 'File the report' },
  'dossier.publisher.expected.paused': {
    fr: 'Le délai d’instruction est suspendu pendant votre réponse.',
    en: 'The instruction deadline is suspended while you answer.',
  },
  'dossier.publisher.expected.nothing': {
    fr: 'Rien n’est attendu de vous pour le moment : {who}.',
    en: 'Nothing is expected of you for now: {who}.',
  },
  'dossier.publisher.expected.phase_due': {
    fr: 'Échéance de la phase en cours : {due}.',
    en: 'Current phase deadline: {due}.',
  },
  'dossier.publisher.expected.overdue': {
    fr: 'L’échéance de la phase est dépassée ; les instructeurs en sont informés.',
    en: 'The phase deadline has passed; the instructors have been told.',
  },
  'dossier.publisher.expected.published': {
    fr: 'Le service est référencé jusqu’au {until}.',
    en: 'The service is referenced until {until}.',
  },
  'dossier.publisher.expected.renewal_hint': {
    fr: 'Demandez le renouvellement avant cette date pour rester au catalogue.',
    en: 'Request the renewal before that date to stay in the catalogue.',
  },
  'dossier.publisher.expected.renewal_requested': {
    fr: 'Votre demande de renouvellement est en cours d’examen.',
    en: 'Your renewal request is under review.',
  },
  'dossier.publisher.expected.update_due': {
    fr: 'Déposez la déclaration mise à jour de votre nouvelle version majeure avant le {due}.',
    en: 'File the updated declaration of your new major version by {due}.',
  },
  'dossier.publisher.expected.none': { fr: 'Rien n’est attendu de vous.', en: 'Nothing is expected of you.' },
  'dossier.publisher.expected.closed': {
    fr: 'Ce dossier est clos : plus rien n’y est attendu.',
    en: 'This file is closed: nothing more is expected on it.',
  },

  // request for information
  'dossier.publisher.info.title': { fr: 'Demande de compléments', en: 'Request for information' },
  'dossier.publisher.info.asked': {
    fr: 'Demandée le {date} — réponse attendue avant le {due}',
    en: 'Asked on {date} — answer due by {due}',
  },
  'dossier.publisher.info.criteria': { fr: 'Critères concernés :', en: 'Criteria concerned:' },
  'dossier.publisher.info.text': { fr: 'Votre réponse', en: 'Your answer' },
  'dossier.publisher.info.text_hint': {
    fr: 'Répondez à chaque point ; les instructeurs lisent votre texte tel que vous l’écrivez.',
    en: 'Answer each point; the instructors read your text as you write it.',
  },
  'dossier.publisher.info.files': { fr: 'Pièces jointes', en: 'Attachments' },
  'dossier.publisher.info.files_hint': {
    fr: '{count} fichiers au plus, {max} Kio chacun : PDF, PNG, JPEG, DOCX, XLSX, ODT ou texte.',
    en: '{count} files at most, {max} KiB each: PDF, PNG, JPEG, DOCX, XLSX, ODT or text.',
  },
  'dossier.publisher.info.too_many_files': {
    fr: 'Cinq fichiers au plus.',
    en: 'Five files at most.',
  },
  'dossier.publisher.info.submit': { fr: 'Envoyer la réponse', en: 'Send the answer' },

  // connection tests
  'dossier.publisher.tests.title': { fr: 'Tests d’accrochage', en: 'Connection tests' },
  'dossier.publisher.tests.intro': {
    fr: 'Le rapport signé par le bac à sable de tests (JWS compact) doit être réussi et couvrir les catégories de données de la convention.',
    en: 'The report signed by the test sandbox (compact JWS) must pass and cover the agreement’s data categories.',
  },
  'dossier.publisher.tests.none': { fr: 'Aucun rapport déposé.', en: 'No report filed.' },
  'dossier.publisher.tests.where': {
    fr: 'Les tests d’accrochage se passent dans le bac à sable : ouvrez-y une session pour ce service, faites passer ses plans à votre application, puis déposez ici le rapport JSON signé (champ « jws »).',
    en: 'Connection tests run in the sandbox: open a session there for this service, have your app pass its plans, then file the signed JSON report here (its “jws” field).',
  },
  'dossier.publisher.tests.sandbox_link': {
    fr: 'Ouvrir une session de tests d’accrochage',
    en: 'Open a connection-test session',
  },
  'dossier.publisher.tests.caption': { fr: 'Rapports de tests déposés', en: 'Test reports filed' },
  'dossier.publisher.tests.recorded': { fr: 'Déposé le', en: 'Filed on' },
  'dossier.publisher.tests.issued': { fr: 'signé le {date}', en: 'signed on {date}' },
  'dossier.publisher.tests.result': { fr: 'Résultat', en: 'Result' },
  'dossier.publisher.tests.passed': { fr: 'Réussi', en: 'Passed' },
  'dossier.publisher.tests.failed': { fr: 'Échoué', en: 'Failed' },
  'dossier.publisher.tests.origin': { fr: 'Signé par', en: 'Signed by' },
  'dossier.publisher.tests.origin_local': { fr: 'ce déploiement', en: 'this deployment' },
  'dossier.publisher.tests.origin_sandbox': { fr: 'le bac à sable de tests', en: 'the test sandbox' },
  'dossier.publisher.tests.plans': { fr: 'Plans de test', en: 'Test plans' },
  'dossier.publisher.tests.plan_passed': { fr: 'réussi', en: 'passed' },
  'dossier.publisher.tests.plan_failed': { fr: 'échoué', en: 'failed' },
  'dossier.publisher.tests.plan_not_run': { fr: 'non exécuté', en: 'not run' },
  'dossier.publisher.tests.add': { fr: 'Déposer un rapport', en: 'File a report' },
  'dossier.publisher.tests.report': { fr: 'Rapport signé (JWS compact)', en: 'Signed report (compact JWS)' },
  'dossier.publisher.tests.report_hint': {
    fr: 'Collez le rapport tel que le bac à sable l’a produit, ou choisissez son fichier ci-dessous.',
    en: 'Paste the report as the sandbox produced it, or choose its file below.',
  },
  'dossier.publisher.tests.file': { fr: 'Ou le fichier du rapport', en: 'Or the report’s file' },
  'dossier.publisher.tests.file_hint': { fr: 'Fichier .jws ou .txt', en: 'A .jws or .txt file' },
  'dossier.publisher.tests.submit': { fr: 'Déposer le rapport', en: 'File the report' },

  // opinion and decision
  'dossier.publisher.opinion.title': { fr: 'Avis et décision', en: 'Opinion and decision' },
  'dossier.publisher.opinion.reservations': { fr: 'Réserves', en: 'Reservations' },
  'dossier.publisher.opinion.suspensive': { fr: 'suspensive', en: 'suspensive' },
  'dossier.publisher.opinion.non_suspensive': { fr: 'non suspensive', en: 'non-suspensive' },
  'dossier.publisher.opinion.lifted': { fr: 'levée le {date}', en: 'lifted on {date}' },
  'dossier.publisher.opinion.decision': { fr: 'Décision', en: 'Decision' },

  // the publisher's steps
  'dossier.publisher.steps.title': { fr: 'Vos démarches', en: 'Your steps' },
  'dossier.publisher.steps.reasons': { fr: 'Motifs', en: 'Reasons' },
  'dossier.publisher.steps.withdraw_hint': {
    fr: 'Le retrait est définitif : la demande est close, vous pourrez en créer une nouvelle.',
    en: 'Withdrawal is final: the request is closed; you may create a new one.',
  },
  'dossier.publisher.steps.take_offline_hint': {
    fr: 'Le service n’apparaît plus au catalogue ; les instructeurs peuvent le remettre en ligne.',
    en: 'The service no longer appears in the catalogue; the instructors may put it back online.',
  },
  'dossier.publisher.steps.request_renewal_hint': {
    fr: 'Un renouvellement accepté prolonge le référencement de deux ans.',
    en: 'An accepted renewal extends the referencing by two years.',
  },
  'dossier.publisher.version.title': { fr: 'Déclarer une nouvelle version', en: 'Declare a new version' },
  'dossier.publisher.version.intro': {
    fr: 'Une version majeure ouvre une déclaration mise à jour : les critères des rubriques touchées sont réévalués.',
    en: 'A major version opens an updated declaration: the criteria of the rubriques it touches are re-assessed.',
  },
  'dossier.publisher.version.version': { fr: 'Numéro de version', en: 'Version number' },
  'dossier.publisher.version.version_hint': {
    fr: 'Version référencée actuellement : {current}',
    en: 'Version currently referenced: {current}',
  },
  'dossier.publisher.version.major': { fr: 'Nature de la version', en: 'Kind of version' },
  'dossier.publisher.version.major_hint': {
    fr: 'Une version est majeure quand elle change ce qui a été évalué (fonctions, données, sécurité…).',
    en: 'A version is major when it changes what was evaluated (functions, data, security…).',
  },
  'dossier.publisher.version.minor_option': { fr: 'Mineure', en: 'Minor' },
  'dossier.publisher.version.major_option': { fr: 'Majeure', en: 'Major' },
  'dossier.publisher.version.rubriques': { fr: 'Rubriques touchées', en: 'Rubriques touched' },
  'dossier.publisher.version.rubriques_hint': {
    fr: 'Obligatoire pour une version majeure.',
    en: 'Required for a major version.',
  },
  'dossier.publisher.version.description': {
    fr: 'Description des changements',
    en: 'Description of the changes',
  },
  'dossier.publisher.version.submit': { fr: 'Déclarer la version', en: 'Declare the version' },

  // the timeline
  'dossier.publisher.timeline.title': { fr: 'Historique du dossier', en: 'History of the file' },
  'dossier.publisher.timeline.empty': { fr: 'Aucune étape pour le moment.', en: 'No step yet.' },
  'dossier.publisher.timeline.state_change': { fr: 'État : {from} → {to}', en: 'State: {from} → {to}' },
  'dossier.publisher.timeline.state_new': { fr: 'État : {to}', en: 'State: {to}' },
  'dossier.publisher.timeline.catalogue_change': {
    fr: 'Catalogue : {from} → {to}',
    en: 'Catalogue: {from} → {to}',
  },
  'dossier.publisher.timeline.number': { fr: 'Numéro attribué', en: 'Number given' },
  'dossier.publisher.timeline.reasons': { fr: 'Motifs', en: 'Reasons' },
  'dossier.publisher.timeline.message': { fr: 'Message', en: 'Message' },
  'dossier.publisher.timeline.criteria': { fr: 'Critères concernés', en: 'Criteria concerned' },
  'dossier.publisher.timeline.expected': { fr: 'Attendu de vous', en: 'Expected of you' },
  'dossier.publisher.timeline.answer_before': { fr: 'une réponse avant le {due}', en: 'an answer by {due}' },
  'dossier.publisher.timeline.due': { fr: 'Échéance', en: 'Deadline' },
  'dossier.publisher.timeline.answer': { fr: 'Réponse', en: 'Answer' },
  'dossier.publisher.timeline.documents': { fr: 'Pièces jointes', en: 'Attachments' },
  'dossier.publisher.timeline.opinion': { fr: 'Avis', en: 'Opinion' },
  'dossier.publisher.timeline.decision': { fr: 'Décision', en: 'Decision' },
  'dossier.publisher.timeline.finalites': { fr: 'Finalités autorisées', en: 'Finalités authorised' },
  'dossier.publisher.timeline.signed_on': { fr: 'Signée le', en: 'Signed on' },
  'dossier.publisher.timeline.duration': { fr: 'Durée', en: 'Duration' },
  'dossier.publisher.timeline.months': { fr: '{count} mois', en: '{count} months' },
  'dossier.publisher.timeline.version': { fr: 'Version', en: 'Version' },
  'dossier.publisher.timeline.version_kind': { fr: 'Nature', en: 'Kind' },
  'dossier.publisher.timeline.days_left': { fr: 'Jours restants', en: 'Days left' },

  // processing times
  'dossier.publisher.times.title': { fr: 'Délais de traitement', en: 'Processing times' },
  'dossier.publisher.times.intro': {
    fr: 'Pour chaque phase : le délai que s’engage à tenir l’administration, et la durée médiane observée sur les dossiers sortis de cette phase ces {days} derniers jours (aucun dossier n’est nommé).',
    en: 'For each phase: the time the administration commits to, and the median time observed on the files that left that phase in the last {days} days (no file is named).',
  },
  'dossier.publisher.times.caption': { fr: 'Délais par phase', en: 'Times per phase' },
  'dossier.publisher.times.phase': { fr: 'Phase', en: 'Phase' },
  'dossier.publisher.times.target': { fr: 'Délai cible', en: 'Target time' },
  'dossier.publisher.times.median': { fr: 'Durée médiane observée', en: 'Median time observed' },
  'dossier.publisher.times.count': { fr: 'Dossiers comptés', en: 'Files counted' },
  'dossier.publisher.times.days': { fr: '{count} j', en: '{count} d' },
  'dossier.publisher.times.no_data': { fr: 'pas encore de données', en: 'no data yet' },

  // the draft request
  'dossier.publisher.request.page_title': {
    fr: 'Préparer la demande — {name}',
    en: 'Prepare the request — {name}',
  },
  'dossier.publisher.request.crumb': { fr: 'Préparer la demande', en: 'Prepare the request' },
  'dossier.publisher.request.version': { fr: 'référentiel {version}', en: 'referential {version}' },
  'dossier.publisher.request.back': { fr: 'Retour au dossier', en: 'Back to the file' },
  'dossier.publisher.request.title': { fr: 'La demande', en: 'The request' },
  'dossier.publisher.request.presentation': {
    fr: 'Présentation de la demande',
    en: 'Presentation of the request',
  },
  'dossier.publisher.request.presentation_hint': {
    fr: 'Facultatif : ce que vous souhaitez dire aux instructeurs sur le service et la demande.',
    en: 'Optional: what you wish to tell the instructors about the service and the request.',
  },
  'dossier.publisher.request.no_exchange': {
    fr: 'Ce service est référencé sans échange de données : pas de déclaration d’échange à remplir.',
    en: 'This service is referenced without data exchange: no exchange declaration to fill in.',
  },
  'dossier.publisher.request.save': { fr: 'Enregistrer la demande', en: 'Save the request' },
  'dossier.publisher.exchange.title': {
    fr: 'Déclaration d’échange de données (CSP R.1111-39)',
    en: 'Data-exchange declaration (CSP R.1111-39)',
  },
  'dossier.publisher.exchange.intro': {
    fr: 'Le code de la santé publique demande ces éléments à tout service qui souhaite lire ou écrire des données de Mon espace santé.',
    en: 'The public health code asks any service wishing to read or write Mon espace santé data for these items.',
  },
  'dossier.publisher.exchange.justification': {
    fr: 'Pourquoi le service a besoin de ces données',
    en: 'Why the service needs these data',
  },
  'dossier.publisher.exchange.justification_hint': {
    fr: 'Le lien entre chaque donnée et ce que le service fait pour la personne.',
    en: 'The link between each datum and what the service does for the person.',
  },
  'dossier.publisher.exchange.access': {
    fr: 'Comment le service accède aux données',
    en: 'How the service accesses the data',
  },
  'dossier.publisher.exchange.access_hint': {
    fr: 'Appariement, API utilisées, fréquence des échanges.',
    en: 'Pairing, APIs used, frequency of the exchanges.',
  },
  'dossier.publisher.exchange.categories': { fr: 'Catégories de données', en: 'Data categories' },
  'dossier.publisher.exchange.categories_hint': {
    fr: 'Pour chaque catégorie demandée, cochez la lecture, l’écriture, ou les deux.',
    en: 'For each category requested, tick reading, writing, or both.',
  },
  'dossier.publisher.exchange.read': { fr: 'Lecture', en: 'Read' },
  'dossier.publisher.exchange.write': { fr: 'Écriture', en: 'Write' },
  'dossier.publisher.exchange.finalites': { fr: 'Finalités', en: 'Finalités (purposes)' },
  'dossier.publisher.exchange.finalites_hint': {
    fr: 'Les données ne peuvent être utilisées qu’à ces fins, recherche exclue.',
    en: 'The data may be used for these purposes only, research excluded.',
  },
  'dossier.publisher.exchange.retention': { fr: 'Durée de conservation', en: 'Retention period' },
  'dossier.publisher.exchange.retention_hint': {
    fr: 'Combien de temps le service garde les données, et ce qu’il en fait ensuite.',
    en: 'How long the service keeps the data, and what it does with them afterwards.',
  },
  'dossier.publisher.exchange.security': { fr: 'Conditions de sécurité', en: 'Security conditions' },
  'dossier.publisher.exchange.security_hint': {
    fr: 'Hébergement (HDS), chiffrement, contrôle des accès, journalisation.',
    en: 'Hosting (HDS), encryption, access control, logging.',
  },
  'dossier.publisher.exchange.consentText': {
    fr: 'Texte d’information présenté à la personne',
    en: 'Information text shown to the person',
  },
  'dossier.publisher.exchange.consentText_hint': {
    fr: 'Le texte exact que la personne lira quand son accord exprès sera recueilli.',
    en: 'The exact text the person will read when their express consent is collected.',
  },
  'dossier.publisher.exchange.redirectUris': { fr: 'URI de redirection', en: 'Redirect URIs' },
  'dossier.publisher.exchange.redirectUris_hint': {
    fr: 'Une par ligne, en https:// (http://localhost accepté pour les essais).',
    en: 'One per line, https:// (http://localhost accepted for trials).',
  },
  'dossier.publisher.exchange.jwksUri': {
    fr: 'URL des clés publiques du service (JWKS)',
    en: 'URL of the service’s public keys (JWKS)',
  },
  'dossier.publisher.exchange.jwksUri_hint': {
    fr: 'En https://. Ou collez le JWKS dans le champ suivant.',
    en: 'https://. Or paste the JWKS in the next field.',
  },
  'dossier.publisher.exchange.jwks': { fr: 'JWKS du service', en: 'The service’s JWKS' },
  'dossier.publisher.exchange.jwks_hint': {
    fr: 'Un objet { "keys": [...] } de clés publiques seulement.',
    en: 'An object { "keys": [...] } of public keys only.',
  },
  'dossier.publisher.exchange.supportContact': { fr: 'Contact du support', en: 'Support contact' },
  'dossier.publisher.exchange.supportContact_hint': {
    fr: 'Une adresse électronique ou une URL https://.',
    en: 'An email address or an https:// URL.',
  },
  'dossier.publisher.checklist.title': { fr: 'Avant de déposer', en: 'Before filing' },
  'dossier.publisher.checklist.done': { fr: 'Fait', en: 'Done' },
  'dossier.publisher.checklist.todo': { fr: 'À faire', en: 'To do' },
  'dossier.publisher.checklist.ready': {
    fr: 'Tout est prêt : la demande peut être déposée.',
    en: 'Everything is ready: the request can be filed.',
  },
  'dossier.publisher.checklist.assessment_ready': {
    fr: 'Auto-évaluation prête pour le dépôt.',
    en: 'Self-assessment ready for filing.',
  },
  'dossier.publisher.checklist.assessment_gaps': {
    fr: 'Auto-évaluation pas encore prête ({count} écarts bloquants).',
    en: 'Self-assessment not ready yet ({count} blocking gaps).',
  },
  'dossier.publisher.checklist.request_complete': { fr: 'Demande complète.', en: 'Request complete.' },
  'dossier.publisher.documents.title': { fr: 'Pièces de la demande', en: 'Documents of the request' },
  'dossier.publisher.documents.required': {
    fr: 'Pièces requises pour cette typologie :',
    en: 'Documents required for this typology:',
  },
  'dossier.publisher.documents.present': { fr: 'jointe', en: 'attached' },
  'dossier.publisher.documents.missing': { fr: 'manquante', en: 'missing' },
  'dossier.publisher.documents.none': { fr: 'Aucune pièce jointe.', en: 'No document attached.' },
  'dossier.publisher.documents.caption': {
    fr: 'Pièces jointes à la demande',
    en: 'Documents attached to the request',
  },
  'dossier.publisher.documents.filed_title': { fr: 'Pièces du dossier', en: 'Documents of the file' },
  'dossier.publisher.documents.filed_caption': {
    fr: 'Pièces déposées et jointes aux réponses',
    en: 'Documents filed and attached to answers',
  },
  'dossier.publisher.documents.kind': { fr: 'Nature de la pièce', en: 'Kind of document' },
  'dossier.publisher.documents.name': { fr: 'Fichier', en: 'File' },
  'dossier.publisher.documents.details': { fr: 'Taille et date', en: 'Size and date' },
  'dossier.publisher.documents.actions': { fr: 'Actions', en: 'Actions' },
  'dossier.publisher.documents.download': { fr: 'Télécharger', en: 'Download' },
  'dossier.publisher.documents.download_label': { fr: 'Télécharger {name}', en: 'Download {name}' },
  'dossier.publisher.documents.remove': { fr: 'Retirer', en: 'Remove' },
  'dossier.publisher.documents.remove_label': { fr: 'Retirer {name}', en: 'Remove {name}' },
  'dossier.publisher.documents.add': { fr: 'Joindre une pièce', en: 'Attach a document' },
  'dossier.publisher.documents.file': { fr: 'Fichier', en: 'File' },
  'dossier.publisher.documents.file_hint': {
    fr: '{max} Kio au plus : PDF, PNG, JPEG, DOCX, XLSX, ODT ou texte.',
    en: '{max} KiB at most: PDF, PNG, JPEG, DOCX, XLSX, ODT or text.',
  },
  'dossier.publisher.documents.submit': { fr: 'Joindre la pièce', en: 'Attach the document' },
  'dossier.publisher.assessment.title': { fr: 'Auto-évaluation', en: 'Self-assessment' },
  'dossier.publisher.assessment.summary': {
    fr: 'Référentiel {version} : {ready} critères satisfaits sur {applicable} applicables, {blocking} écarts bloquants.',
    en: 'Referential {version}: {ready} criteria met out of {applicable} applicable, {blocking} blocking gaps.',
  },
  'dossier.publisher.assessment.frozen': {
    fr: 'L’auto-évaluation sera figée au dépôt : ses réponses, justifications et preuves seront copiées dans le dossier, et les modifications ultérieures ne changeront pas ce qui a été déposé.',
    en: 'The self-assessment will be frozen at filing: its answers, justifications and evidence are copied into the file, and later changes will not alter what was filed.',
  },
  'dossier.publisher.submit.title': { fr: 'Déposer la demande', en: 'File the request' },
  'dossier.publisher.submit.confirm': {
    fr: 'En déposant la demande, vous engagez votre organisation : la demande et ses pièces ne pourront plus être modifiées, l’auto-évaluation est figée, un numéro d’évaluation est attribué et l’examen de recevabilité commence.',
    en: 'By filing the request you commit your organisation: the request and its documents can no longer be changed, the self-assessment is frozen, an evaluation number is given and the admissibility check starts.',
  },
  'dossier.publisher.submit.managers_only': {
    fr: 'Seuls le mandataire et le représentant légal de l’organisation peuvent déposer la demande.',
    en: 'Only the organisation’s mandataire and legal representative may file the request.',
  },

  // conflicts
  'dossier.publisher.conflict.title': { fr: 'Modification concurrente', en: 'Concurrent change' },
  'dossier.publisher.conflict.now': { fr: 'État actuel du dossier :', en: 'Current state of the file:' },
  'dossier.publisher.conflict.next': {
    fr: 'La page montre le dossier tel qu’il est maintenant ; vérifiez-le avant d’agir à nouveau.',
    en: 'The page shows the file as it now is; check it before acting again.',
  },
  'dossier.publisher.conflict.caption': {
    fr: 'Ce qui est enregistré et ce que vous aviez saisi',
    en: 'What is saved and what you had typed',
  },
  'dossier.publisher.conflict.field': { fr: 'Champ', en: 'Field' },
  'dossier.publisher.conflict.current': { fr: 'Enregistré', en: 'Saved' },
  'dossier.publisher.conflict.yours': {
    fr: 'Votre saisie (conservée dans le formulaire)',
    en: 'Your input (kept in the form)',
  },

  // what was filed
  'dossier.publisher.snapshot.title': { fr: 'Ce qui a été déposé', en: 'What was filed' },
  'dossier.publisher.snapshot.none': {
    fr: 'La demande n’est pas encore déposée : rien n’est figé.',
    en: 'The request is not filed yet: nothing is frozen.',
  },
  'dossier.publisher.snapshot.frozen': {
    fr: 'L’auto-évaluation telle qu’elle a été figée le {date}. Les modifications faites depuis ne la changent pas.',
    en: 'The self-assessment as it was frozen on {date}. Changes made since do not alter it.',
  },
  'dossier.publisher.snapshot.demo': {
    fr: 'Déposé sur la version de démonstration {version} du référentiel.',
    en: 'Filed on the demonstration version {version} of the referential.',
  },
  'dossier.publisher.snapshot.ready': { fr: 'Prête au dépôt', en: 'Ready for filing' },
  'dossier.publisher.snapshot.ready_yes': { fr: 'Oui', en: 'Yes' },
  'dossier.publisher.snapshot.ready_no': { fr: 'Non', en: 'No' },
  'dossier.publisher.snapshot.counts': { fr: 'Critères', en: 'Criteria' },
  'dossier.publisher.snapshot.counts_value': {
    fr: '{applicable} applicables dont {mandatory} obligatoires ; {answered} répondus, {ready} satisfaits, {blocking} écarts bloquants ; {notApplicable} non applicables.',
    en: '{applicable} applicable of which {mandatory} mandatory; {answered} answered, {ready} met, {blocking} blocking gaps; {notApplicable} not applicable.',
  },
  'dossier.publisher.snapshot.by_rubrique': { fr: 'Par rubrique', en: 'By rubrique' },
  'dossier.publisher.snapshot.by_rubrique_caption': {
    fr: 'Avancement par rubrique au dépôt',
    en: 'Progress by rubrique at filing',
  },
  'dossier.publisher.snapshot.rubrique': { fr: 'Rubrique', en: 'Rubrique' },
  'dossier.publisher.snapshot.applicable': { fr: 'Applicables', en: 'Applicable' },
  'dossier.publisher.snapshot.answered': { fr: 'Répondus', en: 'Answered' },
  'dossier.publisher.snapshot.met': { fr: 'Satisfaits', en: 'Met' },
  'dossier.publisher.snapshot.mandatory_met': { fr: 'Obligatoires satisfaits', en: 'Mandatory met' },
  'dossier.publisher.snapshot.criteria': { fr: 'Critères', en: 'Criteria' },
  'dossier.publisher.snapshot.criteria_caption': {
    fr: 'Réponses aux critères applicables, telles que déposées',
    en: 'Answers to the applicable criteria, as filed',
  },
  'dossier.publisher.snapshot.criterion': { fr: 'Critère', en: 'Criterion' },
  'dossier.publisher.snapshot.answer': { fr: 'Réponse', en: 'Answer' },
  'dossier.publisher.snapshot.justification': { fr: 'Justification', en: 'Justification' },
  'dossier.publisher.snapshot.evidence': { fr: 'Preuves', en: 'Evidence' },
  'dossier.publisher.snapshot.target': { fr: 'échéance prévue : {date}', en: 'planned for: {date}' },
  'dossier.publisher.snapshot.ecoscore': { fr: 'Écoscore (ETH 32)', en: 'Écoscore (ETH 32)' },
  'dossier.publisher.snapshot.ecoscore_official': {
    fr: 'Écoscore officiel : {score}/100, mesuré le {date} (parcours « {journey} »).',
    en: 'Official écoscore: {score}/100, measured on {date} (journey “{journey}”).',
  },
  'dossier.publisher.snapshot.ecoscore_none': {
    fr: 'Aucun écoscore officiel enregistré au dépôt.',
    en: 'No official écoscore recorded at filing.',
  },
  'dossier.publisher.snapshot.ecoscore_run': {
    fr: 'Dernière mesure mesref : {score}/100 ({date}).',
    en: 'Latest mesref measurement: {score}/100 ({date}).',
  },
  'dossier.publisher.snapshot.files': { fr: 'Fichiers de preuve figés', en: 'Frozen evidence files' },
  'dossier.publisher.snapshot.files_caption': {
    fr: 'Copies des fichiers de preuve faites au dépôt',
    en: 'Copies of the evidence files made at filing',
  },

  // after a change
  'dossier.publisher.flash.created': {
    fr: 'La demande est créée (brouillon). Complétez-la puis déposez-la.',
    en: 'The request is created (draft). Complete it, then file it.',
  },
  'dossier.publisher.flash.saved': { fr: 'La demande est enregistrée.', en: 'The request is saved.' },
  'dossier.publisher.flash.document_added': { fr: 'La pièce est jointe.', en: 'The document is attached.' },
  'dossier.publisher.flash.document_removed': { fr: 'La pièce est retirée.', en: 'The document is removed.' },
  'dossier.publisher.flash.submit': {
    fr: 'La demande est déposée sous le numéro {number}.',
    en: 'The request is filed under number {number}.',
  },
  'dossier.publisher.flash.withdraw': { fr: 'La demande est retirée.', en: 'The request is withdrawn.' },
  'dossier.publisher.flash.answer_info': {
    fr: 'Votre réponse est envoyée aux instructeurs.',
    en: 'Your answer is sent to the instructors.',
  },
  'dossier.publisher.flash.take_offline': {
    fr: 'Le service est mis hors ligne.',
    en: 'The service is taken offline.',
  },
  'dossier.publisher.flash.request_renewal': {
    fr: 'Le renouvellement est demandé.',
    en: 'The renewal is requested.',
  },
  'dossier.publisher.flash.version_declared': {
    fr: 'La version est déclarée.',
    en: 'The version is declared.',
  },
  'dossier.publisher.flash.update_created': {
    fr: 'Version majeure déclarée : voici sa déclaration mise à jour, à compléter et à déposer.',
    en: 'Major version declared: here is its updated declaration, to complete and file.',
  },
  'dossier.publisher.flash.test_report': {
    fr: 'Le rapport de tests est déposé.',
    en: 'The test report is filed.',
  },
};
