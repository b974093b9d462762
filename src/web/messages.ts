import type { Catalog } from '../platform/i18n.ts';

/** Strings of the layout, the shared components and the error pages. */
export const webMessages: Catalog = {
  'app.tagline': {
    fr: 'Référencement des services numériques dans Mon espace santé',
    en: 'Referencing of digital services in Mon espace santé',
  },
  'mode.sandbox': { fr: 'Bac à sable', en: 'Sandbox' },
  'nav.home': { fr: 'Accueil', en: 'Home' },
  'nav.home_title': { fr: 'Accueil — {name}', en: 'Home — {name}' },
  'nav.publisher': { fr: 'Espace éditeur', en: 'Publisher space' },
  'nav.instruction': { fr: 'Instruction', en: 'Instruction' },
  'nav.admin': { fr: 'Administration', en: 'Administration' },
  'nav.account': { fr: 'Mon compte', en: 'My account' },
  'nav.citizen': { fr: 'Mon espace usager', en: 'My citizen space' },
  'nav.mailbox': { fr: 'Courriels capturés', en: 'Captured mail' },
  'nav.menu': { fr: 'Menu', en: 'Menu' },
  'nav.close': { fr: 'Fermer', en: 'Close' },
  'nav.main': { fr: 'Menu principal', en: 'Main menu' },
  'nav.breadcrumb': { fr: 'vous êtes ici :', en: 'you are here:' },
  'nav.sign_in': { fr: 'Se connecter', en: 'Sign in' },
  'nav.citizen_sign_in': { fr: 'Espace usager', en: 'Citizen space' },
  'nav.sign_out': { fr: 'Se déconnecter ({name})', en: 'Sign out ({name})' },
  'nav.signed_in_as': { fr: 'Connecté en tant que {name}', en: 'Signed in as {name}' },
  'pagination.first': { fr: 'Première page', en: 'First page' },
  'pagination.previous': { fr: 'Page précédente', en: 'Previous page' },
  'pagination.next': { fr: 'Page suivante', en: 'Next page' },
  'pagination.last': { fr: 'Dernière page', en: 'Last page' },
  'pagination.page': { fr: 'Page {page}', en: 'Page {page}' },
  'nav.skiplinks': { fr: 'Accès rapide', en: 'Quick access' },
  'nav.skip_content': { fr: 'Contenu', en: 'Content' },
  'nav.skip_menu': { fr: 'Menu', en: 'Menu' },
  'nav.skip_footer': { fr: 'Pied de page', en: 'Footer' },
  'footer.description': {
    fr: 'mesref est la plateforme ouverte du référencement des services numériques en santé dans le catalogue de Mon espace santé.',
    en: 'mesref is the open platform for referencing digital health services in the Mon espace santé catalogue.',
  },
  'footer.accessibility': {
    fr: 'Accessibilité : partiellement conforme',
    en: 'Accessibility: partially compliant',
  },
  'footer.legal': { fr: 'Mentions légales', en: 'Legal notice' },
  'footer.personal_data': { fr: 'Données personnelles', en: 'Personal data' },
  'footer.api': { fr: 'API', en: 'API' },
  'footer.licence': {
    fr: 'Logiciel libre sous licence EUPL 1.2.',
    en: 'Free software under the EUPL 1.2 licence.',
  },
  'error.title': { fr: 'Erreur {status}', en: 'Error {status}' },
  'error.back_home': { fr: 'Retour à l’accueil', en: 'Back to the home page' },
  'error.unauthenticated': { fr: 'Veuillez vous connecter.', en: 'Please sign in.' },
  'error.forbidden': {
    fr: 'Vous n’avez pas le droit de faire cette action.',
    en: 'You are not allowed to do this.',
  },
  'error.second_factor_required': {
    fr: 'Cette action demande la double authentification.',
    en: 'This action needs two-factor authentication.',
  },
  'error.not_found': { fr: 'Page ou ressource introuvable.', en: 'Page or resource not found.' },
  'error.csrf': {
    fr: 'Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez.',
    en: 'The form has expired or does not come from this site. Reload the page and try again.',
  },
  'error.too_large': { fr: 'La requête est trop volumineuse.', en: 'The request is too large.' },
  'error.media_type': { fr: 'Type de contenu non pris en charge.', en: 'Unsupported content type.' },
  'error.malformed_json': { fr: 'Le corps JSON est mal formé.', en: 'The JSON body is malformed.' },
  'error.bad_request': { fr: 'La requête est invalide.', en: 'The request is invalid.' },
  'error.bad_url': {
    fr: 'L’adresse demandée est invalide (encodage « % » incorrect).',
    en: 'The requested address is invalid (bad “%” encoding).',
  },
  'error.bad_request_detail': {
    fr: 'La requête est invalide : {detail}',
    en: 'The request is invalid: {detail}',
  },
  'error.validation': { fr: 'Certains champs sont à corriger.', en: 'Some fields need correcting.' },
  'error.too_many_requests': {
    fr: 'Trop de tentatives. Réessayez dans quelques minutes.',
    en: 'Too many attempts. Try again in a few minutes.',
  },
  'error.conflict': {
    fr: 'Cette donnée a été modifiée par quelqu’un d’autre. Rechargez la page.',
    en: 'Someone else changed this data. Reload the page.',
  },
  'error.internal': {
    fr: 'Une erreur interne est survenue. Elle a été enregistrée ; réessayez plus tard.',
    en: 'An internal error occurred. It has been logged; try again later.',
  },
  'home.title': {
    fr: 'Référencer un service numérique en santé',
    en: 'Referencing a digital health service',
  },
  'home.lead': {
    fr: 'mesref réunit en un seul lieu tout le référencement des services numériques dans le catalogue de Mon espace santé : préparation, dépôt, instruction, publication, puis appariement et échanges de données sous le consentement des usagers.',
    en: 'mesref brings the whole referencing of digital services in the Mon espace santé catalogue into one place: preparation, filing, instruction, publication, then pairing and data exchange under the citizens’ consent.',
  },
  'home.publisher.title': { fr: 'Éditeurs', en: 'Publishers' },
  'home.publisher.text': {
    fr: 'Vérifiez si votre service est concerné, évaluez-le au regard des critères, déposez votre demande et suivez-la.',
    en: 'Check whether your service is concerned, assess it against the criteria, file your request and follow it.',
  },
  'home.publisher.link': { fr: 'Espace éditeur', en: 'Publisher space' },
  'home.staff.title': { fr: 'Instruction et commission', en: 'Instruction and commission' },
  'home.staff.text': {
    fr: 'Instruisez les dossiers critère par critère, préparez la commission et publiez les services référencés.',
    en: 'Instruct files criterion by criterion, prepare the commission and publish referenced services.',
  },
  'home.staff.link': { fr: 'Espace d’instruction', en: 'Instruction space' },
  'home.citizen.title': { fr: 'Usagers', en: 'Citizens' },
  'home.citizen.text': {
    fr: 'Connectez un service référencé à votre espace, donnez ou retirez votre accord, voyez ce que chaque service a fait.',
    en: 'Connect a referenced service to your space, give or withdraw your consent, see what each service did.',
  },
  'home.citizen.link': { fr: 'Espace usager', en: 'Citizen space' },
  'home.times.title': { fr: 'Transparence', en: 'Transparency' },
  'home.times.text': {
    fr: 'Les délais de traitement des demandes de référencement : engagement par phase et médiane constatée sur 90 jours.',
    en: 'Processing times of referencing requests: commitment per phase and median observed over 90 days.',
  },
  'home.times.link': { fr: 'Délais de traitement', en: 'Processing times' },
  'home.api.title': { fr: 'Développeurs', en: 'Developers' },
  'home.api.text': {
    fr: 'Pilotez mesref depuis votre propre intégration continue avec l’API JSON et vos jetons personnels.',
    en: 'Drive mesref from your own continuous integration with the JSON API and your personal tokens.',
  },
  'home.api.link': { fr: 'Documentation de l’API', en: 'API documentation' },
  'a11y.title': { fr: 'Déclaration d’accessibilité', en: 'Accessibility statement' },
  'a11y.p1': {
    fr: 'L’exploitant de ce site s’engage à rendre ses services numériques accessibles, conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005.',
    en: 'The operator of this site is committed to making its digital services accessible, in accordance with article 47 of French law no. 2005-102 of 11 February 2005.',
  },
  'a11y.p2': {
    fr: 'Cette déclaration d’accessibilité s’applique à mesref. Référentiel appliqué : RGAA version 4.1.2 (équivalent WCAG 2.1 niveau AA).',
    en: 'This accessibility statement applies to mesref. Standard applied: RGAA version 4.1.2 (equivalent to WCAG 2.1 level AA).',
  },
  'a11y.p3': {
    fr: 'État de conformité : partiellement conforme. Aucun audit complet par un tiers n’a encore été réalisé ; chaque page est vérifiée automatiquement avec axe-core (WCAG 2.1 AA) dans un vrai navigateur, en français et en anglais, à chaque modification du logiciel.',
    en: 'Compliance status: partially compliant. No full third-party audit has been carried out yet; every page is checked automatically with axe-core (WCAG 2.1 AA) in a real browser, in French and English, at every change of the software.',
  },
  'a11y.p4': {
    fr: 'Technologies utilisées : HTML, CSS (Système de design de l’État), JavaScript en simple amélioration : toutes les pages fonctionnent sans JavaScript.',
    en: 'Technologies used: HTML, CSS (the French State design system), JavaScript as an enhancement only: every page works without JavaScript.',
  },
  'a11y.p5': {
    fr: 'Retour d’information et contact : si vous n’arrivez pas à accéder à un contenu ou à un service, contactez l’exploitant du site pour être orienté vers une alternative accessible.',
    en: 'Feedback and contact: if you cannot access some content or service, contact the operator of the site to be directed to an accessible alternative.',
  },
  'a11y.p6': {
    fr: 'Voies de recours : si vous n’obtenez pas de réponse, vous pouvez saisir le Défenseur des droits (formulaire en ligne, délégué de votre région, ou courrier gratuit : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07).',
    en: 'Remedies: if you get no answer, you may refer the matter to the Défenseur des droits (online form, your region’s delegate, or free post: Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07).',
  },
  'legal.title': { fr: 'Mentions légales', en: 'Legal notice' },
  'legal.p1': {
    fr: 'Éditeur du site : l’exploitant de cette instance de mesref, nommé dans l’en-tête. Le directeur de la publication est son représentant légal.',
    en: 'Publisher of the site: the operator of this mesref instance, named in the header. The publication director is its legal representative.',
  },
  'legal.p2': {
    fr: 'Logiciel : mesref, logiciel libre distribué sous licence EUPL 1.2. Les composants d’interface proviennent du Système de design de l’État (DSFR), utilisé selon ses conditions.',
    en: 'Software: mesref, free software distributed under the EUPL 1.2 licence. Interface components come from the French State design system (DSFR), used under its terms.',
  },
  'legal.p3': {
    fr: 'Hébergement : les données de santé éventuellement traitées par une instance de production doivent être hébergées chez un hébergeur certifié HDS ; l’exploitant en publie le nom et l’adresse.',
    en: 'Hosting: any health data processed by a production instance must be hosted by an HDS-certified host; the operator publishes its name and address.',
  },
  'legal.p4': {
    fr: 'Le bac à sable ne contient que des identités et des données fictives de test : n’y saisissez aucune donnée réelle.',
    en: 'The sandbox only holds fictitious test identities and data: do not enter any real data there.',
  },
  'privacy.title': { fr: 'Données personnelles', en: 'Personal data' },
  'privacy.p1': {
    fr: 'Comptes éditeurs et agents : nous traitons votre adresse électronique, votre nom, votre rôle et l’historique de vos actions, pour la gestion du référencement (mission d’intérêt public, article 6-1-e du RGPD). Conservation : durée du compte, puis un an.',
    en: 'Publisher and staff accounts: we process your email address, your name, your role and the history of your actions, to run the referencing (task in the public interest, GDPR article 6-1-e). Retention: lifetime of the account, then one year.',
  },
  'privacy.p2': {
    fr: 'Usagers : votre identité vient du fournisseur d’identité qui vous connecte (FranceConnect en production). Vos accords, l’historique des accès des services et les mesures et documents de santé qu’ils ont ajoutés à votre profil sont conservés tant que votre espace existe.',
    en: 'Citizens: your identity comes from the identity provider that signs you in (FranceConnect in production). Your consents, the history of services’ accesses and the health measures and documents they added to your profile are kept while your space exists.',
  },
  'privacy.p3': {
    fr: 'Sécurité : mots de passe hachés (scrypt), sessions côté serveur, double authentification obligatoire pour les agents, journal d’audit chaîné et infalsifiable. Aucune donnée de santé ni aucun secret n’est écrit dans les journaux techniques.',
    en: 'Security: passwords hashed (scrypt), server-side sessions, two-factor authentication required for staff, a chained tamper-evident audit log. No health data and no secret is ever written to technical logs.',
  },
  'privacy.p4': {
    fr: 'Cookies : uniquement des cookies techniques nécessaires (session, protection contre la falsification de requêtes, langue). Aucun traceur, aucune mesure d’audience tierce : aucun consentement n’est donc demandé.',
    en: 'Cookies: only necessary technical cookies (session, request forgery protection, language). No tracker and no third-party analytics, so no consent is asked.',
  },
  'privacy.p5': {
    fr: 'Vos droits : accès, rectification, effacement, limitation et opposition, auprès de l’exploitant de cette instance. Vous pouvez aussi saisir la CNIL.',
    en: 'Your rights: access, rectification, erasure, restriction and objection, with the operator of this instance. You may also lodge a complaint with the CNIL.',
  },
  'privacy.p6': {
    fr: 'Le bac à sable n’envoie aucun courriel : les messages sont conservés dans une boîte de démonstration visible sur le site.',
    en: 'The sandbox sends no mail: messages are kept in a demonstration mailbox shown on the site.',
  },
  'privacy.p7': {
    fr: 'Fermer votre espace d’usager (« Fermer mon espace ») efface en une seule fois : vos services synchronisés et tous vos accords (les jetons d’accès des services sont révoqués sur-le-champ), les mesures de santé et les documents de santé que les services ont ajoutés à votre profil (avec leurs fichiers et les appareils de mesure), vos notifications, vos liens de représentation légale, vos sessions et votre identité (nom, prénom, date de naissance, sexe, INS, identifiant de connexion). Vous pouvez d’abord télécharger toutes vos données (JSON et FHIR).',
    en: 'Closing your citizen space (« Close my space ») erases at once: your synchronised services and all your consents (the services’ access tokens are revoked at once), the health measures and health documents services added to your profile (with their files and the measuring devices), your notifications, your legal guardianship links, your sessions and your identity (names, birth date, sex, INS, sign-in identifier). You may first download all your data (JSON and FHIR).',
  },
  'privacy.p8': {
    fr: 'Ce qui est conservé après la fermeture : le journal d’audit, qui trace les synchronisations, les accords et chaque accès d’un service aux données, pour prouver qui a autorisé quoi (traçabilité des accès aux données de santé, accord exprès du titulaire). Il ne contient ni nom ni donnée de santé, seulement un identifiant technique que plus rien ne relie à vous ; il est scellé par une chaîne d’empreintes et ne peut être ni modifié ni raccourci. Il est conservé pendant la durée d’archivage fixée par l’exploitant de cette instance.',
    en: 'What is kept after closing: the audit log, which records synchronisations, consents and each access of a service to data, to prove who allowed what (traceability of access to health data, the holder’s express consent). It holds no name and no health data, only a technical identifier that nothing links to you any more; it is sealed by a chain of hashes and can be neither changed nor shortened. It is kept for the archiving period set by the operator of this instance.',
  },
  'privacy.p9': {
    fr: 'Vos signalements sur un service restent, sans votre identité, tant que dure leur instruction : ils concernent la conformité du service. Les accords que vous avez donnés pour un mineur dont vous avez la charge restent dans son espace, car ils sont à lui.',
    en: 'Your reports about a service stay, without your identity, for as long as their investigation lasts: they concern the service’s conformity. The consents you gave for a minor in your care stay in their space, since they are theirs.',
  },
  'mailbox.title': { fr: 'Courriels capturés du bac à sable', en: 'Sandbox captured mail' },
  'mailbox.notice': {
    fr: 'En mode bac à sable, aucun courriel ne quitte mesref : ils sont conservés ici.',
    en: 'In sandbox mode no mail leaves mesref: it is kept here.',
  },
  'mailbox.empty': { fr: 'Aucun courriel pour le moment.', en: 'No mail yet.' },
  'mailbox.meta': { fr: 'À : {to} — le {date}', en: 'To: {to} — on {date}' },
};
