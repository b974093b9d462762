/**
 * One error type per failure family, each with a stable code, an HTTP status and a message for a person.
 * Messages are message-catalog keys (see src/platform/i18n.ts) so a client gets them in its language;
 * `params` fill the placeholders.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly params: Record<string, string | number>;
  /** Per-field problems of a form or body, as message keys. */
  readonly fields: Record<string, string>;

  constructor(
    code: string,
    status: number,
    messageKey: string,
    params: Record<string, string | number> = {},
    fields: Record<string, string> = {},
  ) {
    super(messageKey);
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.params = params;
    this.fields = fields;
  }
}

export const badRequest = (key: string, params?: Record<string, string | number>) =>
  new AppError('bad_request', 400, key, params);
export const validationFailed = (fields: Record<string, string>, key = 'error.validation') =>
  new AppError('validation_failed', 422, key, {}, fields);
export const unauthenticated = (key = 'error.unauthenticated') => new AppError('unauthenticated', 401, key);
export const forbidden = (key = 'error.forbidden') => new AppError('forbidden', 403, key);
export const notFound = (key = 'error.not_found') => new AppError('not_found', 404, key);
export const conflict = (key: string, params?: Record<string, string | number>) =>
  new AppError('conflict', 409, key, params);
export const tooManyRequests = (key = 'error.too_many_requests', params?: Record<string, string | number>) =>
  new AppError('too_many_requests', 429, key, params);

/** The embedded database is held by another mesref process. */
export class DatabaseBusyError extends Error {
  readonly holderPid: number;
  constructor(dataDir: string, holderPid: number) {
    super(
      `La base embarquée ${dataDir} est déjà ouverte par un autre processus mesref (pid ${holderPid}). ` +
        'Arrêtez-le ou utilisez DATABASE_URL pour partager un serveur PostgreSQL. ' +
        `/ The embedded database is already open in another mesref process (pid ${holderPid}).`,
    );
    this.name = 'DatabaseBusyError';
    this.holderPid = holderPid;
  }
}
