/** What other modules (and the CLI) may use of the identity module. */

export { seedTestCitizens } from './citizen-service.ts';
export {
  type AccountActor,
  type Actor,
  authorize,
  isValidSiren,
  type Membership,
  normaliseSiren,
  type OrganisationRole,
  organisationRoles,
  type StaffRole,
  staffRoles,
} from './model.ts';
export {
  createStaffOrPublisherAccount,
  getOrganisation,
  listOrganisationsOf,
  type NewAccount,
  type NewAccountInput,
  type OrganisationOfAccount,
  type OrganisationView,
} from './service.ts';
