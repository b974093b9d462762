/**
 * « Mes documents »: the health documents the connected services placed in a citizen's profile (their own or a
 * minor's in their care), newest first, page by page, each with its download link (DSFR download link: the
 * file's format and size beside it).
 */
import { type ManagedCitizen, PersonSelect } from '../consent/index.ts';
import type { Locale, Translate } from '../platform/i18n.ts';
import { Pagination, TableFrame } from '../web/components.tsx';
import { formatDate } from '../web/dates.ts';
import { Page, type PageContext } from '../web/layout.tsx';
import type { CitizenDocument } from './service.ts';

export const DOCUMENTS_PATH = '/usager/documents';
export const documentFilePath = (documentId: string) => `${DOCUMENTS_PATH}/${documentId}/fichier`;

const FORMATS: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/tiff': 'TIFF',
  'text/plain': 'TXT',
  'text/rtf': 'RTF',
  'application/xml': 'XML',
  'text/xml': 'XML',
  'application/dicom': 'DICOM',
};

/** A file's format as a person names it: PDF, JPEG… (the media type's subtype otherwise). */
export function formatName(contentType: string): string {
  const type = contentType.split(';')[0].trim().toLowerCase();
  return FORMATS[type] ?? (type.split('/')[1] ?? type).toUpperCase();
}

const sizeFormats = new Map<Locale, Intl.NumberFormat>();

/** A size in bytes, ko or Mo, in the reader's language. */
export function sizeText(t: Translate, locale: Locale, bytes: number): string {
  let format = sizeFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 });
    sizeFormats.set(locale, format);
  }
  if (bytes < 1024) return t('documents_page.size.bytes', { n: format.format(bytes) });
  if (bytes < 1024 * 1024) return t('documents_page.size.kb', { n: format.format(bytes / 1024) });
  return t('documents_page.size.mb', { n: format.format(bytes / (1024 * 1024)) });
}

export function DocumentsPage({
  ctx,
  people,
  selected,
  documents,
  page,
  pages,
}: {
  ctx: PageContext;
  people: ManagedCitizen[];
  selected: ManagedCitizen;
  documents: CitizenDocument[];
  page: number;
  /** Pages known to exist (this one, and the next when there is one). */
  pages: number;
}) {
  const { t, locale } = ctx;
  const title = t('documents_page.title');
  const person = `personne=${encodeURIComponent(selected.id)}`;
  const pageHref = (n: number) => `${DOCUMENTS_PATH}?${person}${n > 1 ? `&page=${n}` : ''}`;
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['table', 'form', 'select', 'pagination']}
      breadcrumb={[
        [t('nav.citizen'), '/usager'],
        [title, DOCUMENTS_PATH],
      ]}
    >
      <h1>{title}</h1>
      <p class="fr-text--lead">
        {t('documents_page.lead')}
        {selected.self ? '' : ` — ${t('documents_page.for_minor', { name: selected.name })}`}
      </p>
      {people.length > 1 ? (
        <form method="get" action={DOCUMENTS_PATH} class="fr-mb-4w">
          <PersonSelect
            people={people}
            selected={selected}
            label={t('documents_page.person')}
            selfLabel={t('documents_page.who_self')}
          />
          <button type="submit" class="fr-btn fr-btn--secondary">
            {t('documents_page.show')}
          </button>
        </form>
      ) : null}
      {documents.length === 0 ? (
        page > 1 ? (
          <p>
            {t('documents_page.none_here')}{' '}
            <a class="fr-link" href={pageHref(1)}>
              {t('documents_page.first_page')}
            </a>
          </p>
        ) : (
          <p>
            {t('documents_page.none')}{' '}
            <a class="fr-link" href="/usager/services">
              {t('documents_page.to_services')}
            </a>
          </p>
        )
      ) : (
        <TableFrame
          caption={
            selected.self
              ? t('documents_page.caption_self')
              : t('documents_page.caption', { who: selected.name })
          }
        >
          <thead>
            <tr>
              <th scope="col">{t('documents_page.col.document')}</th>
              <th scope="col">{t('documents_page.col.type')}</th>
              <th scope="col">{t('documents_page.col.date')}</th>
              <th scope="col">{t('documents_page.col.service')}</th>
            </tr>
          </thead>
          <tbody>
            {documents.map((d) => (
              <tr key={d.id}>
                <td>
                  <a class="fr-link fr-link--download" href={documentFilePath(d.id)} download>
                    {t('documents_page.download', { title: d.title })}
                    <span class="fr-link__detail">
                      {t('documents_page.detail', {
                        format: formatName(d.contentType),
                        size: sizeText(t, locale, d.size),
                      })}
                    </span>
                  </a>
                </td>
                <td>{d.typeLabel ?? '—'}</td>
                <td>{formatDate(locale, d.date, 'day')}</td>
                <td>{d.serviceName ?? d.serviceOid}</td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      )}
      <Pagination ctx={ctx} page={page} pages={pages} href={pageHref} label={t('documents_page.pages')} />
    </Page>
  );
}
