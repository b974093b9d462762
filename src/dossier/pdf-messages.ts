import type { Catalog } from '../platform/i18n.ts';

/**
 * Strings of the two PDFs of a referencing file: the summary of the request as filed, and the commission's
 * opinion letter. The labels of states, kinds, typologies, opinions and documents are `dossier.*` (messages.ts).
 */
export const dossierPdfMessages: Catalog = {
  // shared
  'dossier.pdf.page': { fr: 'Page {page} sur {pages}', en: 'Page {page} of {pages}' },
  'dossier.pdf.yes': { fr: 'Oui', en: 'Yes' },
  'dossier.pdf.no': { fr: 'Non', en: 'No' },
  'dossier.pdf.size.bytes': { fr: '{count} o', en: '{count} B' },
  'dossier.pdf.size.kib': { fr: '{count} Kio', en: '{count} KiB' },
  'dossier.pdf.size.mib': { fr: '{count} Mio', en: '{count} MiB' },
  'dossier.pdf.not_filed': {
    fr: 'Cette demande n’est pas encore déposée : son récapitulatif existera au dépôt.',
    en: 'This request is not filed yet: its summary will exist once it is filed.',
  },
  'dossier.pdf.no_opinion': {
    fr: 'La commission de référencement n’a pas encore rendu d’avis sur ce dossier.',
    en: 'The referencing commission has not given an opinion on this file yet.',
  },
  'dossier.pdf.demonstration': {
    fr: 'Version de démonstration du référentiel « {version} » : ce n’est pas le référentiel officiel.',
    en: 'Demonstration version “{version}” of the referential: it is not the official referential.',
  },

  // the request as filed
  'dossier.pdf.summary.title': {
    fr: 'Récapitulatif de la demande {number}',
    en: 'Summary of request {number}',
  },
  'dossier.pdf.summary.meta_title': {
    fr: 'Récapitulatif de la demande {number} — {product}',
    en: 'Summary of request {number} — {product}',
  },
  'dossier.pdf.summary.identification': { fr: 'Identification', en: 'Identification' },
  'dossier.pdf.summary.number': { fr: 'Numéro d’évaluation', en: 'Evaluation number' },
  'dossier.pdf.summary.filed_at': { fr: 'Date de dépôt', en: 'Filed on' },
  'dossier.pdf.summary.kind': { fr: 'Nature', en: 'Kind' },
  'dossier.pdf.summary.organisation': { fr: 'Éditeur', en: 'Publisher' },
  'dossier.pdf.summary.siren': { fr: 'SIREN', en: 'SIREN' },
  'dossier.pdf.summary.service': { fr: 'Service', en: 'Service' },
  'dossier.pdf.summary.service_version': { fr: 'Version du service', en: 'Service version' },
  'dossier.pdf.summary.typology': { fr: 'Typologie', en: 'Typology' },
  'dossier.pdf.summary.referential': { fr: 'Version du référentiel', en: 'Referential version' },
  'dossier.pdf.summary.presentation': { fr: 'Présentation de la demande', en: 'Presentation of the request' },
  'dossier.pdf.exchange.heading': {
    fr: 'Déclaration d’échange de données (CSP, art. R.1111-39)',
    en: 'Data-exchange declaration (CSP, art. R.1111-39)',
  },
  'dossier.pdf.exchange.not_applicable': {
    fr: 'Sans objet : le service n’échange pas de données avec Mon espace santé.',
    en: 'Not applicable: the service exchanges no data with Mon espace santé.',
  },
  'dossier.pdf.exchange.missing': { fr: 'Aucune déclaration déposée.', en: 'No declaration filed.' },
  'dossier.pdf.exchange.justification': { fr: 'Justification du besoin', en: 'Why the data is needed' },
  'dossier.pdf.exchange.access': { fr: 'Modalités d’accès aux données', en: 'How the data is accessed' },
  'dossier.pdf.exchange.categories': { fr: 'Catégories de données', en: 'Data categories' },
  'dossier.pdf.exchange.category': { fr: 'Catégorie', en: 'Category' },
  'dossier.pdf.exchange.read': { fr: 'Lecture', en: 'Read' },
  'dossier.pdf.exchange.write': { fr: 'Écriture', en: 'Write' },
  'dossier.pdf.exchange.finalites': { fr: 'Finalités', en: 'Finalités (purposes)' },
  'dossier.pdf.exchange.retention': { fr: 'Durée de conservation', en: 'Retention period' },
  'dossier.pdf.exchange.security': { fr: 'Mesures de sécurité', en: 'Security measures' },
  'dossier.pdf.exchange.consent': { fr: 'Texte de recueil du consentement', en: 'Consent text' },
  'dossier.pdf.exchange.redirect_uris': { fr: 'URI de redirection', en: 'Redirect URIs' },
  'dossier.pdf.exchange.keys': { fr: 'Clés publiques du service', en: 'The service’s public keys' },
  'dossier.pdf.exchange.jwks_provided': { fr: 'JWKS fourni', en: 'JWKS provided' },
  'dossier.pdf.exchange.support': { fr: 'Contact support', en: 'Support contact' },
  'dossier.pdf.documents.heading': { fr: 'Pièces déposées', en: 'Documents filed' },
  'dossier.pdf.documents.intro': {
    fr: 'Chaque pièce est identifiée par son empreinte SHA-256 ; les preuves de l’auto-évaluation sont des copies figées au dépôt.',
    en: 'Each document is identified by its SHA-256 digest; the self-assessment evidence files are copies frozen at filing.',
  },
  'dossier.pdf.documents.kind': { fr: 'Pièce', en: 'Document' },
  'dossier.pdf.documents.name': { fr: 'Fichier', en: 'File' },
  'dossier.pdf.documents.size': { fr: 'Taille', en: 'Size' },
  'dossier.pdf.documents.sha256': { fr: 'Empreinte SHA-256', en: 'SHA-256 digest' },
  'dossier.pdf.documents.criterion': { fr: 'critère {id}', en: 'criterion {id}' },
  'dossier.pdf.documents.none': { fr: 'Aucune pièce.', en: 'No document.' },
  'dossier.pdf.assessment.heading': {
    fr: 'Auto-évaluation figée au dépôt',
    en: 'Self-assessment frozen at filing',
  },
  'dossier.pdf.assessment.none': {
    fr: 'Aucune auto-évaluation n’a été figée avec cette demande.',
    en: 'No self-assessment was frozen with this request.',
  },
  'dossier.pdf.assessment.ready': {
    fr: 'Prête pour le dépôt : chaque critère obligatoire applicable était satisfait.',
    en: 'Ready to file: every applicable mandatory criterion was met.',
  },
  'dossier.pdf.assessment.not_ready': {
    fr: 'Pas prête pour le dépôt : des critères obligatoires n’étaient pas satisfaits.',
    en: 'Not ready to file: some mandatory criteria were not met.',
  },
  'dossier.pdf.assessment.frozen_at': { fr: 'Figée le', en: 'Frozen on' },
  'dossier.pdf.assessment.counts': {
    fr: 'Critères applicables : {applicable} (dont {mandatory} obligatoires) ; satisfaits : {ready} ; écarts : {gaps} ; critères non applicables : {notApplicable}.',
    en: 'Applicable criteria: {applicable} ({mandatory} mandatory); met: {ready}; gaps: {gaps}; criteria not applicable: {notApplicable}.',
  },
  'dossier.pdf.assessment.by_status': {
    fr: 'Réponses : {conforme} conformes, {nonConforme} non conformes, {nonApplicable} non applicables, {unanswered} sans réponse.',
    en: 'Answers: {conforme} compliant, {nonConforme} not compliant, {nonApplicable} not applicable, {unanswered} not answered.',
  },
  'dossier.pdf.assessment.criterion': { fr: 'Critère', en: 'Criterion' },
  'dossier.pdf.assessment.level': { fr: 'Niveau', en: 'Level' },
  'dossier.pdf.assessment.answer': { fr: 'Réponse', en: 'Answer' },
  'dossier.pdf.assessment.justification': { fr: 'Justification', en: 'Justification' },
  'dossier.pdf.assessment.evidence': { fr: 'Preuves', en: 'Evidence' },
  'dossier.pdf.level.obligatoire': { fr: 'Obligatoire', en: 'Mandatory' },
  'dossier.pdf.level.optionnel': { fr: 'Optionnel', en: 'Optional' },
  'dossier.pdf.status.conforme': { fr: 'Conforme', en: 'Compliant' },
  'dossier.pdf.status.non-conforme': { fr: 'Non conforme', en: 'Not compliant' },
  'dossier.pdf.status.non-applicable': { fr: 'Non applicable', en: 'Not applicable' },
  'dossier.pdf.status.none': { fr: 'Sans réponse', en: 'Not answered' },
  'dossier.pdf.ecoscore.heading': { fr: 'Écoscore (critère ETH 32)', en: 'Écoscore (criterion ETH 32)' },
  'dossier.pdf.ecoscore.none': {
    fr: 'Aucune mesure d’écoscore n’était enregistrée au dépôt.',
    en: 'No écoscore measurement was recorded at filing.',
  },
  'dossier.pdf.ecoscore.official': { fr: 'Écoscore officiel', en: 'Official écoscore' },
  'dossier.pdf.ecoscore.official_value': {
    fr: '{score}/100, mesuré le {date} (parcours « {journey} »)',
    en: '{score}/100, measured on {date} (journey “{journey}”)',
  },
  'dossier.pdf.ecoscore.latest': { fr: 'Dernière mesure par mesref', en: 'Latest measurement by mesref' },
  'dossier.pdf.ecoscore.latest_value': { fr: '{score}/100, le {date}', en: '{score}/100, on {date}' },
  'dossier.pdf.ecoscore.not_recorded': { fr: 'aucune', en: 'none' },
  'dossier.pdf.ecoscore.gap': { fr: 'Écart entre les deux', en: 'Gap between the two' },
  'dossier.pdf.ecoscore.gap_value': { fr: '{gap} points', en: '{gap} points' },
  'dossier.pdf.summary.footer': {
    fr: 'Document généré par mesref le {date} — reflète la demande telle que déposée (figée au dépôt)',
    en: 'Document generated by mesref on {date} — shows the request as filed (frozen at filing)',
  },

  // the commission's opinion letter
  'dossier.pdf.letter.meta_title': {
    fr: 'Avis de la commission de référencement — {number}',
    en: 'Opinion of the referencing commission — {number}',
  },
  'dossier.pdf.letter.authority': {
    fr: 'Commission de référencement des services numériques de Mon espace santé',
    en: 'Referencing commission for the digital services of Mon espace santé',
  },
  'dossier.pdf.letter.date': { fr: 'Le {date}', en: '{date}' },
  'dossier.pdf.letter.subject': {
    fr: 'Objet : avis de la commission de référencement — dossier {number}',
    en: 'Subject: opinion of the referencing commission — file {number}',
  },
  'dossier.pdf.letter.intro': {
    fr: 'La commission de référencement a examiné la demande de référencement du service {product}, déposée le {filed} par {publisher}. Elle a rendu le {date} l’avis suivant.',
    en: 'The referencing commission examined the referencing request for the service {product}, filed on {filed} by {publisher}. On {date} it gave the following opinion.',
  },
  'dossier.pdf.letter.file': { fr: 'Le dossier', en: 'The file' },
  'dossier.pdf.letter.service': { fr: 'Service', en: 'Service' },
  'dossier.pdf.letter.service_value': { fr: '{name}, version {version}', en: '{name}, version {version}' },
  'dossier.pdf.letter.publisher': { fr: 'Éditeur', en: 'Publisher' },
  'dossier.pdf.letter.publisher_value': { fr: '{name} (SIREN {siren})', en: '{name} (SIREN {siren})' },
  'dossier.pdf.letter.opinion': { fr: 'Avis de la commission', en: 'Opinion of the commission' },
  'dossier.pdf.letter.opinion_given': { fr: 'Avis rendu le {date}.', en: 'Opinion given on {date}.' },
  'dossier.pdf.letter.reasons': { fr: 'Motifs', en: 'Reasons' },
  'dossier.pdf.letter.reservations': { fr: 'Réserves', en: 'Reservations' },
  'dossier.pdf.letter.reservations_none': {
    fr: 'L’avis ne comporte aucune réserve.',
    en: 'The opinion carries no reservation.',
  },
  'dossier.pdf.letter.suspensive': { fr: 'Réserve suspensive', en: 'Suspensive reservation' },
  'dossier.pdf.letter.non_suspensive': { fr: 'Réserve non suspensive', en: 'Non-suspensive reservation' },
  'dossier.pdf.letter.lifted': { fr: 'levée le {date} ({by})', en: 'lifted on {date} ({by})' },
  'dossier.pdf.letter.not_lifted': {
    fr: 'non levée à la date de ce document',
    en: 'not lifted as of this document',
  },
  'dossier.pdf.letter.finalites': {
    fr: 'Finalités pour lesquelles l’échange de données est autorisé',
    en: 'Finalités (purposes) for which data exchange is authorised',
  },
  'dossier.pdf.letter.finalites_none': {
    fr: 'Aucune : cet avis n’autorise pas d’échange de données.',
    en: 'None: this opinion authorises no data exchange.',
  },
  'dossier.pdf.letter.finalites_not_applicable': {
    fr: 'Sans objet : le service n’échange pas de données avec Mon espace santé.',
    en: 'Not applicable: the service exchanges no data with Mon espace santé.',
  },
  'dossier.pdf.letter.sitting': { fr: 'Membres ayant siégé', en: 'Members who sat' },
  'dossier.pdf.letter.seat_role': { fr: 'Qualité', en: 'Capacity' },
  'dossier.pdf.letter.seat_holder': { fr: 'Titulaire', en: 'Holder' },
  'dossier.pdf.letter.quorum': {
    fr: 'Quorum : {quorum} membres (règlement de procédure « {version} ») ; {count} membres ont siégé.',
    en: 'Quorum: {quorum} members (procedure file “{version}”); {count} members sat.',
  },
  'dossier.pdf.letter.quorum_reached': { fr: 'Le quorum était atteint.', en: 'The quorum was reached.' },
  'dossier.pdf.letter.quorum_not_reached': {
    fr: 'Le quorum du règlement de procédure en vigueur n’est pas atteint par cette composition.',
    en: 'This composition does not reach the quorum of the procedure file in force.',
  },
  'dossier.pdf.letter.next': { fr: 'Suite de la procédure', en: 'Next step' },
  'dossier.pdf.letter.next_decision': {
    fr: 'Le ministre chargé de la santé décide du référencement du service au vu de cet avis. La décision sera notifiée à l’éditeur et versée au dossier {number}.',
    en: 'The minister of health decides on the referencing of the service in the light of this opinion. The decision will be notified to the publisher and added to file {number}.',
  },
  'dossier.pdf.letter.next_suspensive': {
    fr: 'Le service ne peut être référencé tant que les réserves suspensives ne sont pas levées.',
    en: 'The service cannot be referenced while suspensive reservations are not lifted.',
  },
  'dossier.pdf.letter.decided': {
    fr: 'Décision enregistrée le {date} : {decision}.',
    en: 'Decision recorded on {date}: {decision}.',
  },
  'dossier.pdf.letter.signature': {
    fr: 'La commission de référencement',
    en: 'The referencing commission',
  },
  'dossier.pdf.letter.footer': {
    fr: 'Document généré par mesref le {date} à partir de l’avis enregistré au dossier {number}',
    en: 'Document generated by mesref on {date} from the opinion recorded in file {number}',
  },
};
