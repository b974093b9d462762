import type { Migration } from 'kysely';
import * as m001 from './001_foundation.ts';
import * as m002 from './002_audit_append_only.ts';
import * as m003 from './003_product.ts';
import * as m004 from './004_assessment.ts';
import * as m005 from './005_pathway.ts';
import * as m006 from './006_ecoscore.ts';
import * as m007 from './007_notification.ts';
import * as m008 from './008_dossier.ts';
import * as m009 from './009_dossier_indexes.ts';
import * as m010 from './010_consent.ts';
import * as m011 from './011_catalogue.ts';
import * as m012 from './012_measures.ts';
import * as m013 from './013_documents.ts';
import * as m014 from './014_audit_one_statement.ts';
import * as m015 from './015_conformance.ts';
import * as m016 from './016_catalogue_entries.ts';

/** Every migration, in order. A new migration is a new file added here; applied ones never change. */
export const migrations: Record<string, Migration> = {
  '001_foundation': m001,
  '002_audit_append_only': m002,
  '003_product': m003,
  '004_assessment': m004,
  '005_pathway': m005,
  '006_ecoscore': m006,
  '007_notification': m007,
  '008_dossier': m008,
  '009_dossier_indexes': m009,
  '010_consent': m010,
  '011_catalogue': m011,
  '012_measures': m012,
  '013_documents': m013,
  '014_audit_one_statement': m014,
  '015_conformance': m015,
  '016_catalogue_entries': m016,
};
