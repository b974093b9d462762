import type { Catalog } from '../platform/i18n.ts';

/** Strings of the publisher's administrative file (dossier administratif): pages, problems, notifications. */
export const adminFileMessages: Catalog = {
  'dossier.admin_file.home_link': { fr: 'Dossier administratif', en: 'Administrative file' },
  'dossier.admin_file.title': { fr: 'Dossier administratif — {name}', en: 'Administrative file — {name}' },
  'dossier.admin_file.intro': {
    fr: 'Le GIE SESAM-Vitale valide le dossier administratif de l’éditeur (contacts et convention signée) avant l’évaluation des critères : une demande de référencement ne peut être déposée qu’une fois ce dossier validé.',
    en: 'The GIE SESAM-Vitale validates the publisher’s administrative file (contacts and signed agreement) before the criteria are assessed: a referencing request can only be filed once this file is validated.',
  },
  'dossier.admin_file.version_info': {
    fr: 'Version {version}, mise à jour : {date}',
    en: 'Version {version}, updated: {date}',
  },

  // statuses
  'dossier.admin_file.status.draft': { fr: 'Brouillon', en: 'Draft' },
  'dossier.admin_file.status.submitted': { fr: 'Soumis pour validation', en: 'Submitted for validation' },
  'dossier.admin_file.status.validated': { fr: 'Validé', en: 'Validated' },
  'dossier.admin_file.status.rejected': { fr: 'Refusé', en: 'Rejected' },
  'dossier.admin_file.notice.draft': {
    fr: 'Complétez les contacts et déposez la convention signée, puis soumettez le dossier pour validation.',
    en: 'Fill in the contacts and upload the signed agreement, then submit the file for validation.',
  },
  'dossier.admin_file.notice.staff_draft': {
    fr: 'L’éditeur prépare ce dossier : il n’a pas été soumis.',
    en: 'The publisher is preparing this file: it has not been submitted.',
  },
  'dossier.admin_file.notice.previous_reason': {
    fr: 'Motif du refus précédent :',
    en: 'Reason of the previous rejection:',
  },
  'dossier.admin_file.notice.submitted': {
    fr: 'Soumis le {date}, en attente de validation par un instructeur. Le dossier n’est plus modifiable tant qu’il n’a pas été rouvert.',
    en: 'Submitted on {date}, awaiting validation by an instructor. The file cannot be changed unless it is reopened.',
  },
  'dossier.admin_file.notice.validated': {
    fr: 'Validé le {date}. L’organisation peut déposer des demandes de référencement.',
    en: 'Validated on {date}. The organisation can file referencing requests.',
  },
  'dossier.admin_file.notice.rejected': { fr: 'Refusé le {date}.', en: 'Rejected on {date}.' },
  'dossier.admin_file.notice.reason': { fr: 'Motif :', en: 'Reason:' },
  'dossier.admin_file.notice.rejected_next': {
    fr: 'Corrigez le dossier puis soumettez-le de nouveau : toute modification le remet en brouillon.',
    en: 'Correct the file, then submit it again: any change puts it back to draft.',
  },
  'dossier.admin_file.organisation_suspended': {
    fr: 'L’organisation est suspendue : son dossier administratif ne peut pas être modifié ni soumis.',
    en: 'The organisation is suspended: its administrative file cannot be changed or submitted.',
  },

  // reopening
  'dossier.admin_file.reopen.title': { fr: 'Modifier le dossier', en: 'Change the file' },
  'dossier.admin_file.reopen.validated': {
    fr: 'Pour changer un contact ou la convention, rouvrez le dossier. Attention : il redevient un brouillon et devra être soumis et validé de nouveau ; d’ici là, aucune demande de référencement ne pourra être déposée.',
    en: 'To change a contact or the agreement, reopen the file. Note: it becomes a draft again and must be submitted and validated again; until then, no referencing request can be filed.',
  },
  'dossier.admin_file.reopen.submitted': {
    fr: 'Pour changer un contact ou la convention, rouvrez le dossier : il est retiré de la validation, redevient un brouillon et devra être soumis de nouveau.',
    en: 'To change a contact or the agreement, reopen the file: it is withdrawn from validation, becomes a draft again and must be submitted again.',
  },
  'dossier.admin_file.reopen.submit': { fr: 'Modifier', en: 'Change' },

  // identity
  'dossier.admin_file.identity.title': {
    fr: 'Identité de l’organisation',
    en: 'Identity of the organisation',
  },
  'dossier.admin_file.identity.hint': {
    fr: 'Ces informations sont celles enregistrées à l’inscription de l’organisation ; elles sont jointes au dossier lors de sa soumission. Pour les corriger, adressez-vous à l’administration de la plateforme.',
    en: 'This information is the one recorded when the organisation registered; it is attached to the file when it is submitted. To correct it, contact the platform’s administration.',
  },
  'dossier.admin_file.identity.link': {
    fr: 'Voir l’organisation et ses membres',
    en: 'See the organisation and its members',
  },
  'dossier.admin_file.identity.snapshot': {
    fr: 'Identité transmise lors de la soumission du {date}.',
    en: 'Identity sent with the submission of {date}.',
  },
  'dossier.admin_file.identity.current': {
    fr: 'Identité actuelle (le dossier n’a jamais été soumis).',
    en: 'Current identity (the file has never been submitted).',
  },
  'dossier.admin_file.identity.legal_name': { fr: 'Raison sociale', en: 'Legal name' },
  'dossier.admin_file.identity.siren': { fr: 'SIREN', en: 'SIREN' },
  'dossier.admin_file.identity.address': { fr: 'Adresse', en: 'Address' },
  'dossier.admin_file.identity.legal_representative': {
    fr: 'Représentant légal',
    en: 'Legal representative',
  },

  // contacts
  'dossier.admin_file.contacts.title': { fr: 'Contacts', en: 'Contacts' },
  'dossier.admin_file.contacts.intro': {
    fr: 'Un contact administratif et un contact technique sont obligatoires ; le délégué à la protection des données et le support sont recommandés.',
    en: 'An administrative and a technical contact are required; the data protection officer and user support are recommended.',
  },
  'dossier.admin_file.contacts.hint': {
    fr: 'Au plus {max} contacts. Une ligne laissée entièrement vide est ignorée ; videz une ligne pour retirer le contact.',
    en: 'At most {max} contacts. A row left wholly empty is ignored; empty a row to remove its contact.',
  },
  'dossier.admin_file.contacts.save': { fr: 'Enregistrer les contacts', en: 'Save the contacts' },
  'dossier.admin_file.contacts.caption': { fr: 'Contacts du dossier', en: 'Contacts of the file' },
  'dossier.admin_file.contacts.none': { fr: 'Aucun contact enregistré.', en: 'No contact saved.' },
  'dossier.admin_file.contacts_too_many': {
    fr: 'Le dossier compte au plus 6 contacts.',
    en: 'The file holds at most 6 contacts.',
  },
  'dossier.admin_file.contact.legend': { fr: 'Contact {n}', en: 'Contact {n}' },
  'dossier.admin_file.contact.role': { fr: 'Rôle', en: 'Role' },
  'dossier.admin_file.contact.role_none': { fr: '— (ligne vide)', en: '— (empty row)' },
  'dossier.admin_file.contact.name': { fr: 'Nom et prénom', en: 'Full name' },
  'dossier.admin_file.contact.email': { fr: 'Adresse électronique', en: 'Email address' },
  'dossier.admin_file.contact.phone': { fr: 'Téléphone', en: 'Telephone' },
  'dossier.admin_file.contact.phone_hint': {
    fr: 'Facultatif. Exemple : 01 23 45 67 89 ou +33 1 23 45 67 89',
    en: 'Optional. Example: 01 23 45 67 89 or +33 1 23 45 67 89',
  },
  'dossier.admin_file.role.administratif': { fr: 'Administratif', en: 'Administrative' },
  'dossier.admin_file.role.technique': { fr: 'Technique', en: 'Technical' },
  'dossier.admin_file.role.dpo': {
    fr: 'Délégué à la protection des données (DPO)',
    en: 'Data protection officer (DPO)',
  },
  'dossier.admin_file.role.support': { fr: 'Support aux utilisateurs', en: 'User support' },
  'dossier.admin_file.contact.required': { fr: 'Ce champ est obligatoire.', en: 'This field is required.' },
  'dossier.admin_file.contact.role_invalid': {
    fr: 'Choisissez un rôle : administratif, technique, DPO ou support.',
    en: 'Choose a role: administrative, technical, DPO or support.',
  },
  'dossier.admin_file.contact.name_invalid': {
    fr: 'Le nom compte au plus 200 caractères, sans caractère de contrôle.',
    en: 'The name has at most 200 characters, without control characters.',
  },
  'dossier.admin_file.contact.email_invalid': {
    fr: 'Saisissez une adresse électronique valide, par exemple nom@exemple.fr.',
    en: 'Enter a valid email address, for example name@example.com.',
  },
  'dossier.admin_file.contact.phone_invalid': {
    fr: 'Saisissez un numéro de téléphone de 8 à 15 chiffres (espaces, points, tirets et « + » initial admis).',
    en: 'Enter a telephone number of 8 to 15 digits (spaces, dots, dashes and a leading “+” allowed).',
  },
  'dossier.admin_file.missing_contact.administratif': {
    fr: 'Il manque un contact administratif.',
    en: 'An administrative contact is missing.',
  },
  'dossier.admin_file.missing_contact.technique': {
    fr: 'Il manque un contact technique.',
    en: 'A technical contact is missing.',
  },

  // agreement
  'dossier.admin_file.agreement.title': {
    fr: 'Convention signée avec le GIE SESAM-Vitale',
    en: 'Agreement signed with the GIE SESAM-Vitale',
  },
  'dossier.admin_file.agreement.intro': {
    fr: 'La convention (« Agreement ») signée par l’organisation, en PDF. Un nouveau dépôt remplace le précédent.',
    en: 'The agreement signed by the organisation, as a PDF. A new upload replaces the previous one.',
  },
  'dossier.admin_file.agreement.none': {
    fr: 'Aucune convention déposée.',
    en: 'No agreement uploaded.',
  },
  'dossier.admin_file.agreement.download': { fr: 'Télécharger {name}', en: 'Download {name}' },
  'dossier.admin_file.agreement.details': { fr: 'PDF – {size} Ko', en: 'PDF – {size} KB' },
  'dossier.admin_file.agreement.file': { fr: 'Fichier de la convention', en: 'Agreement file' },
  'dossier.admin_file.agreement.hint': {
    fr: 'Format PDF uniquement, {max} Ko au plus.',
    en: 'PDF only, at most {max} KB.',
  },
  'dossier.admin_file.agreement.submit': { fr: 'Envoyer la convention', en: 'Upload the agreement' },
  'dossier.admin_file.agreement.required': {
    fr: 'La convention signée n’a pas été déposée.',
    en: 'The signed agreement has not been uploaded.',
  },
  'dossier.admin_file.agreement.missing': { fr: 'Choisissez un fichier PDF.', en: 'Choose a PDF file.' },
  'dossier.admin_file.agreement.not_pdf': {
    fr: 'Ce fichier n’est pas un PDF (son contenu ne commence pas par « %PDF- »).',
    en: 'This file is not a PDF (its content does not start with “%PDF-”).',
  },
  'dossier.admin_file.agreement.too_large': {
    fr: 'Le fichier dépasse la taille autorisée ({max} Ko).',
    en: 'The file is larger than allowed ({max} KB).',
  },
  'dossier.admin_file.agreement.unreadable': {
    fr: 'Le formulaire envoyé n’a pas pu être lu. Choisissez un seul fichier PDF et réessayez.',
    en: 'The form sent could not be read. Choose a single PDF file and try again.',
  },

  // submission
  'dossier.admin_file.submit.title': { fr: 'Soumettre pour validation', en: 'Submit for validation' },
  'dossier.admin_file.submit.intro': {
    fr: 'Une fois soumis, le dossier est examiné par un instructeur et n’est plus modifiable sans être rouvert.',
    en: 'Once submitted, the file is examined by an instructor and cannot be changed without being reopened.',
  },
  'dossier.admin_file.submit.missing': {
    fr: 'Avant de soumettre, complétez le dossier :',
    en: 'Before submitting, complete the file:',
  },
  'dossier.admin_file.submit.ready': {
    fr: 'Le dossier est complet et peut être soumis.',
    en: 'The file is complete and can be submitted.',
  },
  'dossier.admin_file.submit.button': { fr: 'Soumettre pour validation', en: 'Submit for validation' },
  'dossier.admin_file.submit.managers_only': {
    fr: 'Seuls le mandataire et le représentant de l’organisation peuvent soumettre le dossier.',
    en: 'Only the organisation’s mandataire and representative can submit the file.',
  },
  'dossier.admin_file.submit_forbidden': {
    fr: 'Seuls le mandataire et le représentant de l’organisation peuvent soumettre le dossier.',
    en: 'Only the organisation’s mandataire and representative can submit the file.',
  },
  'dossier.admin_file.incomplete': {
    fr: 'Le dossier est incomplet : il ne peut pas encore être soumis.',
    en: 'The file is incomplete: it cannot be submitted yet.',
  },

  // instruction
  'dossier.admin_file.instruction.title': { fr: 'Dossiers administratifs', en: 'Administrative files' },
  'dossier.admin_file.instruction.intro': {
    fr: 'Les dossiers soumis, le plus ancien en premier, puis les autres. Un instructeur valide ou refuse un dossier soumis.',
    en: 'Submitted files, the oldest first, then the others. An instructor validates or rejects a submitted file.',
  },
  'dossier.admin_file.instruction.none': {
    fr: 'Aucun dossier administratif n’a encore été enregistré.',
    en: 'No administrative file has been saved yet.',
  },
  'dossier.admin_file.instruction.caption': {
    fr: 'Dossiers administratifs des éditeurs',
    en: 'Publishers’ administrative files',
  },
  'dossier.admin_file.instruction.status': { fr: 'Statut', en: 'Status' },
  'dossier.admin_file.instruction.submitted_at': { fr: 'Soumis le', en: 'Submitted on' },
  'dossier.admin_file.instruction.updated_at': { fr: 'Mis à jour le', en: 'Updated on' },
  'dossier.admin_file.review.title': { fr: 'Décision', en: 'Decision' },
  'dossier.admin_file.review.intro': {
    fr: 'Vérifiez l’identité, les contacts et la convention signée, puis validez le dossier ou refusez-le en indiquant le motif que l’éditeur lira.',
    en: 'Check the identity, the contacts and the signed agreement, then validate the file or reject it with the reason the publisher will read.',
  },
  'dossier.admin_file.review.validate': { fr: 'Valider', en: 'Validate' },
  'dossier.admin_file.review.reject': { fr: 'Refuser', en: 'Reject' },
  'dossier.admin_file.review.reason': { fr: 'Motif du refus', en: 'Reason for rejection' },
  'dossier.admin_file.review.reason_hint': {
    fr: 'Obligatoire pour refuser ; l’éditeur le lit tel quel.',
    en: 'Required to reject; the publisher reads it as written.',
  },
  'dossier.admin_file.review.instructors_only': {
    fr: 'Seuls les instructeurs valident ou refusent un dossier administratif.',
    en: 'Only instructors validate or reject an administrative file.',
  },
  'dossier.admin_file.review.nothing': {
    fr: 'Ce dossier est au statut « {status} » : il n’y a rien à décider.',
    en: 'This file’s status is “{status}”: there is nothing to decide.',
  },
  'dossier.admin_file.instructor_only': {
    fr: 'Seuls les instructeurs valident ou refusent un dossier administratif.',
    en: 'Only instructors validate or reject an administrative file.',
  },
  'dossier.admin_file.reason.required': {
    fr: 'Indiquez le motif du refus.',
    en: 'Give the reason for the rejection.',
  },
  'dossier.admin_file.reason.too_long': {
    fr: 'Le motif compte au plus 2000 caractères.',
    en: 'The reason has at most 2000 characters.',
  },

  // moves not possible, concurrency
  'dossier.admin_file.locked': {
    fr: 'Un dossier soumis ou validé n’est plus modifiable : utilisez « Modifier » pour le rouvrir.',
    en: 'A submitted or validated file cannot be changed: use “Change” to reopen it.',
  },
  'dossier.admin_file.cannot_submit': {
    fr: 'Seul un dossier en brouillon ou refusé peut être soumis.',
    en: 'Only a draft or rejected file can be submitted.',
  },
  'dossier.admin_file.cannot_reopen': {
    fr: 'Seul un dossier soumis ou validé peut être rouvert.',
    en: 'Only a submitted or validated file can be reopened.',
  },
  'dossier.admin_file.cannot_review': {
    fr: 'Seul un dossier soumis peut être validé ou refusé.',
    en: 'Only a submitted file can be validated or rejected.',
  },
  'dossier.admin_file.form_version': {
    fr: 'Le formulaire ne dit pas sur quelle version du dossier il se fonde : rechargez la page.',
    en: 'The form does not say which version of the file it is based on: reload the page.',
  },
  'dossier.admin_file.conflict': {
    fr: 'Le dossier a été modifié entre-temps (il est maintenant à la version {version}) : rien n’a été enregistré.',
    en: 'The file was changed in the meantime (it is now at version {version}): nothing was saved.',
  },
  'dossier.admin_file.conflict.title': { fr: 'Modification concurrente', en: 'Concurrent change' },
  'dossier.admin_file.conflict.status': { fr: 'Statut actuel : {status}.', en: 'Current status: {status}.' },
  'dossier.admin_file.conflict.caption': {
    fr: 'Contacts enregistrés et contacts que vous avez saisis',
    en: 'Saved contacts and the contacts you typed',
  },
  'dossier.admin_file.conflict.current': { fr: 'Enregistré', en: 'Saved' },
  'dossier.admin_file.conflict.yours': { fr: 'Votre saisie', en: 'What you typed' },
  'dossier.admin_file.conflict.not_saved': {
    fr: 'Votre action n’a pas été appliquée ; un fichier envoyé doit l’être de nouveau.',
    en: 'Your action was not applied; a file you sent must be sent again.',
  },
  'dossier.admin_file.conflict.next': {
    fr: 'La page montre maintenant le dossier actuel. Vérifiez-le, puis recommencez si besoin.',
    en: 'The page now shows the current file. Check it, then try again if needed.',
  },

  // flashes
  'dossier.admin_file.flash.saved': {
    fr: 'Les contacts ont été enregistrés.',
    en: 'The contacts have been saved.',
  },
  'dossier.admin_file.flash.agreement': {
    fr: 'La convention a été enregistrée.',
    en: 'The agreement has been saved.',
  },
  'dossier.admin_file.flash.submitted': {
    fr: 'Le dossier a été soumis pour validation.',
    en: 'The file has been submitted for validation.',
  },
  'dossier.admin_file.flash.reopened': {
    fr: 'Le dossier est de nouveau un brouillon : soumettez-le une fois modifié.',
    en: 'The file is a draft again: submit it once changed.',
  },
  'dossier.admin_file.flash.validated': {
    fr: 'Le dossier a été validé.',
    en: 'The file has been validated.',
  },
  'dossier.admin_file.flash.rejected': { fr: 'Le dossier a été refusé.', en: 'The file has been rejected.' },

  // notifications (`${kind}.subject` and `${kind}.body`)
  'dossier.notify.admin_file_submitted.subject': {
    fr: 'Dossier administratif soumis : {organisation}',
    en: 'Administrative file submitted: {organisation}',
  },
  'dossier.notify.admin_file_submitted.body': {
    fr: '{organisation} a soumis son dossier administratif (contacts et convention signée) pour validation.',
    en: '{organisation} has submitted its administrative file (contacts and signed agreement) for validation.',
  },
  'dossier.notify.admin_file_validated.subject': {
    fr: 'Dossier administratif validé',
    en: 'Administrative file validated',
  },
  'dossier.notify.admin_file_validated.body': {
    fr: 'Le dossier administratif de {organisation} a été validé : vous pouvez déposer des demandes de référencement.',
    en: 'The administrative file of {organisation} has been validated: you can file referencing requests.',
  },
  'dossier.notify.admin_file_rejected.subject': {
    fr: 'Dossier administratif refusé',
    en: 'Administrative file rejected',
  },
  'dossier.notify.admin_file_rejected.body': {
    fr: 'Le dossier administratif de {organisation} a été refusé. Motif : {reason}',
    en: 'The administrative file of {organisation} has been rejected. Reason: {reason}',
  },
};
