import type { Migration } from 'kysely';
import * as m001 from './001_foundation.ts';
import * as m002 from './002_audit_append_only.ts';

/** Every migration, in order. A new migration is a new file added here; applied ones never change. */
export const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_audit_append_only': m002,
};
