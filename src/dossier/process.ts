/**
 * The process data file (`process.yaml`, or MESREF_PROCESS_FILE): deadlines per phase, validity, renewal,
 * reminders, the commission's seats and quorum. Checked against its schema when it is loaded.
 */
import { fileURLToPath } from 'node:url';
import { type Static, Type } from '@sinclair/typebox';
import { DataFileError, loadDataFile } from '../platform/datafile.ts';
import type { DossierState, ProcessRules } from './model.ts';

const Localized = Type.Object(
  { fr: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) },
  {
    additionalProperties: false,
  },
);
const Days = Type.Integer({ minimum: 1, maximum: 3650 });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const ProcessFileSchema = Type.Object(
  {
    version: Type.String({ minLength: 1 }),
    deadlines: Type.Object(
      {
        submitted: Days,
        evaluation: Days,
        info_requested: Days,
        ready_for_commission: Days,
        opinion_given: Days,
        accepted: Days,
        convention_signed: Days,
        connection_tests: Days,
      },
      { additionalProperties: false },
    ),
    validity: Type.Object(
      {
        initialDays: Days,
        renewalDays: Days,
        remindersDaysBefore: Type.Array(Days, { maxItems: 10 }),
        updateDays: Days,
      },
      { additionalProperties: false },
    ),
    commission: Type.Object(
      {
        quorum: Type.Integer({ minimum: 1 }),
        seats: Type.Array(
          Type.Object(
            {
              id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' }),
              role: Localized,
              holder: Type.String({ minLength: 1 }),
              termStart: IsoDate,
              termEnd: IsoDate,
              interestDeclaration: Type.Boolean(),
            },
            { additionalProperties: false },
          ),
          { minItems: 1 },
        ),
      },
      { additionalProperties: false },
    ),
    conventionParties: Type.Array(Localized, { minItems: 2 }),
  },
  { additionalProperties: false },
);
export type ProcessFile = Static<typeof ProcessFileSchema>;
export type Seat = ProcessFile['commission']['seats'][number];

export const DEFAULT_PROCESS_FILE = fileURLToPath(new URL('./process.yaml', import.meta.url));

/** Loads and checks the process file; the consistency rules the schema cannot say are checked here. */
export function loadProcess(path = DEFAULT_PROCESS_FILE): ProcessFile {
  const file = loadDataFile(path, ProcessFileSchema);
  const problems: string[] = [];
  const ids = file.commission.seats.map((s) => s.id);
  if (new Set(ids).size !== ids.length) problems.push('seat ids must be unique');
  if (file.commission.quorum > ids.length) problems.push('the quorum exceeds the number of seats');
  for (const seat of file.commission.seats) {
    if (seat.termEnd < seat.termStart) problems.push(`seat ${seat.id}: its term ends before it starts`);
  }
  if (problems.length > 0)
    throw new DataFileError(
      problems.map((message) => ({ file: path, line: 1, path: '/commission', message })),
    );
  return file;
}

/** What the state machine needs of the process file, with the finalités of the referential in use. */
export function processRules(file: ProcessFile, finaliteCodes: string[]): ProcessRules {
  return {
    deadlineDays: file.deadlines as Partial<Record<DossierState, number>>,
    initialValidityDays: file.validity.initialDays,
    renewalDays: file.validity.renewalDays,
    quorum: file.commission.quorum,
    seatIds: file.commission.seats.map((s) => s.id),
    finaliteCodes,
  };
}
