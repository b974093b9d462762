/** What other modules (and the CLI) may use of the identity module. */

export { seedTestCitizens, testCitizensBySub, testIdentityNames } from './citizen-service.ts';
export { accountNames, organisationNames, staffWithRole } from './directory.ts';
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
  accountsForNotification,
  citizensForNotification,
  createStaffOrPublisherAccount,
  getOrganisation,
  listOrganisationsOf,
  type NewAccount,
  type NewAccountInput,
  type NotificationAccount,
  type NotificationAccountGroup,
  type OrganisationOfAccount,
  type OrganisationView,
} from './service.ts';
