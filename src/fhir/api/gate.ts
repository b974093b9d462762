/**
 * Who calls the FHIR exchange API and what they may do: the bearer token verified (src/oauth/verify.ts), and
 * the consent facts of its pairing read in the same step, once per call. Every read and write asks `decide`
 * for its data category; no decision outlives the call, so a withdrawal stops the very next one.
 */
import type { AppContext } from '../../app.ts';
import type { AuditEventInput } from '../../audit/index.ts';
import { accessEvent, type ConsentAction, type Decision, recordAccess } from '../../consent/index.ts';
import { verifyServiceCall } from '../../oauth/verify.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/index.ts';

export interface DataCaller {
  /** The citizen's pseudonymous identifier for this service (idPe). */
  idPe: string;
  serviceOid: string;
  clientId: string;
  citizenId: string;
  pairingId: string;
  scopes: string[];
  /** Consent decision for one data category and action, on the facts read once at the start of this call. */
  decide(category: string, action: ConsentAction): Decision;
  /** The data categories this call may read. */
  readableCategories(): string[];
}

/**
 * The identifier system of idPe in the exchange API (`subject.identifier.system`): the OID arc `.0` under the
 * deployment's root, which services' OIDs (`.1`, `.2`…) never take.
 */
export function idPeSystemOf(config: Pick<Config, 'oidRoot'>): string {
  return `urn:oid:${config.oidRoot}.0`;
}

/** Verifies the bearer token (401 invalid, 409 OID conflict) and reads the consent facts in the same step. */
export async function dataCaller(
  ctx: Pick<AppContext, 'db' | 'config' | 'keys'>,
  authorization: string | undefined,
): Promise<DataCaller> {
  const { token, facts } = await verifyServiceCall(ctx, authorization);
  const now = new Date();
  const categories = new Set<string>();
  for (const consent of facts.pairing?.consents ?? []) categories.add(consent.category);
  return {
    idPe: token.idPe,
    serviceOid: token.serviceOid,
    clientId: token.clientId,
    citizenId: token.citizenId,
    pairingId: token.pairingId,
    scopes: token.scopes,
    decide: (category, action) => facts.decide({ category, action }, now),
    readableCategories: () =>
      [...categories].filter((category) => facts.decide({ category, action: 'read' }, now).permit),
  };
}

/**
 * Records an access event in the citizen's activity history (audit `data.access` on the citizen's own chain,
 * so calls for different citizens never wait for one another). With the transaction of a write, the event
 * commits with the data; for reads and refusals, pass `ctx.db`.
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
  await recordAccess(db, {
    idPe: caller.idPe,
    serviceOid: caller.serviceOid,
    citizenId: caller.citizenId,
    ...access,
  });
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
