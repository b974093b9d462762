/**
 * Dates and times as pages show them: in the reader's language, Paris time. The formatters are made once per
 * locale and style (making an `Intl.DateTimeFormat` costs a hundred times more than using one, and a list
 * shows a date per row).
 */
import type { Locale } from '../platform/i18n.ts';

export type DateStyle = 'day' | 'long-day' | 'date-time';

const options: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  day: { dateStyle: 'medium', timeZone: 'Europe/Paris' },
  'long-day': { dateStyle: 'long', timeZone: 'Europe/Paris' },
  'date-time': { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' },
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, style: DateStyle): Intl.DateTimeFormat {
  const key = `${locale}:${style}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', options[style]);
    formatters.set(key, made);
  }
  return made;
}

/** A date (or an ISO text) in the reader's language; `fallback` when there is none or it is not a date. */
export function formatDate(
  locale: Locale,
  date: Date | string | null | undefined,
  style: DateStyle = 'date-time',
  fallback = '—',
): string {
  if (!date) return fallback;
  const d = typeof date === 'string' ? new Date(date) : date;
  if (Number.isNaN(d.getTime())) return typeof date === 'string' ? date : fallback;
  return formatter(locale, style).format(d);
}

const calendarFormatters = new Map<Locale, Intl.DateTimeFormat>();

/**
 * A calendar day (`YYYY-MM-DD`: a birthdate, a majority date) in the reader's language, « 14 mars 1984 »: a day
 * has no time zone, so it is never shifted into the day before or after. The text as it is when not a day.
 */
export function formatCalendarDay(locale: Locale, day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(date.getTime())) return day;
  let made = calendarFormatters.get(locale);
  if (!made) {
    made = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
      dateStyle: 'long',
      timeZone: 'UTC',
    });
    calendarFormatters.set(locale, made);
  }
  return made.format(date);
}
