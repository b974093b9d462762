/**
 * Who calls the FHIR exchange API and what they may do: the bearer token verified (src/oauth/verify.ts) with
 * the consent facts of its pairing, and the decisions made on them. Every read and write asks `decide` for its
 * data category. A call's facts may be remembered from an earlier call of the same grant, never trusted for
 * it: whatever a use case does or answers on a decision waits for a statement that includes `caller.holds`
 * (the facts are still those in the database). When they changed, the statement does nothing, the use case
 * throws `staleFacts()`, and `withDataCaller` runs it again on facts read afresh. An error answered on remembered
 * facts is given only once the token is found live afresh. So a withdrawal, an unpairing or a suspension, made by
 * any process, stops the very next call.
 */
import { type RawBuilder, sql } from 'kysely';
import type { AppContext } from '../../app.ts';
import { type AuditEventInput, auditAppendCtes } from '../../audit/index.ts';
import { type AccessFacts, accessEvent, type ConsentAction, type Decision } from '../../consent/index.ts';
import { verifyServiceCall } from '../../oauth/verify.ts';
import type { Config } from '../../platform/config.ts';
import { type Db, prepared } from '../../platform/db/index.ts';
import { plainOutcome } from '../index.ts';
import { FhirError } from './errors.ts';

export interface DataCaller {
  /** The citizen's pseudonymous identifier for this service (idPe). */
  idPe: string;
  serviceOid: string;
  clientId: string;
  citizenId: string;
  pairingId: string;
  scopes: string[];
  /** Consent decision for one data category and action, on this call's facts. */
  decide(category: string, action: ConsentAction): Decision;
  /** The data categories this call may read. */
  readableCategories(): string[];
  /**
   * A SQL condition: the facts this call's decisions were made on still hold. A statement acting on a decision
   * includes it (writes nothing when it is false) and its use case then throws `staleFacts()`.
   */
  holds: RawBuilder<boolean>;
  /** The facts were remembered from an earlier call of the grant (a use case may ask for fresh ones: `staleFacts()`). */
  remembered: boolean;
}

/** The facts a call was decided on changed before its statement ran: the call must be decided again. */
export class StaleFacts extends Error {
  constructor() {
    super('the facts of the call changed before its statement ran');
    this.name = 'StaleFacts';
  }
}

export const staleFacts = () => new StaleFacts();

/** How many times a call is decided again when its facts keep changing under it, before a 503. */
const DECISIONS_MAX = 4;

/**
 * The identifier system of idPe in the exchange API (`subject.identifier.system`): the OID arc `.0` under the
 * deployment's root, which services' OIDs (`.1`, `.2`…) never take.
 */
export function idPeSystemOf(config: Pick<Config, 'oidRoot'>): string {
  return `urn:oid:${config.oidRoot}.0`;
}

/**
 * Runs a use case of the FHIR exchange API for the caller of this `Authorization` header: the token verified
 * (401 invalid, 409 OID conflict), the consent facts of its pairing, then `use`. With `remembered`, the facts
 * may be those an earlier call of the same grant found (no statement before `use`): only for use cases whose
 * every answer depending on a decision waits for a statement that includes `caller.holds`. When a statement
 * finds the facts changed (`StaleFacts`), the use case runs again on facts read afresh.
 */
export async function withDataCaller<T>(
  ctx: Pick<AppContext, 'db' | 'config' | 'keys'>,
  authorization: string | undefined,
  use: (caller: DataCaller) => Promise<T>,
  options: { remembered?: boolean } = {},
): Promise<T> {
  let remembered = options.remembered ?? false;
  for (let attempt = 1; ; attempt++) {
    const call = await verifyServiceCall(ctx, authorization, { remembered });
    try {
      return await use(dataCallerOf(call.token, call.facts, call));
    } catch (error) {
      if (!(error instanceof StaleFacts)) {
        // An error answered on remembered facts (an invalid Bundle, say) may not have met a statement that
        // checked them: it stands only if the token is still live, else the call gets the token's own answer.
        if (call.remembered) await verifyServiceCall(ctx, authorization);
        throw error;
      }
      if (attempt >= DECISIONS_MAX) throw factsKeptChanging();
      remembered = false;
    }
  }
}

/**
 * The caller of a verified call: who calls for whom, and `decide` on the call's consent facts (as they were
 * at `now`), guarded by `holds`.
 */
export function dataCallerOf(
  who: Pick<DataCaller, 'idPe' | 'serviceOid' | 'clientId' | 'citizenId' | 'pairingId' | 'scopes'>,
  facts: AccessFacts,
  guard: Pick<DataCaller, 'holds' | 'remembered'>,
  now = new Date(),
): DataCaller {
  const categories = new Set<string>();
  for (const consent of facts.pairing?.consents ?? []) categories.add(consent.category);
  return {
    idPe: who.idPe,
    serviceOid: who.serviceOid,
    clientId: who.clientId,
    citizenId: who.citizenId,
    pairingId: who.pairingId,
    scopes: who.scopes,
    decide: (category, action) => facts.decide({ category, action }, now),
    readableCategories: () =>
      [...categories].filter((category) => facts.decide({ category, action: 'read' }, now).permit),
    holds: guard.holds,
    remembered: guard.remembered,
  };
}

/** 503: the pairing, its consents or the service changed under every attempt of the call. */
function factsKeptChanging(): FhirError {
  return new FhirError(
    503,
    plainOutcome({
      severity: 'error',
      code: 'transient',
      text: 'The consents of this pairing changed during the request; send it again.',
    }),
  );
}

/**
 * Records an access event in the citizen's activity history (audit `data.access` on the citizen's own chain,
 * so calls for different citizens never wait for one another), while the caller's facts hold; throws
 * `staleFacts()` when they no longer did (nothing is recorded then). With the transaction of a write, the
 * event commits with the data; for reads and refusals, pass `ctx.db`.
 */
export async function recordDataAccess(
  db: Db,
  caller: DataCaller,
  access: {
    category: string;
    action: ConsentAction;
    outcome: 'permit' | 'deny';
    reason?: string;
    operation: string;
  },
): Promise<void> {
  const event = auditAppendCtes(
    accessEvent({ idPe: caller.idPe, serviceOid: caller.serviceOid, citizenId: caller.citizenId, ...access }),
    { onlyIf: sql`(select held from facts)` },
  );
  const result = await sql<{ held: boolean }>`${prepared}
    with facts as (select ${caller.holds} as held), ${event.ctes}
    select held from facts`.execute(db);
  if (result.rows[0]?.held !== true) throw staleFacts();
}

/** The access event `recordDataAccess` appends, for a use case that writes it within its own statement. */
export function dataAccessEvent(
  caller: DataCaller,
  access: { category: string; action: ConsentAction; outcome: 'permit' | 'deny'; operation: string },
): AuditEventInput {
  return accessEvent({
    idPe: caller.idPe,
    serviceOid: caller.serviceOid,
    citizenId: caller.citizenId,
    ...access,
  });
}
