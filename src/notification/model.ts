import type { Actor, OrganisationRole, StaffRole } from '../identity/index.ts';
import type { Db } from '../platform/db/index.ts';
import type { Catalog, Translate } from '../platform/i18n.ts';

/** Who a notification is for; the notifier resolves each to people and writes one row per person. */
export type Recipient =
  | { accountId: string }
  | { citizenId: string }
  /** The members of a publisher organisation (all roles when omitted); disabled accounts are skipped. */
  | { organisationId: string; roles?: OrganisationRole[] }
  /** Every enabled account holding that staff role. */
  | { staffRole: StaffRole };

export interface NotificationInput {
  recipients: Recipient[];
  /** A message-key prefix: the catalog holds `${kind}.subject` and `${kind}.body` (fr and en), with {param} placeholders. */
  kind: string;
  params?: Record<string, string | number>;
  /** A path of the site, e.g. /editeur/dossiers/<id>. */
  link?: string;
  /** Default true: also one mail per account recipient, in the account's language, with the absolute link. */
  email?: boolean;
}

export interface Notifier {
  /** Writes the notifications in the caller's transaction; returns the number of inbox rows written. */
  notify(trx: Db, input: NotificationInput): Promise<number>;
}

/** The person whose inbox it is: an account or a citizen. */
export type InboxOwner = { accountId: string } | { citizenId: string };

/** One notification as its owner reads it (the text is made in the reader's language when shown). */
export interface Notification {
  id: string;
  kind: string;
  params: Record<string, string | number>;
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
}

export const PAGE_SIZE = 30;

/** The inbox of an actor, or undefined for someone who has none (anonymous). */
export function inboxOwnerOf(actor: Actor): InboxOwner | undefined {
  if (actor.kind === 'account') return { accountId: actor.accountId };
  if (actor.kind === 'citizen') return { citizenId: actor.citizenId };
  return undefined;
}

/** How many pages a list of `total` items takes (at least one, so an empty inbox is page 1 of 1). */
export function pageCount(total: number, size = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / size));
}

/** A page number from a query or form value: a whole number from 1, else 1. */
export function pageNumber(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isSafeInteger(n) && n >= 1 ? n : 1;
}

/** A path of this site (`/…`), never another origin (`//host`, `/\host`) nor control characters. */
export function isSitePath(value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  return /^\/(?![/\\])/.test(value) && value.length <= 2000 && !/[\u0000-\u001f\u007f\\\s]/.test(value);
}

/**
 * Why an input cannot be notified, or undefined when it can. A kind without its messages, or a link that is
 * not a path of the site, is a programming error: the caller's code must change, not the person's input.
 */
export function inputProblem(catalog: Catalog, input: NotificationInput): string | undefined {
  for (const part of ['subject', 'body']) {
    if (!catalog[`${input.kind}.${part}`])
      return `unknown notification kind ${input.kind}: no ${part} message`;
  }
  if (input.link !== undefined && !isSitePath(input.link)) return `notification link is not a site path`;
  return undefined;
}

/**
 * Parameters in the reader's language: a value written `@some.key` is a message key (a state, an opinion),
 * translated when it is read, so one notification reads well in French and in English.
 */
export function localParams(
  t: Translate,
  params: Record<string, string | number> = {},
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params)) {
    out[name] = typeof value === 'string' && /^@[\w.-]+$/.test(value) ? t(value.slice(1)) : value;
  }
  return out;
}

/** The notification's text in the reader's language. */
export function notificationText(t: Translate, n: Pick<Notification, 'kind' | 'params'>): string {
  return t(`${n.kind}.body`, localParams(t, n.params));
}

/** The notification's subject in the reader's language. */
export function notificationSubject(t: Translate, n: Pick<Notification, 'kind' | 'params'>): string {
  return t(`${n.kind}.subject`, localParams(t, n.params));
}
