/**
 * Reading a form's fields as fastify leaves them (url-encoded or multipart with `attachFieldsToBody:
 * 'keyValues'`): a field sent twice is an array; anything that is not text reads as empty.
 */

export type FormBody = Record<string, unknown> | undefined;

/** The last value sent for a field (a field sent twice keeps its last value, as browsers mean it). */
export function lastValue(value: unknown): unknown {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** A text field ('' when absent or not text). */
export function formField(body: unknown, name: string): string {
  const value = lastValue((body as FormBody)?.[name]);
  return typeof value === 'string' ? value : '';
}

/** Every text value of a repeated field (checkboxes, multiple selects). */
export function formFields(body: unknown, name: string): string[] {
  const value = (body as FormBody)?.[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string');
}
