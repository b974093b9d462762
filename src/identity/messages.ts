import type { Catalog } from '../platform/i18n.ts';

/** Strings of sign-in, registration, accounts, organisations, API tokens and the admin console. */
export const identityMessages: Catalog = {
  'role.mandataire': { fr: 'Mandataire', en: 'Authorised agent (mandataire)' },
  'role.representant': { fr: 'Représentant', en: 'Representative' },
  'role.salarie': { fr: 'Salarié', en: 'Employee' },
  'role.instructeur': { fr: 'Instructeur', en: 'Instructor' },
  'role.commission': { fr: 'Membre de la commission', en: 'Commission member' },
  'role.decideur': { fr: 'Décideur', en: 'Decision maker' },
  'role.admin': { fr: 'Administrateur', en: 'Administrator' },

  // fields
  'identity.field.legal_name': { fr: 'Raison sociale', en: 'Legal name' },
  'identity.field.siren': { fr: 'SIREN', en: 'SIREN number' },
  'identity.field.siren_hint': {
    fr: '9 chiffres, tel qu’indiqué sur l’extrait Kbis ou l’avis de situation INSEE.',
    en: '9 digits, as shown on the Kbis extract or the INSEE registration notice.',
  },
  'identity.field.address': { fr: 'Adresse du siège', en: 'Registered office address' },
  'identity.field.legal_representative': { fr: 'Représentant légal', en: 'Legal representative' },
  'identity.field.legal_representative_hint': {
    fr: 'Prénom et nom de la personne qui représente légalement l’organisation.',
    en: 'First and last name of the person who legally represents the organisation.',
  },
  'identity.field.display_name': { fr: 'Prénom et nom', en: 'First and last name' },
  'identity.field.email': { fr: 'Adresse électronique', en: 'Email address' },
  'identity.field.email_hint': {
    fr: 'Un lien de vérification y sera envoyé. Format attendu : nom@domaine.fr',
    en: 'A verification link will be sent there. Expected format: name@domain.com',
  },
  'identity.field.password': { fr: 'Mot de passe', en: 'Password' },
  'identity.field.new_password': { fr: 'Nouveau mot de passe', en: 'New password' },
  'identity.field.current_password': { fr: 'Mot de passe actuel', en: 'Current password' },
  'identity.field.password_hint': {
    fr: 'Au moins {min} caractères. Une phrase de plusieurs mots est plus facile à retenir.',
    en: 'At least {min} characters. A phrase of several words is easier to remember.',
  },
  'identity.field.code': { fr: 'Code à 6 chiffres', en: '6-digit code' },
  'identity.field.code_hint': {
    fr: 'Le code affiché par votre application d’authentification.',
    en: 'The code shown by your authenticator app.',
  },
  'identity.field.locale': { fr: 'Langue préférée', en: 'Preferred language' },
  'identity.field.required': { fr: 'Ce champ est obligatoire.', en: 'This field is required.' },
  'identity.field.too_long': { fr: 'Ce texte est trop long.', en: 'This text is too long.' },
  'identity.field.invalid_characters': {
    fr: 'Ce texte contient des caractères de contrôle : retirez-les.',
    en: 'This text contains control characters: remove them.',
  },
  'identity.field.siren_format': {
    fr: 'Le SIREN comporte exactement 9 chiffres.',
    en: 'A SIREN number has exactly 9 digits.',
  },
  'identity.field.siren_key': {
    fr: 'Ce SIREN n’est pas valide : sa clé de contrôle ne correspond pas. Vérifiez les chiffres.',
    en: 'This SIREN number is not valid: its check digit does not match. Check the digits.',
  },
  'identity.field.siren_taken': {
    fr: 'Une organisation avec ce SIREN est déjà inscrite. Demandez à son mandataire de vous inviter.',
    en: 'An organisation with this SIREN is already registered. Ask its mandataire to invite you.',
  },
  'identity.field.email_format': {
    fr: 'Saisissez une adresse électronique valide, par exemple nom@domaine.fr.',
    en: 'Enter a valid email address, for example name@domain.com.',
  },
  'identity.field.email_taken': {
    fr: 'Un compte utilise déjà cette adresse. Connectez-vous ou réinitialisez votre mot de passe.',
    en: 'An account already uses this address. Sign in or reset your password.',
  },
  'identity.field.password_short': {
    fr: 'Le mot de passe doit comporter au moins 12 caractères.',
    en: 'The password must have at least 12 characters.',
  },
  'identity.field.password_long': {
    fr: 'Le mot de passe ne doit pas dépasser 256 caractères.',
    en: 'The password must not exceed 256 characters.',
  },
  'identity.field.current_password_wrong': {
    fr: 'Le mot de passe actuel est incorrect.',
    en: 'The current password is wrong.',
  },
  'identity.field.role': { fr: 'Choisissez un rôle de la liste.', en: 'Choose a role from the list.' },
  'identity.field.organisation': {
    fr: 'Choisissez une de vos organisations.',
    en: 'Choose one of your organisations.',
  },
  'identity.field.token_days': {
    fr: 'La durée de validité est un nombre entier de jours, de 1 à 365.',
    en: 'The validity is a whole number of days, from 1 to 365.',
  },
  'identity.field.already_member': {
    fr: 'Cette personne est déjà membre de l’organisation.',
    en: 'This person is already a member of the organisation.',
  },
  'identity.form.error_title': { fr: 'Le formulaire n’a pas été envoyé', en: 'The form was not sent' },

  // confirmations shown after a redirect
  'identity.flash.verified': {
    fr: 'Votre adresse électronique est vérifiée. Vous pouvez vous connecter.',
    en: 'Your email address is verified. You can sign in.',
  },
  'identity.flash.password_reset': {
    fr: 'Votre mot de passe a été changé. Connectez-vous avec le nouveau.',
    en: 'Your password has been changed. Sign in with the new one.',
  },
  'identity.flash.invitation': {
    fr: 'Votre compte est créé. Connectez-vous pour rejoindre l’organisation.',
    en: 'Your account has been created. Sign in to join the organisation.',
  },
  'identity.flash.profile': {
    fr: 'Vos informations sont enregistrées.',
    en: 'Your details have been saved.',
  },
  'identity.flash.password': {
    fr: 'Votre mot de passe a été changé. Vos autres sessions ont été fermées.',
    en: 'Your password has been changed. Your other sessions have been closed.',
  },
  'identity.flash.totp_enabled': {
    fr: 'La double authentification est activée.',
    en: 'Two-factor authentication is on.',
  },
  'identity.flash.totp_disabled': {
    fr: 'La double authentification est désactivée.',
    en: 'Two-factor authentication is off.',
  },
  'identity.flash.token_revoked': { fr: 'Le jeton a été révoqué.', en: 'The token has been revoked.' },
  'identity.flash.invited': {
    fr: 'L’invitation a été envoyée par courriel.',
    en: 'The invitation has been sent by email.',
  },
  'identity.flash.role_changed': { fr: 'Le rôle a été modifié.', en: 'The role has been changed.' },
  'identity.flash.removed': { fr: 'Le membre a été retiré.', en: 'The member has been removed.' },
  'identity.flash.joined': {
    fr: 'Vous avez rejoint l’organisation.',
    en: 'You have joined the organisation.',
  },
  'identity.flash.done': { fr: 'La modification est enregistrée.', en: 'The change has been saved.' },

  // registration and verification
  'identity.register.title': { fr: 'Créer un compte éditeur', en: 'Create a publisher account' },
  'identity.register.lead': {
    fr: 'Inscrivez votre organisation et créez votre compte. Tous les champs sont obligatoires.',
    en: 'Register your organisation and create your account. All fields are required.',
  },
  'identity.register.organisation': { fr: 'Votre organisation', en: 'Your organisation' },
  'identity.register.person': { fr: 'Vous', en: 'You' },
  'identity.register.mandataire_note': {
    fr: 'Vous serez le mandataire de l’organisation : vous pourrez inviter vos collègues et nommer des représentants.',
    en: 'You will be the organisation’s mandataire: you can invite your colleagues and appoint representatives.',
  },
  'identity.register.submit': { fr: 'Créer le compte', en: 'Create the account' },
  'identity.register.have_account': { fr: 'Vous avez déjà un compte ?', en: 'Already have an account?' },
  'identity.register.done_title': { fr: 'Vérifiez votre messagerie', en: 'Check your mailbox' },
  'identity.register.done': {
    fr: 'Votre compte est créé. Un lien de vérification a été envoyé à {email} : ouvrez-le pour pouvoir vous connecter.',
    en: 'Your account has been created. A verification link has been sent to {email}: open it to be able to sign in.',
  },
  'identity.verify.title': { fr: 'Vérification de l’adresse', en: 'Address verification' },
  'identity.verify.invalid': {
    fr: 'Ce lien de vérification n’est pas valide, a déjà servi ou a expiré. Connectez-vous : si votre adresse n’est pas encore vérifiée, un nouveau lien vous sera envoyé.',
    en: 'This verification link is not valid, has already been used or has expired. Sign in: if your address is not verified yet, a new link will be sent to you.',
  },
  'identity.token.invalid': {
    fr: 'Ce lien n’est pas valide, a déjà servi ou a expiré.',
    en: 'This link is not valid, has already been used or has expired.',
  },

  // sign-in
  'identity.signin.title': { fr: 'Se connecter', en: 'Sign in' },
  'identity.signin.lead': {
    fr: 'Espace des éditeurs et des agents chargés du référencement.',
    en: 'Space for publishers and for the staff in charge of referencing.',
  },
  'identity.signin.submit': { fr: 'Se connecter', en: 'Sign in' },
  'identity.signin.forgot': { fr: 'Mot de passe oublié ?', en: 'Forgot your password?' },
  'identity.signin.new_title': { fr: 'Vous n’avez pas de compte ?', en: 'No account yet?' },
  'identity.signin.invalid': {
    fr: 'Adresse électronique ou mot de passe incorrect.',
    en: 'Wrong email address or password.',
  },
  'identity.signin.locked': {
    fr: 'Trop d’essais infructueux : ce compte est verrouillé temporairement. Réessayez dans {minutes} minute(s), ou réinitialisez votre mot de passe.',
    en: 'Too many failed attempts: this account is temporarily locked. Try again in {minutes} minute(s), or reset your password.',
  },
  'identity.signin.disabled': {
    fr: 'Ce compte est désactivé. Contactez l’administrateur de la plateforme.',
    en: 'This account is disabled. Contact the platform’s administrator.',
  },
  'identity.signin.unverified': {
    fr: 'Votre adresse électronique n’est pas encore vérifiée. Un nouveau lien de vérification vient de vous être envoyé.',
    en: 'Your email address is not verified yet. A new verification link has just been sent to you.',
  },
  'identity.rate_limited': {
    fr: 'Trop de tentatives en peu de temps. Réessayez dans {minutes} minute(s).',
    en: 'Too many attempts in a short time. Try again in {minutes} minute(s).',
  },
  'identity.code.title': { fr: 'Code de vérification', en: 'Verification code' },
  'identity.code.lead': {
    fr: 'Votre compte est protégé par la double authentification. Saisissez le code affiché par votre application.',
    en: 'Your account is protected by two-factor authentication. Enter the code shown by your app.',
  },
  'identity.code.submit': { fr: 'Valider', en: 'Confirm' },
  'identity.code.cancel': { fr: 'Annuler et se déconnecter', en: 'Cancel and sign out' },

  // password reset
  'identity.forgot.title': { fr: 'Mot de passe oublié', en: 'Forgot password' },
  'identity.forgot.lead': {
    fr: 'Saisissez l’adresse de votre compte : vous recevrez un lien pour choisir un nouveau mot de passe.',
    en: 'Enter your account’s address: you will receive a link to choose a new password.',
  },
  'identity.forgot.submit': { fr: 'Recevoir le lien', en: 'Send me the link' },
  'identity.forgot.sent': {
    fr: 'Si un compte existe pour cette adresse, un lien valable une heure vient d’y être envoyé.',
    en: 'If an account exists for this address, a link valid for one hour has just been sent to it.',
  },
  'identity.reset.title': { fr: 'Choisir un nouveau mot de passe', en: 'Choose a new password' },
  'identity.reset.submit': { fr: 'Enregistrer le mot de passe', en: 'Save the password' },

  // second factor
  'identity.totp.title': { fr: 'Double authentification', en: 'Two-factor authentication' },
  'identity.totp.lead': {
    fr: 'À chaque connexion, en plus du mot de passe, un code à 6 chiffres de votre application d’authentification vous sera demandé.',
    en: 'At each sign-in, besides the password, you will be asked for a 6-digit code from your authenticator app.',
  },
  'identity.totp.step_app': {
    fr: 'Installez une application d’authentification (TOTP) sur votre téléphone ou votre ordinateur.',
    en: 'Install an authenticator app (TOTP) on your phone or computer.',
  },
  'identity.totp.step_secret': {
    fr: 'Ajoutez-y un compte avec cette clé secrète (ou ouvrez le lien ci-dessous sur l’appareil de l’application) :',
    en: 'Add an account to it with this secret key (or open the link below on the app’s device):',
  },
  'identity.totp.uri_label': { fr: 'Lien de configuration :', en: 'Setup link:' },
  'identity.totp.step_code': {
    fr: 'Saisissez le code que l’application affiche pour confirmer.',
    en: 'Enter the code the app shows to confirm.',
  },
  'identity.totp.confirm': { fr: 'Activer', en: 'Turn on' },
  'identity.totp.enabled': { fr: 'Activée', en: 'On' },
  'identity.totp.disabled': { fr: 'Non activée', en: 'Off' },
  'identity.totp.enrol': {
    fr: 'Activer la double authentification',
    en: 'Turn on two-factor authentication',
  },
  'identity.totp.manage': { fr: 'Gérer la double authentification', en: 'Manage two-factor authentication' },
  'identity.totp.staff_must_enrol': {
    fr: 'Les agents doivent activer la double authentification avant d’accéder à leur espace.',
    en: 'Staff must turn on two-factor authentication before using their space.',
  },
  'identity.totp.staff_required': {
    fr: 'La double authentification est obligatoire pour les agents : elle ne peut pas être désactivée.',
    en: 'Two-factor authentication is required for staff: it cannot be turned off.',
  },
  'identity.totp.not_enabled': {
    fr: 'La double authentification n’est pas activée sur ce compte.',
    en: 'Two-factor authentication is not on for this account.',
  },
  'identity.totp.already_enabled': {
    fr: 'La double authentification est déjà activée.',
    en: 'Two-factor authentication is already on.',
  },
  'identity.totp.disable_title': { fr: 'Désactiver', en: 'Turn off' },
  'identity.totp.disable_lead': {
    fr: 'Pour désactiver la double authentification, saisissez un code actuel.',
    en: 'To turn off two-factor authentication, enter a current code.',
  },
  'identity.totp.disable_submit': { fr: 'Désactiver', en: 'Turn off' },
  'identity.totp.code_invalid': {
    fr: 'Ce code est incorrect ou a expiré. Saisissez le code affiché maintenant.',
    en: 'This code is wrong or has expired. Enter the code shown now.',
  },
  'identity.totp.code_reused': {
    fr: 'Ce code a déjà servi. Attendez le code suivant.',
    en: 'This code has already been used. Wait for the next one.',
  },

  // account
  'identity.account.title': { fr: 'Mon compte', en: 'My account' },
  'identity.account.staff_roles': { fr: 'Vos rôles d’agent :', en: 'Your staff roles:' },
  'identity.account.profile_title': { fr: 'Informations personnelles', en: 'Personal details' },
  'identity.account.save': { fr: 'Enregistrer', en: 'Save' },
  'identity.account.password_title': { fr: 'Changer de mot de passe', en: 'Change password' },
  'identity.account.password_submit': { fr: 'Changer le mot de passe', en: 'Change the password' },

  // API tokens
  'identity.tokens.title': { fr: 'Jetons d’API personnels', en: 'Personal API tokens' },
  'identity.tokens.lead': {
    fr: 'Un jeton permet à vos outils (intégration continue, scripts) d’appeler l’API au nom d’une de vos organisations, sans votre mot de passe.',
    en: 'A token lets your tools (continuous integration, scripts) call the API on behalf of one of your organisations, without your password.',
  },
  'identity.tokens.none': { fr: 'Aucun jeton pour le moment.', en: 'No token yet.' },
  'identity.tokens.name': { fr: 'Nom du jeton', en: 'Token name' },
  'identity.tokens.name_hint': {
    fr: 'Pour le reconnaître, par exemple « CI production ».',
    en: 'To recognise it, for example “production CI”.',
  },
  'identity.tokens.organisation': { fr: 'Organisation', en: 'Organisation' },
  'identity.tokens.prefix': { fr: 'Début du jeton', en: 'Token start' },
  'identity.tokens.expires': { fr: 'Expire le', en: 'Expires on' },
  'identity.tokens.last_used': { fr: 'Dernière utilisation', en: 'Last used' },
  'identity.tokens.never': { fr: 'Jamais', en: 'Never' },
  'identity.tokens.status': { fr: 'État', en: 'Status' },
  'identity.tokens.status_active': { fr: 'Actif', en: 'Active' },
  'identity.tokens.status_revoked': { fr: 'Révoqué', en: 'Revoked' },
  'identity.tokens.status_expired': { fr: 'Expiré', en: 'Expired' },
  'identity.tokens.actions': { fr: 'Actions', en: 'Actions' },
  'identity.tokens.revoke': { fr: 'Révoquer', en: 'Revoke' },
  'identity.tokens.revoke_title': { fr: 'Révoquer le jeton « {name} »', en: 'Revoke the token “{name}”' },
  'identity.tokens.create_title': { fr: 'Créer un jeton', en: 'Create a token' },
  'identity.tokens.days': { fr: 'Durée de validité (jours)', en: 'Validity (days)' },
  'identity.tokens.days_hint': { fr: 'De 1 à {max} jours.', en: 'From 1 to {max} days.' },
  'identity.tokens.create': { fr: 'Créer le jeton', en: 'Create the token' },
  'identity.tokens.created_title': { fr: 'Votre nouveau jeton', en: 'Your new token' },
  'identity.tokens.shown_once': {
    fr: 'Copiez ce jeton maintenant : il ne sera plus jamais affiché. Conservez-le comme un mot de passe.',
    en: 'Copy this token now: it will never be shown again. Keep it like a password.',
  },
  'identity.tokens.value': { fr: 'Jeton', en: 'Token' },
  'identity.tokens.usage': {
    fr: 'Utilisation : envoyez l’en-tête {example} à l’API /api/v1.',
    en: 'Usage: send the header {example} to the /api/v1 API.',
  },
  'identity.tokens.back': { fr: 'Retour à mon compte', en: 'Back to my account' },
  'identity.tokens.too_many': {
    fr: 'Vous avez déjà {max} jetons actifs : révoquez-en un avant d’en créer un autre.',
    en: 'You already have {max} active tokens: revoke one before creating another.',
  },

  // publisher space and members
  'identity.publisher.title': { fr: 'Espace éditeur', en: 'Publisher space' },
  'identity.publisher.organisations': { fr: 'Mes organisations', en: 'My organisations' },
  'identity.publisher.none': {
    fr: 'Vous n’êtes membre d’aucune organisation. Demandez à un mandataire de vous inviter, ou inscrivez votre organisation.',
    en: 'You are not a member of any organisation. Ask a mandataire to invite you, or register your organisation.',
  },
  'identity.publisher.none_short': { fr: 'Aucune organisation.', en: 'No organisation.' },
  'identity.publisher.members_link': { fr: 'Membres', en: 'Members' },
  'identity.publisher.tools': { fr: 'Outils', en: 'Tools' },
  'identity.publisher.services_link': { fr: 'Mes services', en: 'My services' },
  'identity.publisher.services_hint': {
    fr: 'déclarez vos services (nom, système, appareil, logo, captures d’écran) avant de les évaluer.',
    en: 'declare your services (name, system, device, logo, screenshots) before assessing them.',
  },
  'identity.publisher.validate_link': { fr: 'Valider une ressource FHIR', en: 'Validate a FHIR resource' },
  'identity.publisher.validate_hint': {
    fr: 'contrôlez une mesure, un Bundle ou un document selon les profils de Mon espace santé, ligne par ligne.',
    en: 'check a measure, a Bundle or a document against the Mon espace santé profiles, line by line.',
  },
  'identity.organisation.status_active': { fr: 'Active', en: 'Active' },
  'identity.organisation.status_suspended': { fr: 'Suspendue', en: 'Suspended' },
  'identity.organisation.suspended': {
    fr: 'Cette organisation est suspendue : ses membres ne peuvent pas être modifiés et ses jetons d’API ne fonctionnent plus.',
    en: 'This organisation is suspended: its members cannot be changed and its API tokens no longer work.',
  },
  'identity.members.title': { fr: 'Membres — {name}', en: 'Members — {name}' },
  'identity.members.list': { fr: 'Membres de l’organisation', en: 'Members of the organisation' },
  'identity.members.rules': {
    fr: 'Le mandataire et les représentants gèrent les comptes ; les salariés ne le peuvent pas. Seul un mandataire attribue ou retire les rôles de mandataire et de représentant. L’organisation garde toujours au moins un mandataire.',
    en: 'The mandataire and the representatives manage accounts; employees cannot. Only a mandataire gives or removes the mandataire and representative roles. The organisation always keeps at least one mandataire.',
  },
  'identity.members.role': { fr: 'Rôle', en: 'Role' },
  'identity.members.status': { fr: 'État', en: 'Status' },
  'identity.members.since': { fr: 'Membre depuis', en: 'Member since' },
  'identity.members.expires': { fr: 'Expire le', en: 'Expires on' },
  'identity.members.you': { fr: 'vous', en: 'you' },
  'identity.members.new_role_for': { fr: 'Nouveau rôle de {name}', en: 'New role for {name}' },
  'identity.members.change_role': { fr: 'Changer le rôle', en: 'Change role' },
  'identity.members.remove': { fr: 'Retirer', en: 'Remove' },
  'identity.members.remove_title': {
    fr: 'Retirer {name} de l’organisation',
    en: 'Remove {name} from the organisation',
  },
  'identity.members.pending': { fr: 'Invitations en attente', en: 'Pending invitations' },
  'identity.members.invite_title': { fr: 'Inviter une personne', en: 'Invite someone' },
  'identity.members.invite': { fr: 'Envoyer l’invitation', en: 'Send the invitation' },
  'identity.members.not_found': {
    fr: 'Cette personne n’est pas membre de l’organisation.',
    en: 'This person is not a member of the organisation.',
  },
  'identity.members.mandataire_only': {
    fr: 'Seul un mandataire peut attribuer ou retirer les rôles de mandataire et de représentant.',
    en: 'Only a mandataire can give or remove the mandataire and representative roles.',
  },
  'identity.members.last_mandataire': {
    fr: 'L’organisation doit garder au moins un mandataire : nommez-en un autre avant.',
    en: 'The organisation must keep at least one mandataire: appoint another one first.',
  },
  'identity.invitation.title': { fr: 'Invitation', en: 'Invitation' },
  'identity.invitation.lead': {
    fr: 'Vous êtes invité à rejoindre {organisation} ({email}) avec le rôle :',
    en: 'You are invited to join {organisation} ({email}) with the role:',
  },
  'identity.invitation.create_account': {
    fr: 'Créez votre compte pour accepter. Votre adresse est vérifiée par ce lien.',
    en: 'Create your account to accept. Your address is verified by this link.',
  },
  'identity.invitation.accept': { fr: 'Accepter l’invitation', en: 'Accept the invitation' },
  'identity.invitation.sign_in_first': {
    fr: 'Un compte existe déjà pour {email} : connectez-vous avec ce compte pour accepter.',
    en: 'An account already exists for {email}: sign in with it to accept.',
  },
  'identity.invitation.other_account': {
    fr: 'Cette invitation est adressée à {email}, mais vous êtes connecté avec un autre compte. Déconnectez-vous puis rouvrez le lien.',
    en: 'This invitation is for {email}, but you are signed in with another account. Sign out, then open the link again.',
  },

  // admin console
  'identity.admin.title': { fr: 'Administration', en: 'Administration' },
  'identity.admin.people': { fr: 'Personnes', en: 'People' },
  'identity.admin.search_email': { fr: 'Rechercher par adresse électronique', en: 'Search by email address' },
  'identity.admin.search_organisation': {
    fr: 'Rechercher par raison sociale ou SIREN',
    en: 'Search by legal name or SIREN',
  },
  'identity.admin.search': { fr: 'Rechercher', en: 'Search' },
  'identity.admin.no_people': { fr: 'Aucune personne trouvée.', en: 'Nobody found.' },
  'identity.admin.roles': { fr: 'Rôles', en: 'Roles' },
  'identity.admin.organisations': { fr: 'Organisations', en: 'Organisations' },
  'identity.admin.members': { fr: 'Membres', en: 'Members' },
  'identity.admin.suspend': { fr: 'Suspendre', en: 'Suspend' },
  'identity.admin.suspend_title': { fr: 'Suspendre {name}', en: 'Suspend {name}' },
  'identity.admin.reactivate': { fr: 'Réactiver', en: 'Reactivate' },
  'identity.admin.reactivate_title': { fr: 'Réactiver {name}', en: 'Reactivate {name}' },
  'identity.admin.active': { fr: 'Actif', en: 'Active' },
  'identity.admin.disabled': { fr: 'Désactivé', en: 'Disabled' },
  'identity.admin.unverified': { fr: 'Adresse non vérifiée', en: 'Address not verified' },
  'identity.admin.locked_until': { fr: 'Verrouillé jusqu’à {time}', en: 'Locked until {time}' },
  'identity.admin.staff_roles': { fr: 'Rôles d’agent', en: 'Staff roles' },
  'identity.admin.no_staff_role': { fr: 'Aucun rôle d’agent.', en: 'No staff role.' },
  'identity.admin.remove_role': { fr: 'Retirer', en: 'Remove' },
  'identity.admin.remove_role_title': { fr: 'Retirer le rôle {role}', en: 'Remove the {role} role' },
  'identity.admin.grant_role': { fr: 'Rôle à donner', en: 'Role to grant' },
  'identity.admin.grant': { fr: 'Donner le rôle', en: 'Grant the role' },
  'identity.admin.access': { fr: 'Accès', en: 'Access' },
  'identity.admin.unlock': { fr: 'Déverrouiller', en: 'Unlock' },
  'identity.admin.disable': { fr: 'Désactiver le compte', en: 'Disable the account' },
  'identity.admin.enable': { fr: 'Réactiver le compte', en: 'Enable the account' },
  'identity.admin.history': { fr: 'Historique du compte', en: 'Account history' },
  'identity.admin.no_history': { fr: 'Aucun événement.', en: 'No event.' },
  'identity.admin.totp_on': { fr: 'Double authentification activée', en: 'Two-factor on' },
  'identity.admin.totp_off': { fr: 'Double authentification non activée', en: 'Two-factor off' },
  'identity.admin.when': { fr: 'Date', en: 'Date' },
  'identity.admin.event': { fr: 'Événement', en: 'Event' },
  'identity.admin.last_admin': {
    fr: 'La plateforme doit garder au moins un administrateur actif.',
    en: 'The platform must keep at least one active administrator.',
  },
  'identity.admin.not_self': {
    fr: 'Vous ne pouvez pas désactiver votre propre compte.',
    en: 'You cannot disable your own account.',
  },

  // mail
  'identity.mail.verify.subject': {
    fr: 'Vérifiez votre adresse électronique — {operator}',
    en: 'Verify your email address — {operator}',
  },
  'identity.mail.verify.text': {
    fr: 'Bonjour {name},\n\nPour activer votre compte sur {operator}, ouvrez ce lien (valable {hours} heures) :\n\n{link}\n\nSi vous n’êtes pas à l’origine de cette inscription, ignorez ce message.\n',
    en: 'Hello {name},\n\nTo activate your account on {operator}, open this link (valid for {hours} hours):\n\n{link}\n\nIf you did not register, ignore this message.\n',
  },
  'identity.mail.reset.subject': {
    fr: 'Réinitialisation de votre mot de passe — {operator}',
    en: 'Reset your password — {operator}',
  },
  'identity.mail.reset.text': {
    fr: 'Bonjour {name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable {minutes} minutes, une seule fois) :\n\n{link}\n\nSi vous n’avez rien demandé, ignorez ce message : votre mot de passe ne change pas.\n',
    en: 'Hello {name},\n\nTo choose a new password, open this link (valid for {minutes} minutes, once):\n\n{link}\n\nIf you did not ask for this, ignore this message: your password does not change.\n',
  },
  'identity.mail.welcome.subject': {
    fr: 'Votre compte sur {operator}',
    en: 'Your account on {operator}',
  },
  'identity.mail.welcome.text': {
    fr: 'Bonjour {name},\n\nUn compte a été créé pour vous sur {operator}. Choisissez votre mot de passe avec ce lien (valable {hours} heures, une seule fois) :\n\n{link}\n',
    en: 'Hello {name},\n\nAn account has been created for you on {operator}. Choose your password with this link (valid for {hours} hours, once):\n\n{link}\n',
  },
  'identity.mail.invitation.subject': {
    fr: 'Invitation à rejoindre {organisation} — {operator}',
    en: 'Invitation to join {organisation} — {operator}',
  },
  'identity.mail.invitation.text': {
    fr: 'Bonjour,\n\n{inviter} vous invite à rejoindre {organisation} sur {operator}, avec le rôle « {role} ».\n\nPour accepter, ouvrez ce lien (valable {days} jours) :\n\n{link}\n\nSi vous ne vous attendiez pas à cette invitation, ignorez ce message.\n',
    en: 'Hello,\n\n{inviter} invites you to join {organisation} on {operator}, with the role “{role}”.\n\nTo accept, open this link (valid for {days} days):\n\n{link}\n\nIf you were not expecting this invitation, ignore this message.\n',
  },
};
