import type { Catalog } from '../platform/i18n.ts';

/** Strings of the guided pathway's pages; the questions, rules and texts themselves are in rules.yaml. */
export const pathwayMessages: Catalog = {
  'pathway.nav': { fr: 'Parcours guidé', en: 'Guided pathway' },
  'pathway.resources_nav': { fr: 'Ressources', en: 'Resources' },
  'home.pathway.title': { fr: 'Mon service est-il concerné ?', en: 'Is my service concerned?' },
  'home.pathway.text': {
    fr: 'En quelques questions, sans compte : éligibilité, typologie, feuille de route et charge de travail.',
    en: 'A few questions, no account needed: eligibility, typology, roadmap and workload.',
  },
  'home.resources.title': { fr: 'Se documenter', en: 'Reading' },
  'home.resources.text': {
    fr: 'Les ressources officielles du référencement et les guides de mesref.',
    en: 'The official referencing resources and mesref’s guides.',
  },
  'pathway.title': { fr: 'Mon service peut-il être référencé ?', en: 'Can my service be referenced?' },
  'pathway.lead': {
    fr: 'Quelques questions, une par page, pour savoir si votre service numérique en santé peut entrer dans le catalogue de Mon espace santé, avec ou sans échange de données, et ce qui vous attend. Sans compte ; rien n’est enregistré.',
    en: 'A few questions, one per page, to find out whether your digital health service can enter the Mon espace santé catalogue, with or without data exchange, and what lies ahead. No account needed; nothing is stored.',
  },
  'pathway.step_title': {
    fr: 'Étape {current} sur {total} : {title}',
    en: 'Step {current} of {total}: {title}',
  },
  'pathway.step_state': { fr: 'Étape {current} sur {total}', en: 'Step {current} of {total}' },
  'pathway.next_step': { fr: 'Étape suivante :', en: 'Next step:' },
  'pathway.last_step': { fr: 'Dernière étape avant le résultat.', en: 'Last step before the result.' },
  'pathway.previous': { fr: 'Étape précédente', en: 'Previous step' },
  'pathway.next': { fr: 'Étape suivante', en: 'Next step' },
  'pathway.see_result': { fr: 'Voir le résultat', en: 'See the result' },
  'pathway.yes': { fr: 'Oui', en: 'Yes' },
  'pathway.no': { fr: 'Non', en: 'No' },
  'pathway.required': { fr: 'Choisissez une réponse pour continuer.', en: 'Choose an answer to go on.' },
  'pathway.required_multi': {
    fr: 'Cochez au moins une case pour continuer.',
    en: 'Tick at least one box to go on.',
  },
  'pathway.form_error': { fr: 'Une réponse manque', en: 'An answer is missing' },
  'pathway.multi_hint': { fr: 'Plusieurs réponses possibles.', en: 'Several answers possible.' },
  'pathway.other_language': {
    fr: 'Lire cette page en anglais sans perdre vos réponses :',
    en: 'Read this page in French without losing your answers:',
  },
  'pathway.restart': { fr: 'Recommencer le parcours', en: 'Start the pathway again' },

  // result
  'pathway.result.title': { fr: 'Résultat du parcours guidé', en: 'Guided pathway result' },
  'pathway.result.eligible': {
    fr: 'Votre service peut être référencé',
    en: 'Your service can be referenced',
  },
  'pathway.result.not-eligible': {
    fr: 'Votre service ne peut pas être référencé en l’état',
    en: 'Your service cannot be referenced as it stands',
  },
  'pathway.result.redirected': {
    fr: 'Votre service relève d’une autre offre que le catalogue de Mon espace santé',
    en: 'Your service belongs to another offer than the Mon espace santé catalogue',
  },
  'pathway.result.rule': { fr: 'Règle appliquée :', en: 'Rule applied:' },
  'pathway.result.sources': { fr: 'Source :', en: 'Source:' },
  'pathway.result.sources_many': { fr: 'Sources :', en: 'Sources:' },
  'pathway.result.go_to': { fr: 'Où aller :', en: 'Where to go:' },
  'pathway.result.notice': { fr: 'Pas d’échange de données', en: 'No data exchange' },
  'pathway.result.typology': { fr: 'Typologie de référencement', en: 'Referencing typology' },
  'pathway.result.workload': { fr: 'Charge de travail', en: 'Workload' },
  'pathway.result.workload_lead': {
    fr: 'Comptée avec le référentiel {referential}, le plus récent, et les réponses d’orientation que donne ce parcours.',
    en: 'Counted with referential {referential}, the newest, and the orientation answers this pathway gives.',
  },
  'pathway.result.applicable': { fr: 'Critères applicables', en: 'Applicable criteria' },
  'pathway.result.mandatory': { fr: 'dont obligatoires', en: 'of which mandatory' },
  'pathway.result.optional': { fr: 'dont optionnels', en: 'of which optional' },
  'pathway.result.exchange_rules': {
    fr: 'dont règles de sécurité de l’échange de données',
    en: 'of which data-exchange security rules',
  },
  'pathway.result.undetermined': {
    fr: 'Critères qui dépendent d’autres questions d’orientation',
    en: 'Criteria that depend on other orientation questions',
  },
  'pathway.result.demonstration': {
    fr: 'Version de démonstration : ce référentiel est écrit à partir des sources publiques, ce n’est pas le texte officiel.',
    en: 'Demonstration version: this referential is written from the public sources, it is not the official text.',
  },
  'pathway.result.see_criteria': {
    fr: 'Voir les critères du référentiel {referential}',
    en: 'See the criteria of referential {referential}',
  },
  'pathway.result.no_referential': {
    fr: 'Aucun référentiel n’est chargé : la charge de travail ne peut pas être comptée.',
    en: 'No referential is loaded: the workload cannot be counted.',
  },
  'pathway.result.roadmap': { fr: 'Feuille de route', en: 'Roadmap' },
  'pathway.result.roadmap_lead': {
    fr: 'Les étapes recommandées par le guide officiel, dans l’ordre, avec ce qu’il faut préparer.',
    en: 'The steps the official guide recommends, in order, with what to prepare.',
  },
  'pathway.result.prepare': { fr: 'À préparer', en: 'To prepare' },
  'pathway.result.links': { fr: 'Pour aller plus loin', en: 'Further reading' },
  'pathway.result.vigilance': { fr: 'Points de vigilance', en: 'Points of vigilance' },
  'pathway.result.answers': { fr: 'Vos réponses', en: 'Your answers' },
  'pathway.result.change': { fr: 'Modifier', en: 'Change' },
  'pathway.result.change_answer': {
    fr: ' la réponse « {question} »',
    en: ' the answer « {question} »',
  },
  'pathway.result.resources': {
    fr: 'Consulter les ressources officielles',
    en: 'See the official resources',
  },

  // saving onto a service
  'pathway.save.title': {
    fr: 'Enregistrer ce résultat sur un service',
    en: 'Save this result onto a service',
  },
  'pathway.save.lead': {
    fr: 'Le résultat et vos réponses sont gardés avec le service, pour vos collègues et pour l’autoévaluation.',
    en: 'The result and your answers are kept with the service, for your colleagues and for the self-assessment.',
  },
  'pathway.save.product': { fr: 'Service', en: 'Service' },
  'pathway.save.choose': { fr: 'Choisissez un service', en: 'Choose a service' },
  'pathway.save.submit': { fr: 'Enregistrer le résultat', en: 'Save the result' },
  'pathway.save.sign_in': {
    fr: 'Éditeur ? Connectez-vous pour enregistrer ce résultat sur l’un de vos services.',
    en: 'A publisher? Sign in to save this result onto one of your services.',
  },
  'pathway.save.sign_in_link': { fr: 'Se connecter', en: 'Sign in' },
  'pathway.save.no_product': {
    fr: 'Aucun service que vous pouvez modifier : créez d’abord votre service dans l’espace éditeur.',
    en: 'No service you may change: first create your service in the publisher space.',
  },
  'pathway.save.publisher_space': { fr: 'Espace éditeur', en: 'Publisher space' },
  'pathway.save.saved': { fr: 'Résultat enregistré', en: 'Result saved' },
  'pathway.save.saved_text': {
    fr: 'Le résultat du parcours est enregistré sur « {name} ».',
    en: 'The pathway result is saved onto « {name} ».',
  },

  // a service's saved outcome
  'pathway.product.title': { fr: 'Parcours guidé : {name}', en: 'Guided pathway: {name}' },
  'pathway.product.saved_at': {
    fr: 'Dernier résultat enregistré le {date}, avec les règles du parcours version {version}.',
    en: 'Last result saved on {date}, with version {version} of the pathway rules.',
  },
  'pathway.product.none': {
    fr: 'Aucun résultat du parcours guidé n’est encore enregistré sur ce service.',
    en: 'No guided pathway result is saved onto this service yet.',
  },
  'pathway.product.start': { fr: 'Faire le parcours guidé', en: 'Take the guided pathway' },
  'pathway.product.redo': {
    fr: 'Reprendre le parcours avec ces réponses',
    en: 'Take the pathway again with these answers',
  },

  // errors
  'pathway.error.no_product': { fr: 'Service introuvable.', en: 'Service not found.' },
  'pathway.error.choose_product': { fr: 'Choisissez un service.', en: 'Choose a service.' },
  'pathway.error.incomplete': {
    fr: 'Le parcours n’est pas terminé : répondez à toutes les étapes avant d’enregistrer.',
    en: 'The pathway is not finished: answer every step before saving.',
  },

  // resources
  'resources.title': { fr: 'Ressources', en: 'Resources' },
  'resources.lead': {
    fr: 'Les ressources officielles du référencement dans le catalogue de Mon espace santé, et les guides de mesref.',
    en: 'The official resources on referencing in the Mon espace santé catalogue, and mesref’s guides.',
  },
  'resources.official': { fr: 'Ressources officielles', en: 'Official resources' },
  'resources.mesref': { fr: 'Guides et outils de mesref', en: 'mesref guides and tools' },
  'resources.publisher': { fr: 'Publié par {publisher}', en: 'Published by {publisher}' },
  'resources.external_notice': {
    fr: 'Les ressources officielles sont publiées par leurs auteurs ; mesref n’en est pas l’auteur et ne les remplace pas.',
    en: 'The official resources are published by their authors; mesref is not their author and does not replace them.',
  },
};
