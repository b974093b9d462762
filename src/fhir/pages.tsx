import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app.ts';
import type { App } from '../platform/http.ts';
import type { Locale, Translate } from '../platform/i18n.ts';
import { Csrf } from '../web/components.tsx';
import { sendHtml as html, Page, type PageContext, renderPage } from '../web/layout.tsx';
import { type CheckedText, checkText, formatMessage, type Severity, type ValidationIssue } from './index.ts';
import { formatBytes, plural } from './messages.ts';

/** The page's place in the publisher space (espace éditeur). */
export const VALIDATION_PAGE = '/editeur/validation';

/** Beyond this many lines, only the lines near an issue are shown. */
const FULL_LISTING_LINES = 2000;
/** Lines shown before and after a line with an issue, in a partial listing. */
const CONTEXT_LINES = 3;
/** A longer line is cut (a minified resource is one line). */
const MAX_LINE_CHARS = 2000;

type Rules = 'mes' | 'ig';

interface FormValues {
  text: string;
  igOnly: boolean;
}

interface Result {
  /** The text validated, as it was sent. */
  text: string;
  /** The name of the uploaded file, when the text came from one. */
  fileName?: string;
  rules: Rules;
  checked: CheckedText;
}

// ── counting and ordering issues ────────────────────────────────────────────

const isError = (severity: Severity) => severity === 'error' || severity === 'fatal';

function countsText(t: Translate, locale: Locale, issues: readonly ValidationIssue[]): string {
  const errors = issues.filter((issue) => isError(issue.severity)).length;
  const warnings = issues.filter((issue) => issue.severity === 'warning').length;
  const information = issues.filter((issue) => issue.severity === 'information').length;
  const params = {
    errors: plural(t, 'fhir.count.error', errors, locale),
    warnings: plural(t, 'fhir.count.warning', warnings, locale),
    information: plural(t, 'fhir.count.information', information, locale),
  };
  return t(information > 0 ? 'fhir.page.counts_with_information' : 'fhir.page.counts', params);
}

/** Issues without a position first (they concern the whole resource), then in the order of the text. */
function inTextOrder(issues: readonly ValidationIssue[]): ValidationIssue[] {
  const key = (issue: ValidationIssue) =>
    issue.location ? issue.location.line * 1e7 + issue.location.column : -1;
  return [...issues].sort((a, b) => key(a) - key(b));
}

// ── components ──────────────────────────────────────────────────────────────

const badgeKind: Record<Severity, string> = {
  fatal: 'error',
  error: 'error',
  warning: 'warning',
  information: 'info',
};

/** The severity as a word (never a colour alone). */
function SeverityBadge({ ctx, severity }: { ctx: PageContext; severity: Severity }) {
  return (
    <span class={`fr-badge fr-badge--sm fr-badge--${badgeKind[severity]} fr-mr-1w`}>
      {ctx.t(`fhir.severity.${severity}`)}
    </span>
  );
}

/** What an issue says: its message, its element, and what MES itself answers, when known. */
function IssueText({ ctx, issue }: { ctx: PageContext; issue: ValidationIssue }) {
  const { t } = ctx;
  return (
    <>
      {formatMessage(issue.messageId, ctx.locale, issue.params)}
      <br />
      <span class="fr-text--sm">
        {t('fhir.page.element')} <code>{issue.expression}</code>
        {issue.mes ? (
          <>
            {' — '}
            {t('fhir.page.mes_answer')} <q lang="en">{issue.mes.diagnostic}</q>
          </>
        ) : null}
      </span>
    </>
  );
}

function ValidationForm({
  ctx,
  values,
  error,
  maxBytes,
}: {
  ctx: PageContext;
  values: FormValues;
  error?: string;
  maxBytes: number;
}) {
  const { t } = ctx;
  return (
    <form method="post" action={VALIDATION_PAGE} encType="multipart/form-data" id="formulaire">
      <Csrf ctx={ctx} />
      <div class={`fr-input-group${error ? ' fr-input-group--error' : ''}`}>
        <label class="fr-label" for="fhir-text">
          {t('fhir.page.text_label')}
          <span class="fr-hint-text">{t('fhir.page.text_hint')}</span>
        </label>
        <textarea
          class="fr-input"
          id="fhir-text"
          name="text"
          rows={14}
          spellcheck={false}
          autocomplete="off"
          aria-describedby="fhir-text-messages"
          aria-invalid={error ? 'true' : undefined}
          value={values.text}
        />
        <div class="fr-messages-group" id="fhir-text-messages" aria-live="polite">
          {error ? (
            <p class="fr-message fr-message--error" id="fhir-text-message-error">
              {error}
            </p>
          ) : null}
        </div>
      </div>
      <div class="fr-upload-group fr-mb-3w">
        <label class="fr-label" for="fhir-file">
          {t('fhir.page.file_label')}
          <span class="fr-hint-text">{t('fhir.page.file_hint', { max: formatBytes(t, maxBytes) })}</span>
        </label>
        <input
          class="fr-upload"
          type="file"
          id="fhir-file"
          name="file"
          accept=".json,application/json,application/fhir+json"
        />
      </div>
      <div class="fr-checkbox-group fr-mb-3w">
        <input type="checkbox" id="fhir-ig-only" name="igOnly" value="1" checked={values.igOnly} />
        <label class="fr-label" for="fhir-ig-only">
          {t('fhir.page.ig_only')}
          <span class="fr-hint-text">{t('fhir.page.ig_only_hint')}</span>
        </label>
      </div>
      <button class="fr-btn" type="submit">
        {t('fhir.page.submit')}
      </button>
    </form>
  );
}

/** The alert that sums the result up; `role="status"` so that it is announced. */
function Summary({ ctx, result }: { ctx: PageContext; result: Result }) {
  const { t } = ctx;
  const { checked } = result;
  const source = result.fileName
    ? t('fhir.page.source.file', { name: result.fileName })
    : t('fhir.page.source.text');
  if (checked.failure) {
    return (
      <div class="fr-alert fr-alert--error fr-mb-3w" role="status">
        <h3 class="fr-alert__title">{t('fhir.page.form_error')}</h3>
        <p>{t('fhir.outcome.internal')}</p>
      </div>
    );
  }
  const errors = checked.issues.some((issue) => isError(issue.severity));
  const warnings = checked.issues.some((issue) => issue.severity === 'warning');
  const kind = errors ? 'error' : warnings ? 'warning' : 'success';
  return (
    <div class={`fr-alert fr-alert--${kind} fr-mb-3w`} role="status">
      <h3 class="fr-alert__title">{t(errors ? 'fhir.page.invalid' : 'fhir.page.valid')}</h3>
      <p>{countsText(t, ctx.locale, checked.issues)}</p>
      <p>
        {t(`fhir.page.rules.${result.rules}`)} {source}
      </p>
    </div>
  );
}

function IssueList({ ctx, issues }: { ctx: PageContext; issues: readonly ValidationIssue[] }) {
  const { t } = ctx;
  return (
    <ol>
      {inTextOrder(issues).map((issue, index) => (
        <li key={`${index}-${issue.messageId}`} class="fr-mb-1w">
          <SeverityBadge ctx={ctx} severity={issue.severity} />
          {issue.location ? (
            <a href={`#ligne-${issue.location.line}`}>{t('fhir.page.at', issue.location)}</a>
          ) : (
            <strong>{t('fhir.page.no_location')}</strong>
          )}
          {t('fhir.page.colon')}
          <IssueText ctx={ctx} issue={issue} />
        </li>
      ))}
    </ol>
  );
}

interface ListingRow {
  kind: 'line' | 'gap';
  /** Line number (1-based), or for a gap the first line not shown. */
  line: number;
  /** For a gap: how many lines are not shown. */
  count?: number;
}

/** The rows of the listing: every line, or only those near an issue when the text is long. */
function listingRows(lineCount: number, issueLines: ReadonlySet<number>): ListingRow[] {
  if (lineCount <= FULL_LISTING_LINES) {
    return Array.from({ length: lineCount }, (_, i) => ({ kind: 'line' as const, line: i + 1 }));
  }
  const shown = new Set<number>();
  for (const line of issueLines) {
    for (let n = Math.max(1, line - CONTEXT_LINES); n <= Math.min(lineCount, line + CONTEXT_LINES); n++)
      shown.add(n);
  }
  const rows: ListingRow[] = [];
  let gapStart = 0;
  for (let n = 1; n <= lineCount; n++) {
    if (shown.has(n)) {
      if (gapStart) rows.push({ kind: 'gap', line: gapStart, count: n - gapStart });
      gapStart = 0;
      rows.push({ kind: 'line', line: n });
    } else if (!gapStart) gapStart = n;
  }
  if (gapStart) rows.push({ kind: 'gap', line: gapStart, count: lineCount - gapStart + 1 });
  return rows;
}

/**
 * The text with its line numbers, each issue right after the line it concerns. A table: each line is a row
 * whose header is its number, so that a screen reader says which line it is in.
 */
function Listing({ ctx, result }: { ctx: PageContext; result: Result }) {
  const { t } = ctx;
  // Lines as the validator counts them: a line feed ends a line; a carriage return before it is not shown.
  const lines = result.text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const byLine = new Map<number, ValidationIssue[]>();
  for (const issue of inTextOrder(result.checked.issues)) {
    if (!issue.location) continue;
    const line = Math.min(Math.max(1, issue.location.line), lines.length);
    byLine.set(line, [...(byLine.get(line) ?? []), issue]);
  }
  const rows = listingRows(lines.length, new Set(byLine.keys()));
  const partial = rows.some((row) => row.kind === 'gap');
  return (
    <>
      {partial ? (
        <p>
          {t('fhir.page.listing_partial', { lines: plural(t, 'fhir.count.line', lines.length, ctx.locale) })}
        </p>
      ) : null}
      <div class="fr-table fr-table--sm fr-table--no-caption">
        <div class="fr-table__wrapper">
          {/* Focusable, so that a long line can be scrolled with the keyboard. */}
          <section class="fr-table__container" tabindex={0} aria-labelledby="texte">
            <div class="fr-table__content">
              <table>
                <caption>{t('fhir.page.listing_caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('fhir.page.line')}</th>
                    <th scope="col">{t('fhir.page.text')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) =>
                    row.kind === 'gap' ? (
                      <tr key={`gap-${row.line}`}>
                        <th scope="row">…</th>
                        <td>
                          <em>
                            {t('fhir.page.gap', {
                              lines: plural(t, 'fhir.count.line', row.count ?? 0, ctx.locale),
                            })}
                          </em>
                        </td>
                      </tr>
                    ) : (
                      <ListingLine
                        key={`line-${row.line}`}
                        ctx={ctx}
                        number={row.line}
                        text={lines[row.line - 1]}
                        issues={byLine.get(row.line) ?? []}
                      />
                    ),
                  )}
                </tbody>
              </table>
            </div>
          </section>
        </div>
      </div>
    </>
  );
}

function ListingLine({
  ctx,
  number,
  text,
  issues,
}: {
  ctx: PageContext;
  number: number;
  text: string;
  issues: ValidationIssue[];
}) {
  const { t } = ctx;
  const cut = text.length > MAX_LINE_CHARS;
  return (
    <>
      <tr>
        <th scope="row" id={`ligne-${number}`}>
          {number}
        </th>
        <td>
          <pre class="fr-m-0">
            {cut ? text.slice(0, MAX_LINE_CHARS) : text}
            {cut ? <em>{t('fhir.page.line_cut', { count: text.length - MAX_LINE_CHARS })}</em> : null}
          </pre>
        </td>
      </tr>
      {issues.length > 0 ? (
        <tr>
          <th scope="row">
            <span class="fr-sr-only">{t('fhir.page.issues_of_line', { line: number })}</span>
          </th>
          <td>
            <ul class="fr-raw-list">
              {issues.map((issue, index) => (
                <li key={`${index}-${issue.messageId}`} class="fr-py-1v">
                  <SeverityBadge ctx={ctx} severity={issue.severity} />
                  {issue.location ? (
                    <span>
                      {t('fhir.page.at', issue.location)}
                      {t('fhir.page.colon')}
                    </span>
                  ) : null}
                  <IssueText ctx={ctx} issue={issue} />
                </li>
              ))}
            </ul>
          </td>
        </tr>
      ) : null}
    </>
  );
}

function ResultSection({ ctx, result }: { ctx: PageContext; result: Result }) {
  const { t } = ctx;
  const { issues } = result.checked;
  return (
    <section aria-labelledby="resultat" class="fr-mb-6w">
      <h2 id="resultat">{t('fhir.page.result_title')}</h2>
      <Summary ctx={ctx} result={result} />
      {issues.length > 0 ? (
        <>
          <h3>{t('fhir.page.issues_title')}</h3>
          <IssueList ctx={ctx} issues={issues} />
        </>
      ) : null}
      {result.checked.failure ? null : (
        <>
          <h3 id="texte">{t('fhir.page.listing_title')}</h3>
          <Listing ctx={ctx} result={result} />
        </>
      )}
    </section>
  );
}

function ValidationPage({
  ctx,
  values,
  maxBytes,
  result,
  error,
}: {
  ctx: PageContext;
  values: FormValues;
  maxBytes: number;
  result?: Result;
  error?: string;
}) {
  const { t } = ctx;
  let title = t('fhir.page.title');
  if (result) {
    const summary = result.checked.failure
      ? t('fhir.page.form_error')
      : result.checked.valid
        ? t('fhir.page.valid')
        : countsText(t, ctx.locale, result.checked.issues).replace(/\.$/, '');
    title = t('fhir.page.title_result', { summary });
  }
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['form', 'input', 'upload', 'checkbox', 'alert', 'badge', 'table']}
      breadcrumb={[
        [t('nav.publisher'), '/editeur'],
        [t('fhir.page.title'), VALIDATION_PAGE],
      ]}
    >
      <h1>{t('fhir.page.title')}</h1>
      <p class="fr-text--lead">{t('fhir.page.lead')}</p>
      <p>{t('fhir.page.privacy')}</p>
      {error ? (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <h2 class="fr-alert__title">{t('fhir.page.form_error')}</h2>
          <p>{error}</p>
        </div>
      ) : null}
      {result ? <ResultSection ctx={ctx} result={result} /> : null}
      <h2>{t(result ? 'fhir.page.again_title' : 'fhir.page.form_title')}</h2>
      <ValidationForm ctx={ctx} values={values} error={error} maxBytes={maxBytes} />
    </Page>
  );
}

// ── reading the form ────────────────────────────────────────────────────────

/** An uploaded file, as the multipart reader below leaves it in the body. */
interface Upload {
  fileName: string;
  bytes: Buffer;
  truncated: boolean;
}

type Body = Record<string, unknown> | undefined;

function last(value: unknown): unknown {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

function textField(body: Body, name: string): string {
  const value = last(body?.[name]);
  return typeof value === 'string' ? value : '';
}

function uploadField(body: Body): Upload | undefined {
  const value = last(body?.file) as Partial<Upload> | undefined;
  // Only the multipart reader makes a Buffer: a JSON body cannot pass for an upload.
  if (!value || typeof value !== 'object' || !Buffer.isBuffer(value.bytes)) return undefined;
  if (!value.fileName && value.bytes.length === 0) return undefined;
  return { fileName: String(value.fileName ?? ''), bytes: value.bytes, truncated: value.truncated === true };
}

// ── routes ──────────────────────────────────────────────────────────────────

/** « Valider une ressource », in the publisher space: paste or upload a resource, see each issue at its line. */
export function fhirPages(ctx: AppContext) {
  const maxBytes = ctx.config.fhirMaxResourceBytes;
  return async (app: App) => {
    // In this plugin's scope only. Fields come as text (the CSRF check reads `_csrf`); the file as bytes,
    // cut one byte past the limit so that an oversized file is told apart without being read whole.
    await app.register(multipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: false,
      limits: { fileSize: maxBytes, fieldSize: maxBytes + 1, files: 1, fields: 10, parts: 12 },
      async onFile(part) {
        const bytes = await part.toBuffer();
        (part as unknown as { value: Upload }).value = {
          fileName: part.filename,
          bytes,
          truncated: part.file.truncated,
        };
      },
    });
    const show = (
      request: FastifyRequest,
      reply: FastifyReply,
      status: number,
      options: { values?: FormValues; result?: Result; error?: string } = {},
    ) =>
      html(
        reply,
        status,
        renderPage(
          <ValidationPage
            ctx={request.pageContext()}
            values={options.values ?? { text: '', igOnly: false }}
            maxBytes={maxBytes}
            result={options.result}
            error={options.error}
          />,
        ),
      );

    // A form the multipart reader refuses (too many parts or files, a cut request) is shown again, with why.
    app.setErrorHandler((error, request, reply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      if (request.url.split('?')[0] === VALIDATION_PAGE && status >= 400 && status < 500) {
        return show(request, reply, status, { error: request.t('fhir.page.form_unreadable') });
      }
      throw error;
    });

    // Publishers' members and staff: the publisher space's own action (its home page declares the same).
    const config = { action: 'account.self' as const };

    app.get(VALIDATION_PAGE, { config, schema: { hide: true } }, (request, reply) =>
      show(request, reply, 200),
    );

    app.post(VALIDATION_PAGE, { config, schema: { hide: true } }, async (request, reply) => {
      const body = request.body as Body;
      const values: FormValues = { text: textField(body, 'text'), igOnly: textField(body, 'igOnly') === '1' };
      const upload = uploadField(body);
      const t = request.t;
      const tooLarge = t('fhir.page.too_large', { limit: formatBytes(t, maxBytes) });
      let text = values.text;
      if (upload) {
        if (upload.truncated || upload.bytes.length > maxBytes)
          return show(request, reply, 413, { values, error: tooLarge });
        text = new TextDecoder('utf-8').decode(upload.bytes);
      } else if (Buffer.byteLength(text, 'utf8') > maxBytes) {
        return show(request, reply, 413, { values: { ...values, text: '' }, error: tooLarge });
      }
      if (!upload && text.trim() === '')
        return show(request, reply, 400, { values, error: t('fhir.page.empty') });
      const rules: Rules = values.igOnly ? 'ig' : 'mes';
      const checked = checkText(text, { rules, maxBytes });
      if (checked.failure) {
        request.log.error(
          { err: { type: checked.failure.name, message: checked.failure.message } },
          'the validator failed on a resource',
        );
      }
      return show(request, reply, 200, {
        values,
        result: { text, fileName: upload?.fileName, rules, checked },
      });
    });
  };
}
