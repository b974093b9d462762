/**
 * The reference client: what a publisher's application does against Mon espace santé, step by step, run
 * against a connection-test session of the sandbox. Each step is what a test plan checks:
 *   1. pairing: authorization code with PKCE S256, code exchange, refresh (plan `pairing`);
 *   2. a valid push per measure category the service declared, the last measure, a period with `_count` ≤ 100
 *      (plan `mesures`); ITI-65 provide, ITI-67 search, ITI-68 retrieve (plan `documents`);
 *   3. the platform refuses the next push (422: logged, never resent), the citizen withdraws a category's
 *      consent (403: that category is no longer written), the citizen unpairs the service (401: tokens
 *      forgotten, the client stops).
 * See README.md. Run it with `mesref demo-client --session <id>` or `npx tsx examples/reference-client/main.ts`.
 */
import { FAULTS, type Fault, MesClient, PairingEnded, type PushOutcome } from './fhir.ts';
import { type ClientAuth, OAuthClient, TokenError } from './oauth.ts';
import { SessionApi } from './platform.ts';
import {
  type MeasureKind,
  measureKindOf,
  observation,
  provideBundle,
  pushBundle,
  type Subject,
  samplePdf,
  scale,
} from './resources.ts';

export { FAULTS, type Fault };

/** A data category the service declared, with what it may do in it. */
export interface DeclaredCategory {
  /** The category's code: `poids`, `pression-arterielle`, `documents`… */
  code: string;
  read: boolean;
  write: boolean;
}

export interface ReferenceClientOptions {
  /** The deployment's public URL (`MESREF_PUBLIC_URL`), e.g. `https://sandbox.mesref.example`. */
  baseUrl: string;
  /** The connection-test session, and the headers of its API (a personal API token). */
  session: { id: string; headers: Record<string, string> };
  /** The session's OAuth client: its id (`sandbox-…`), a registered redirect URI, its credentials. */
  clientId: string;
  redirectUri: string;
  auth: ClientAuth;
  /** The service's test OID (`meta.source` is under it). */
  oid: string;
  /** `urn:oid:<OID root>.0`: the system of idPe in this deployment. */
  idPeSystem: string;
  /** The test citizen (`sub` of one of the session's test citizens). */
  citizen: string;
  finalites: string[];
  categories: DeclaredCategory[];
  fault?: Fault;
  log?: (line: string) => void;
}

export interface ReferenceClientRun {
  paired: boolean;
  /** Why it stopped early: pairing refused, or the pairing ended (401). */
  stopped?: 'pairing-refused' | 'pairing-ended';
  pushes: Array<{ category: string; outcome: PushOutcome }>;
  log: string[];
}

/** The scopes of the declared categories: `<category>.read` and `<category>.write`. */
export function scopeOf(categories: DeclaredCategory[]): string {
  const scopes = ['openid', 'offline_access'];
  for (const c of categories) {
    if (c.read) scopes.push(`${c.code}.read`);
    if (c.write) scopes.push(`${c.code}.write`);
  }
  return scopes.join(' ');
}

/** `YYYY-MM-DD` of a day `days` from now. */
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export async function runReferenceClient(options: ReferenceClientOptions): Promise<ReferenceClientRun> {
  const lines: string[] = [];
  const log = (line: string) => {
    lines.push(line);
    options.log?.(line);
  };
  const run: ReferenceClientRun = { paired: false, pushes: [], log: lines };
  const { fault } = options;
  const platform = new SessionApi(options.baseUrl, options.session.id, options.session.headers);
  const oauth = new OAuthClient({
    baseUrl: options.baseUrl,
    clientId: options.clientId,
    redirectUri: options.redirectUri,
    auth: options.auth,
  });

  // ── 1. pairing ──────────────────────────────────────────────────────────
  const pending = await oauth.authorizationRequest(scopeOf(options.categories), {
    pkce: fault !== 'no-pkce',
  });
  log(
    `appariement : demande d’autorisation${pending.verifier ? ' (PKCE S256)' : ' sans PKCE (défaut no-pkce)'}`,
  );
  const redirectTo = await platform.authorize({
    authorizationUrl: pending.url,
    citizen: options.citizen,
    finalites: options.finalites,
    decision: 'autoriser',
  });
  let pairing: Awaited<ReturnType<OAuthClient['exchange']>>;
  try {
    const code = await oauth.codeOf(redirectTo, pending);
    pairing = await oauth.exchange(code, pending);
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    log(`appariement refusé : ${error.message}`);
    return { ...run, stopped: 'pairing-refused' };
  }
  run.paired = true;
  log(`appariement : jetons obtenus (portée « ${pairing.tokens.scope} »)`);
  const who: Subject = { idPe: pairing.idPe, idPeSystem: options.idPeSystem, oid: options.oid };
  const mes = new MesClient(oauth, pairing.tokens, `${options.baseUrl}/fhir`, log, fault);

  // The access token lasts minutes: a real application refreshes it when it is about to expire (the client
  // does so by itself); once here, so that the refresh is shown working.
  await mes.refresh();

  const measures = options.categories
    .map((c) => ({ declared: c, kind: measureKindOf(c.code) }))
    .filter((m): m is { declared: DeclaredCategory; kind: MeasureKind } => m.kind !== undefined);
  const writable = measures.filter((m) => m.declared.write && m.kind.pushable !== false);
  const readable = measures.filter((m) => m.declared.read);
  for (const m of measures.filter((m) => m.declared.write && m.kind.pushable === false)) {
    log(`push ${m.kind.category} : MES n’accepte pas de push de cette catégorie`);
  }
  const documents = options.categories.find((c) => c.code === 'documents');
  let minute = 0;
  /** A new measure each time (a minute apart): never the same payload twice. */
  const newMeasure = (kind: MeasureKind) => {
    const at = new Date(Date.now() - 3_600_000 + minute++ * 60_000);
    const obs = observation(kind, who, at, { wrongUnit: fault === 'wrong-unit' });
    return pushBundle(obs, kind.category === 'poids' ? scale() : undefined);
  };
  const push = async (kind: MeasureKind) => {
    const outcome = await mes.push(kind.category, newMeasure(kind));
    run.pushes.push({ category: kind.category, outcome });
    return outcome;
  };
  /** What the application does each time it syncs: send its new measures, read the last ones. */
  const sync = async () => {
    for (const m of writable) await push(m.kind);
    for (const m of readable) await mes.last(m.kind.category, m.kind.code, who.idPeSystem, who.idPe);
  };

  try {
    // ── 2. measures and documents ───────────────────────────────────────
    await sync();
    if (readable[0]) {
      const { kind } = readable[0];
      await mes.all(kind.category, kind.code, who.idPeSystem, who.idPe, { from: day(-30), to: day(1) });
    }
    if (documents?.write) {
      const binaryId = await mes.provide(provideBundle(who, samplePdf(`mesref ${Date.now()}`), new Date()));
      if (binaryId) log(`document déposé (Binary/${binaryId})`);
    }
    if (documents?.read) {
      const [first] = await mes.documents(who.idPeSystem, who.idPe);
      const url = String(
        (first?.content as Array<{ attachment?: { url?: string } }> | undefined)?.[0]?.attachment?.url ?? '',
      );
      const binaryId = /Binary\/([^/]+)$/.exec(url)?.[1];
      if (binaryId) await mes.retrieve(binaryId);
    }

    // ── 3. what MES may answer, and how the application reacts ─────────
    const target = writable[0]?.kind;
    if (target) {
      log('plateforme : le prochain push sera refusé (refuse-next-push)');
      await platform.act({ action: 'refuse-next-push', citizen: options.citizen });
      await push(target);
      // The application goes on with new measures; the refused one is not sent again.
      await push(target);

      log(`plateforme : l’usager retire son consentement à l’écriture « ${target.category} »`);
      await platform.act({ action: 'withdraw-consent', citizen: options.citizen, category: target.category });
      await push(target);
      await sync();
    }

    log('plateforme : l’usager désapparie le service (unpair)');
    await platform.act({ action: 'unpair', citizen: options.citizen });
    await sync();
    if (documents?.read) await mes.documents(who.idPeSystem, who.idPe);
    log('fin : aucun appel refusé en 401 (inattendu après un désappariement)');
  } catch (error) {
    if (!(error instanceof PairingEnded)) throw error;
    return { ...run, stopped: 'pairing-ended' };
  }
  return run;
}
