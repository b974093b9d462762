/**
 * The FHIR side of the reference client, and how it reacts to MES's answers:
 * - 422 (the payload is invalid or refused): log the OperationOutcome's diagnostics and never send that
 *   payload again: the same bytes would be refused again, or stored twice if the refusal was temporary.
 * - 403 (no consent in force for this category and action): stop writing (or reading) that category; the
 *   citizen decides, a retry changes nothing.
 * - 401 (the pairing is over: consent withdrawn everywhere, service unpaired or suspended): forget the
 *   tokens and stop; only a new pairing by the citizen starts again.
 * The access token is refreshed shortly before it expires, so a 401 always means the pairing ended.
 */
import { createHash } from 'node:crypto';
import type { OAuthClient, Tokens } from './oauth.ts';
import type { Json } from './resources.ts';

/** A deliberate mistake, for the connection tests of the platform: each changes one behaviour. */
export type Fault = 'no-pkce' | 'wrong-unit' | 'retry-422' | 'ignore-403';
export const FAULTS: readonly Fault[] = ['no-pkce', 'wrong-unit', 'retry-422', 'ignore-403'];

/** The pairing ended (401): the tokens are forgotten, nothing more is sent. */
export class PairingEnded extends Error {}

export type PushOutcome = 'accepted' | 'invalid' | 'refused' | 'skipped';

export interface Answer {
  status: number;
  body: Json;
}

const REFRESH_MARGIN_MS = 30_000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The diagnostics (or texts) of an OperationOutcome, for the log. */
export function diagnosticsOf(body: Json): string[] {
  const issues = Array.isArray(body.issue) ? (body.issue as Json[]) : [];
  return issues.map((i) => {
    const where = Array.isArray(i.expression) ? ` (${(i.expression as string[]).join(', ')})` : '';
    const text = (i.details as Json | undefined)?.text;
    return `${String(i.diagnostics ?? text ?? i.code)}${where}`;
  });
}

export class MesClient {
  private tokens?: Tokens;
  /** Categories the citizen does not let us write (403): not written again until a new consent. */
  readonly noWrite = new Set<string>();
  /** Categories the citizen does not let us read (403). */
  readonly noRead = new Set<string>();
  /** SHA-256 of every payload answered 422: never sent again. */
  private readonly refused = new Set<string>();

  constructor(
    private readonly oauth: OAuthClient,
    tokens: Tokens,
    private readonly fhirBase: string,
    private readonly log: (line: string) => void,
    private readonly fault?: Fault,
  ) {
    this.tokens = tokens;
  }

  get paired(): boolean {
    return this.tokens !== undefined;
  }

  /** The access token, refreshed first when it expires within 30 seconds. */
  private async accessToken(): Promise<string> {
    if (!this.tokens) throw new PairingEnded('appariement terminé');
    if (this.tokens.expiresAt - Date.now() < REFRESH_MARGIN_MS) await this.refresh();
    return (this.tokens as Tokens).accessToken;
  }

  /** Refreshes the tokens (the refresh token rotates: the new one replaces the old one). */
  async refresh(): Promise<void> {
    if (!this.tokens?.refreshToken) throw new PairingEnded('pas de jeton de rafraîchissement');
    try {
      this.tokens = await this.oauth.refresh(this.tokens.refreshToken);
      this.log('jeton rafraîchi (le jeton de rafraîchissement a tourné)');
    } catch (error) {
      this.forget(`rafraîchissement refusé : ${(error as Error).message}`);
      throw new PairingEnded('rafraîchissement refusé');
    }
  }

  private forget(reason: string): void {
    this.tokens = undefined;
    this.log(`${reason} : jetons oubliés, arrêt (un nouvel appariement sera nécessaire)`);
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    body?: string,
    accept = 'application/fhir+json',
  ): Promise<Answer & { bytes: Buffer }> {
    const token = await this.accessToken();
    const res = await fetch(`${this.fhirBase}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept,
        ...(body !== undefined ? { 'content-type': 'application/fhir+json' } : {}),
      },
      body,
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    let json: Json = {};
    if ((res.headers.get('content-type') ?? '').includes('json')) {
      try {
        json = JSON.parse(bytes.toString('utf8')) as Json;
      } catch {
        json = {};
      }
    }
    if (res.status === 401) {
      this.forget(`${method} ${path} : 401`);
      throw new PairingEnded('401');
    }
    return { status: res.status, body: json, bytes };
  }

  /**
   * Pushes one measure Bundle of a category. A category refused with 403 is not written again; a payload
   * refused with 422 is never sent again.
   */
  async push(category: string, bundle: Json): Promise<PushOutcome> {
    if (this.noWrite.has(category)) {
      this.log(`push ${category} : non envoyé, l’usager ne nous permet plus d’écrire cette catégorie`);
      return 'skipped';
    }
    const payload = JSON.stringify(bundle);
    const hash = sha256(payload);
    if (this.refused.has(hash)) {
      this.log(`push ${category} : non envoyé, ce contenu a déjà été refusé (422)`);
      return 'skipped';
    }
    let answer = await this.call('POST', '', payload);
    if (answer.status === 422 && this.fault === 'retry-422') {
      // Fault: a blind retry of the very payload MES refused.
      this.log(`push ${category} : 422, nouvel essai à l’identique (défaut retry-422)`);
      answer = await this.call('POST', '', payload);
    }
    return this.pushOutcome(category, hash, answer);
  }

  private pushOutcome(category: string, hash: string, answer: Answer): PushOutcome {
    if (answer.status === 200) {
      this.log(`push ${category} : accepté`);
      return 'accepted';
    }
    if (answer.status === 422) {
      this.refused.add(hash);
      this.log(`push ${category} : 422, contenu refusé, il ne sera pas renvoyé :`);
      for (const line of diagnosticsOf(answer.body)) this.log(`  - ${line}`);
      return 'invalid';
    }
    if (answer.status === 403) {
      if (this.fault === 'ignore-403') {
        this.log(`push ${category} : 403 ignoré (défaut ignore-403)`);
      } else {
        this.noWrite.add(category);
        this.log(`push ${category} : 403, consentement absent : plus d’écriture dans cette catégorie`);
      }
      return 'refused';
    }
    throw new Error(`push ${category} : ${answer.status} ${diagnosticsOf(answer.body).join(' ; ')}`);
  }

  /** A read of a category: 403 stops reading that category. Returns undefined when it was refused. */
  private async read(category: string, path: string): Promise<Json | undefined> {
    if (this.noRead.has(category)) return undefined;
    const answer = await this.call('GET', path);
    if (answer.status === 403) {
      this.noRead.add(category);
      this.log(`lecture ${category} : 403, plus de lecture dans cette catégorie`);
      return undefined;
    }
    if (answer.status !== 200) {
      throw new Error(`GET ${path} : ${answer.status} ${diagnosticsOf(answer.body).join(' ; ')}`);
    }
    return answer.body;
  }

  private subjectParam(system: string, idPe: string): string {
    return `subject.identifier=${encodeURIComponent(`${system}|${idPe}`)}`;
  }

  /** "last" mode: the newest measure of a code (`_sort=-date&_count=1`). */
  async last(category: string, code: string, system: string, idPe: string): Promise<Json | undefined> {
    const path = `/Observation?code=${encodeURIComponent(code)}&${this.subjectParam(system, idPe)}&_sort=-date&_count=1`;
    const bundle = await this.read(category, path);
    const entry = (bundle?.entry as Json[] | undefined)?.[0];
    if (bundle) this.log(`dernière mesure ${code} : ${entry ? 'trouvée' : 'aucune'}`);
    return entry?.resource as Json | undefined;
  }

  /** "all" mode: the measures of a period, 100 a page at most (MES refuses more), every page. */
  async all(
    category: string,
    code: string,
    system: string,
    idPe: string,
    period: { from: string; to: string },
  ): Promise<Json[]> {
    const found: Json[] = [];
    for (let page = 0; ; page++) {
      const path =
        `/Observation?code=${encodeURIComponent(code)}&${this.subjectParam(system, idPe)}` +
        `&date=ge${period.from}&date=le${period.to}&_count=100&_offset=${page}`;
      const bundle = await this.read(category, path);
      if (!bundle) return found;
      const entries = (bundle.entry as Json[] | undefined) ?? [];
      found.push(...entries.map((e) => e.resource as Json));
      const next = ((bundle.link as Json[] | undefined) ?? []).some((l) => l.relation === 'next');
      if (!next || entries.length === 0) break;
    }
    this.log(`mesures ${code} de la période : ${found.length}`);
    return found;
  }

  /** ITI-65: provides the documents of a Bundle. Returns the stored Binary's id when accepted. */
  async provide(bundle: Json): Promise<string | undefined> {
    const category = 'documents';
    if (this.noWrite.has(category)) return undefined;
    const payload = JSON.stringify(bundle);
    const hash = sha256(payload);
    if (this.refused.has(hash)) return undefined;
    const answer = await this.call('POST', '', payload);
    if (this.pushOutcome(category, hash, answer) !== 'accepted') return undefined;
    const locations = ((answer.body.entry as Json[]) ?? []).map((e) =>
      String((e.response as Json).location ?? ''),
    );
    return locations.find((l) => l.startsWith('Binary/'))?.split('/')[1];
  }

  /** ITI-67: the citizen's current documents. */
  async documents(system: string, idPe: string): Promise<Json[]> {
    const patient = encodeURIComponent(`${system}|${idPe}`);
    const bundle = await this.read(
      'documents',
      `/DocumentReference?patient.identifier=${patient}&status=current`,
    );
    const found = ((bundle?.entry as Json[] | undefined) ?? []).map((e) => e.resource as Json);
    if (bundle) this.log(`documents trouvés : ${found.length}`);
    return found;
  }

  /** ITI-68: a document's bytes, from its `Binary/<id>` attachment URL. */
  async retrieve(binaryId: string): Promise<Buffer | undefined> {
    if (this.noRead.has('documents')) return undefined;
    const answer = await this.call('GET', `/Binary/${binaryId}`, undefined, '*/*');
    if (answer.status !== 200) {
      if (answer.status === 403) this.noRead.add('documents');
      this.log(`document ${binaryId} : ${answer.status}`);
      return undefined;
    }
    this.log(`document ${binaryId} : ${answer.bytes.length} octets`);
    return answer.bytes;
  }
}
