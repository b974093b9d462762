import type { Catalog } from '../platform/i18n.ts';
import { FINDINGS_MAX, MESSAGE_MIN } from './complaint-model.ts';

/**
 * Strings of citizens' reports and of audits: the citizen's pages, the instruction's, API errors, the
 * notifications (`dossier.notify.complaint_*`, `dossier.notify.audit_*`) and the file's timeline entries.
 */
export const complaintMessages: Catalog = {
  // statuses
  'complaint.status.new': { fr: 'Nouveau', en: 'New' },
  'complaint.status.in_review': { fr: 'En cours d’examen', en: 'Under review' },
  'complaint.status.answered': { fr: 'Répondu', en: 'Answered' },
  'complaint.status.closed': { fr: 'Clos', en: 'Closed' },
  'complaint.audit.status.open': { fr: 'En cours', en: 'Open' },
  'complaint.audit.status.closed': { fr: 'Clos', en: 'Closed' },

  // errors
  'complaint.conflict': {
    fr: 'Ce signalement a été modifié entre-temps (version {version}) : rien n’a été enregistré.',
    en: 'This report was changed in the meantime (version {version}): nothing was saved.',
  },
  'complaint.audit.conflict': {
    fr: 'Cet audit a été modifié entre-temps (version {version}) : rien n’a été enregistré.',
    en: 'This audit was changed in the meantime (version {version}): nothing was saved.',
  },
  'complaint.conflict_title': { fr: 'Modifié entre-temps', en: 'Changed in the meantime' },
  'complaint.conflict_shown': {
    fr: 'Un collègue a modifié cette page depuis que vous l’avez ouverte : rien n’a été enregistré. Voici son état actuel ; vérifiez-le avant d’agir de nouveau.',
    en: 'A colleague changed this page since you opened it: nothing was saved. Here is how it now stands; check it before acting again.',
  },
  'complaint.error.status': {
    fr: 'Ce signalement est « {status} » : cette action n’est pas possible.',
    en: 'This report is "{status}": this action is not possible.',
  },
  'complaint.error.instructor_only': {
    fr: 'Seuls les instructeurs traitent les signalements et les audits.',
    en: 'Only instructors handle reports and audits.',
  },
  'complaint.error.too_many_open': {
    fr: 'Vous avez déjà {open} signalements en cours d’examen sur ce service : attendez la réponse avant d’en envoyer un autre.',
    en: 'You already have {open} reports under review on this service: wait for the answer before sending another.',
  },
  'complaint.error.too_many_today': {
    fr: 'Vous avez envoyé {day} signalements depuis 24 heures : réessayez demain.',
    en: 'You sent {day} reports in the last 24 hours: try again tomorrow.',
  },
  'complaint.form_version': {
    fr: 'Ce formulaire ne vient pas de cette page : rechargez-la.',
    en: 'This form does not come from this page: reload it.',
  },
  'complaint.audit.not_referenced': {
    fr: 'Un audit porte sur un service référencé et publié, non déréférencé.',
    en: 'An audit concerns a referenced, published service that has not been dereferenced.',
  },
  'complaint.audit.closed': {
    fr: 'Cet audit est clos : il ne change plus.',
    en: 'This audit is closed: it no longer changes.',
  },
  'complaint.audit.nothing': { fr: 'Rien à enregistrer.', en: 'Nothing to save.' },
  'complaint.audit.finding_unknown': {
    fr: 'Ce constat n’existe pas dans cet audit.',
    en: 'This finding is not in this audit.',
  },
  'complaint.audit.finding_resolved': {
    fr: 'Ce constat est déjà marqué corrigé.',
    en: 'This finding is already marked as corrected.',
  },

  // fields
  'complaint.field.required': { fr: 'Ce champ est obligatoire.', en: 'This field is required.' },
  'complaint.field.control_characters': {
    fr: 'Ce texte contient des caractères de contrôle.',
    en: 'This text contains control characters.',
  },
  'complaint.field.too_short': {
    fr: `Au moins ${MESSAGE_MIN} caractères : décrivez le problème constaté.`,
    en: `At least ${MESSAGE_MIN} characters: describe the problem you found.`,
  },
  'complaint.field.too_long': { fr: 'Ce texte est trop long.', en: 'This text is too long.' },
  'complaint.field.category': {
    fr: 'Choisissez une catégorie de la liste.',
    en: 'Choose a category from the list.',
  },
  'complaint.field.date': { fr: 'Une date au format AAAA-MM-JJ.', en: 'A date as YYYY-MM-DD.' },
  'complaint.field.due_future': { fr: 'Une date à venir.', en: 'A date in the future.' },
  'complaint.field.too_many_findings': {
    fr: `Au plus ${FINDINGS_MAX} constats par audit.`,
    en: `At most ${FINDINGS_MAX} findings per audit.`,
  },
  'complaint.field.status_unknown': { fr: 'Statut inconnu.', en: 'Unknown status.' },
  'complaint.field.category_label': { fr: 'Catégorie', en: 'Category' },
  'complaint.field.message_label': { fr: 'Votre signalement', en: 'Your report' },
  'complaint.field.message_hint': {
    fr: 'De {min} à {max} caractères. Décrivez ce que vous avez constaté, où et quand. N’indiquez pas d’informations sur votre santé qui ne soient pas nécessaires.',
    en: 'From {min} to {max} characters. Describe what you found, where and when. Do not give information about your health that is not needed.',
  },
  'complaint.field.answer_label': { fr: 'Réponse à l’usager', en: 'Answer to the citizen' },
  'complaint.field.answer_hint': {
    fr: 'L’usager la lit dans son espace et en est notifié. Elle ne va pas à l’éditeur.',
    en: 'The citizen reads it in their space and is notified. It does not go to the publisher.',
  },
  'complaint.field.reference': { fr: 'Référence', en: 'Reference' },
  'complaint.field.service': { fr: 'Service', en: 'Service' },
  'complaint.field.publisher': { fr: 'Éditeur', en: 'Publisher' },
  'complaint.field.catalogue_status': { fr: 'Statut au catalogue', en: 'Catalogue status' },
  'complaint.field.sent': { fr: 'Envoyé le', en: 'Sent on' },
  'complaint.field.received': { fr: 'Reçu le', en: 'Received on' },
  'complaint.field.status': { fr: 'Statut', en: 'Status' },
  'complaint.field.handled_by': { fr: 'Pris en charge par', en: 'Handled by' },

  // the citizen's form
  'complaint.report.title': {
    fr: 'Signaler un problème sur ce service',
    en: 'Report a problem on this service',
  },
  'complaint.report.service': {
    fr: 'Service : {product}, édité par {publisher}.',
    en: 'Service: {product}, published by {publisher}.',
  },
  'complaint.report.scope_title': { fr: 'Ce que vous pouvez signaler ici', en: 'What you can report here' },
  'complaint.report.scope': {
    fr: 'Ce formulaire sert à signaler que ce service ne respecte pas les exigences du référencement à Mon espace santé (sécurité, données personnelles, contenu, éthique, accessibilité…). Votre signalement est lu par l’administration qui instruit le référencement ; il peut conduire à des contrôles du service.',
    en: 'This form is for reporting that this service does not meet the requirements of its referencing in Mon espace santé (security, personal data, content, ethics, accessibility…). Your report is read by the administration in charge of referencing; it may lead to checks of the service.',
  },
  'complaint.report.scope_support': {
    fr: 'Pour un bogue, votre compte, un paiement ou une question d’utilisation, contactez le support du service lui-même : il est indiqué dans l’application ou sur son site.',
    en: 'For a bug, your account, a payment or how to use it, contact the service’s own support: it is given in the app or on its website.',
  },
  'complaint.report.scope_emergency': {
    fr: 'En cas d’urgence médicale, appelez le 15 ou le 112.',
    en: 'In a medical emergency, call 15 or 112.',
  },
  'complaint.report.scope_privacy': {
    fr: 'Votre identité n’est jamais communiquée à l’éditeur du service.',
    en: 'Your identity is never given to the publisher of the service.',
  },
  'complaint.report.suspended': {
    fr: 'Ce service est actuellement suspendu. Vous pouvez tout de même signaler un manquement.',
    en: 'This service is currently suspended. You may still report a breach.',
  },
  'complaint.report.submit': { fr: 'Envoyer le signalement', en: 'Send the report' },

  // the citizen's space
  'complaint.citizen.space_link': { fr: 'Mes signalements', en: 'My reports' },
  'complaint.citizen.space_lead': {
    fr: 'Les problèmes que vous avez signalés sur des services référencés, et les réponses de l’administration.',
    en: 'The problems you reported on referenced services, and the administration’s answers.',
  },
  'complaint.citizen.space_see': { fr: 'Voir mes signalements', en: 'See my reports' },
  'complaint.citizen.title': { fr: 'Mes signalements', en: 'My reports' },
  'complaint.citizen.intro': {
    fr: 'Les problèmes que vous avez signalés sur des services référencés. Vous êtes notifié quand l’administration répond.',
    en: 'The problems you reported on referenced services. You are notified when the administration answers.',
  },
  'complaint.citizen.none': {
    fr: 'Vous n’avez envoyé aucun signalement.',
    en: 'You have not sent any report.',
  },
  'complaint.citizen.caption': {
    fr: 'Vos signalements, les plus récents d’abord',
    en: 'Your reports, newest first',
  },
  'complaint.citizen.detail_title': { fr: 'Signalement {reference}', en: 'Report {reference}' },
  'complaint.citizen.filed_title': { fr: 'Signalement envoyé', en: 'Report sent' },
  'complaint.citizen.filed': {
    fr: 'Votre signalement est enregistré sous la référence {reference}. Gardez-la : elle vous sera demandée si vous contactez l’administration. Vous serez notifié de la réponse.',
    en: 'Your report is recorded under reference {reference}. Keep it: you will be asked for it if you contact the administration. You will be notified of the answer.',
  },
  'complaint.citizen.answer': { fr: 'Réponse de l’administration', en: 'The administration’s answer' },
  'complaint.citizen.answered_on': { fr: 'Répondu le {date}', en: 'Answered on {date}' },
  'complaint.citizen.no_answer': {
    fr: 'Pas encore de réponse : votre signalement est en cours de traitement.',
    en: 'No answer yet: your report is being handled.',
  },
  'complaint.citizen.back': { fr: 'Tous mes signalements', en: 'All my reports' },

  // the queue
  'complaint.queue.title': { fr: 'Signalements des usagers', en: 'Citizens’ reports' },
  'complaint.queue.intro': {
    fr: 'Les signalements de non-conformité envoyés par les usagers : les nouveaux d’abord, puis ceux en cours, les plus anciens en premier.',
    en: 'Reports of non-conformity sent by citizens: new ones first, then those under review, oldest first.',
  },
  'complaint.queue.none': { fr: 'Aucun signalement.', en: 'No report.' },
  'complaint.queue.caption': { fr: 'Signalements ({total})', en: 'Reports ({total})' },
  'complaint.queue.pagination': { fr: 'Pagination des signalements', en: 'Reports pages' },
  'complaint.queue.previous': { fr: 'Page précédente', en: 'Previous page' },
  'complaint.queue.next': { fr: 'Page suivante', en: 'Next page' },
  'complaint.queue.page': { fr: 'Page {page} sur {pages}', en: 'Page {page} of {pages}' },
  'complaint.queue.reference': { fr: 'Retrouver un signalement', en: 'Find a report' },
  'complaint.queue.reference_hint': {
    fr: 'Sa référence, par exemple SIG-1A2B3C4D',
    en: 'Its reference, for example SIG-1A2B3C4D',
  },
  'complaint.queue.reference_submit': { fr: 'Rechercher', en: 'Search' },
  'complaint.queue.reference_unknown': {
    fr: 'Aucun signalement ne porte la référence « {reference} ».',
    en: 'No report has the reference "{reference}".',
  },
  'complaint.filter.status': { fr: 'Statut', en: 'Status' },
  'complaint.filter.all': { fr: 'Tous', en: 'All' },
  'complaint.filter.apply': { fr: 'Filtrer', en: 'Filter' },

  // a report
  'complaint.detail.title': { fr: 'Signalement {reference}', en: 'Report {reference}' },
  'complaint.detail.version': { fr: 'version {version}', en: 'version {version}' },
  'complaint.detail.service': { fr: 'Le service', en: 'The service' },
  'complaint.detail.no_other': {
    fr: 'Aucun autre signalement sur ce service.',
    en: 'No other report on this service.',
  },
  'complaint.detail.others': {
    fr: '{count} autre(s) signalement(s) sur ce service, dont {open} en cours',
    en: '{count} other report(s) on this service, {open} of them open',
  },
  'complaint.detail.report': { fr: 'Le signalement', en: 'The report' },
  'complaint.detail.answer': { fr: 'Réponse envoyée le {date}', en: 'Answer sent on {date}' },
  'complaint.detail.audits': {
    fr: 'Audits ouverts depuis ce signalement',
    en: 'Audits opened from this report',
  },
  'complaint.detail.audits_caption': { fr: 'Audits liés', en: 'Linked audits' },
  'complaint.detail.actions': { fr: 'Traiter le signalement', en: 'Handle the report' },
  'complaint.move.take': { fr: 'Prendre en charge', en: 'Take it on' },
  'complaint.move.answer': { fr: 'Répondre', en: 'Answer' },
  'complaint.move.answer_submit': { fr: 'Envoyer la réponse', en: 'Send the answer' },
  'complaint.move.close': { fr: 'Clore', en: 'Close' },
  'complaint.suspend.title': { fr: 'Suspendre le service', en: 'Suspend the service' },
  'complaint.suspend.intro': {
    fr: 'Le service passe « Suspendu » au catalogue : il ne peut plus lire ni écrire de données. L’éditeur est notifié avec le motif ; il ne sait rien du signalement ni de son auteur.',
    en: 'The service becomes "Suspended" in the catalogue: it may no longer read or write data. The publisher is notified with the reason; it learns nothing of the report or its author.',
  },
  'complaint.suspend.reasons': { fr: 'Motif de la suspension', en: 'Reason for the suspension' },
  'complaint.suspend.reasons_hint': {
    fr: 'L’éditeur le lit : ne citez ni l’usager ni son message.',
    en: 'The publisher reads it: quote neither the citizen nor their message.',
  },
  'complaint.suspend.submit': { fr: 'Suspendre le service', en: 'Suspend the service' },
  'complaint.flash.taken': { fr: 'Signalement pris en charge.', en: 'Report taken on.' },
  'complaint.flash.answered': { fr: 'Réponse envoyée à l’usager.', en: 'Answer sent to the citizen.' },
  'complaint.flash.closed': { fr: 'Signalement clos.', en: 'Report closed.' },
  'complaint.flash.suspended': { fr: 'Service suspendu.', en: 'Service suspended.' },
  'complaint.flash.audit_opened': {
    fr: 'Audit ouvert ; l’éditeur est notifié.',
    en: 'Audit opened; the publisher is notified.',
  },
  'complaint.flash.finding_added': {
    fr: 'Constat ajouté ; l’éditeur est notifié.',
    en: 'Finding added; the publisher is notified.',
  },
  'complaint.flash.finding_resolved': { fr: 'Constat marqué corrigé.', en: 'Finding marked as corrected.' },
  'complaint.flash.audit_closed': {
    fr: 'Audit clos ; l’éditeur est notifié.',
    en: 'Audit closed; the publisher is notified.',
  },

  // audits
  'complaint.audits.title': { fr: 'Audits des services référencés', en: 'Audits of referenced services' },
  'complaint.audits.intro': {
    fr: 'Les contrôles des services référencés : les audits en cours d’abord, échéance la plus proche en premier.',
    en: 'Checks of referenced services: open audits first, nearest deadline first.',
  },
  'complaint.audits.none': { fr: 'Aucun audit.', en: 'No audit.' },
  'complaint.audits.caption': { fr: 'Audits ({total})', en: 'Audits ({total})' },
  'complaint.audit.title': { fr: 'Audit — {product}', en: 'Audit — {product}' },
  'complaint.audit.new_title': { fr: 'Ouvrir un audit — {product}', en: 'Open an audit — {product}' },
  'complaint.audit.open': { fr: 'Ouvrir un audit', en: 'Open an audit' },
  'complaint.audit.open_intro': {
    fr: 'L’éditeur est notifié du périmètre et de l’échéance de l’audit, et de chaque constat ; jamais d’un signalement ni de son auteur.',
    en: 'The publisher is notified of the audit’s scope and deadline, and of each finding; never of a report or its author.',
  },
  'complaint.audit.open_submit': { fr: 'Ouvrir l’audit', en: 'Open the audit' },
  'complaint.audit.scope': { fr: 'Périmètre', en: 'Scope' },
  'complaint.audit.scope_hint': {
    fr: 'Ce qui est contrôlé : exigences, fonctions, documents. L’éditeur le lit.',
    en: 'What is checked: requirements, functions, documents. The publisher reads it.',
  },
  'complaint.audit.due': { fr: 'Échéance', en: 'Deadline' },
  'complaint.audit.due_hint': { fr: 'Date de fin de l’audit.', en: 'When the audit ends.' },
  'complaint.audit.opened': { fr: 'Ouvert le', en: 'Opened on' },
  'complaint.audit.from_complaint': { fr: 'Signalement à l’origine', en: 'Report it came from' },
  'complaint.audit.no_complaint': {
    fr: 'Aucun (audit ouvert depuis le dossier)',
    en: 'None (audit opened from the file)',
  },
  'complaint.audit.findings': { fr: 'Constats', en: 'Findings' },
  'complaint.audit.findings_caption': {
    fr: 'Constats de l’audit et délais de correction',
    en: 'Findings of the audit and correction deadlines',
  },
  'complaint.audit.findings_count': {
    fr: '{total} (dont {open} à corriger)',
    en: '{total} ({open} to correct)',
  },
  'complaint.audit.no_findings': { fr: 'Aucun constat pour l’instant.', en: 'No finding so far.' },
  'complaint.audit.finding_legend': {
    fr: 'Constat initial {n} (facultatif)',
    en: 'Initial finding {n} (optional)',
  },
  'complaint.audit.finding_text': { fr: 'Constat', en: 'Finding' },
  'complaint.audit.finding_due': { fr: 'Délai de correction', en: 'Correction deadline' },
  'complaint.audit.finding_due_hint': {
    fr: 'L’éditeur doit corriger avant cette date.',
    en: 'The publisher must correct it by this date.',
  },
  'complaint.audit.finding_state': { fr: 'État', en: 'State' },
  'complaint.audit.resolved_on': { fr: 'Corrigé le {date}', en: 'Corrected on {date}' },
  'complaint.audit.resolve': { fr: 'Marquer corrigé', en: 'Mark as corrected' },
  'complaint.audit.resolve_title': { fr: 'Marquer corrigé : {text}', en: 'Mark as corrected: {text}' },
  'complaint.audit.late': { fr: 'Délai dépassé', en: 'Deadline passed' },
  'complaint.audit.pending': { fr: 'À corriger', en: 'To correct' },
  'complaint.audit.overdue': { fr: 'Échéance dépassée', en: 'Deadline passed' },
  'complaint.audit.add_finding': { fr: 'Ajouter un constat', en: 'Add a finding' },
  'complaint.audit.add_finding_submit': { fr: 'Ajouter le constat', en: 'Add the finding' },
  'complaint.audit.conclusion': { fr: 'Conclusion', en: 'Conclusion' },
  'complaint.audit.conclusion_hint': {
    fr: 'L’éditeur la lit. Les constats non corrigés restent au dossier ; dites ce qui s’ensuit (suspension, déréférencement, nouveau contrôle).',
    en: 'The publisher reads it. Findings not corrected stay on file; say what follows (suspension, dereferencing, a new check).',
  },
  'complaint.audit.close': { fr: 'Clore l’audit', en: 'Close the audit' },
  'complaint.audit.closed_on': { fr: 'Clos le {date}', en: 'Closed on {date}' },
  'complaint.audit.open_still': { fr: 'L’audit est en cours.', en: 'The audit is open.' },

  // the file's timeline
  'dossier.action.audit_opened': { fr: 'Audit ouvert', en: 'Audit opened' },
  'dossier.action.audit_finding': { fr: 'Constat d’audit', en: 'Audit finding' },
  'dossier.action.audit_closed': { fr: 'Audit clos', en: 'Audit closed' },

  // notifications
  'dossier.notify.complaint_filed.subject': {
    fr: 'Nouveau signalement — {product}',
    en: 'New report — {product}',
  },
  'dossier.notify.complaint_filed.body': {
    fr: 'Un usager signale un problème de conformité sur {product} (référence {reference}, catégorie {category}).',
    en: 'A citizen reports a conformity problem on {product} (reference {reference}, category {category}).',
  },
  'dossier.notify.complaint_answered.subject': {
    fr: 'Réponse à votre signalement {reference}',
    en: 'Answer to your report {reference}',
  },
  'dossier.notify.complaint_answered.body': {
    fr: 'L’administration a répondu à votre signalement {reference} sur {product}.',
    en: 'The administration answered your report {reference} on {product}.',
  },
  'dossier.notify.audit_opened.subject': { fr: 'Audit de {product}', en: 'Audit of {product}' },
  'dossier.notify.audit_opened.body': {
    fr: 'Un audit de {product} est ouvert, jusqu’au {dueAt}. Périmètre : {scope}',
    en: 'An audit of {product} is open until {dueAt}. Scope: {scope}',
  },
  'dossier.notify.audit_finding.subject': {
    fr: 'Constat d’audit — {product}',
    en: 'Audit finding — {product}',
  },
  'dossier.notify.audit_finding.body': {
    fr: 'Audit de {product} : {finding} — à corriger avant le {dueAt}.',
    en: 'Audit of {product}: {finding} — to correct by {dueAt}.',
  },
  'dossier.notify.audit_closed.subject': { fr: 'Audit clos — {product}', en: 'Audit closed — {product}' },
  'dossier.notify.audit_closed.body': {
    fr: 'L’audit de {product} est clos ({open} constat(s) non corrigé(s)). Conclusion : {conclusion}',
    en: 'The audit of {product} is closed ({open} finding(s) not corrected). Conclusion: {conclusion}',
  },
};
