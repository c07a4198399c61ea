/** Reading the challenge forms' fields (FormData) into the API's JSON. */

/** A text field, trimmed ("" when absent). */
export function textField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
}

/** A number field; undefined when left blank (the API's default applies). */
export function numberField(form: FormData, name: string): number | undefined {
  const text = textField(form, name);
  return text === "" ? undefined : Number(text);
}

/** The text of a chosen file; undefined when none was chosen. */
export async function fileText(form: FormData, name: string): Promise<string | undefined> {
  const value = form.get(name);
  if (typeof value === "string" || value === null || value.size === 0) return undefined;
  return value.text();
}

/** Ids typed as `3, 7 12`: each a whole number, else a readable error naming the field. */
export function idList(text: string, what: string): number[] {
  const parts = text.split(/[\s,]+/).filter((p) => p !== "");
  const bad = parts.filter((p) => !/^\d+$/.test(p) || Number(p) < 1);
  if (bad.length > 0) throw new Error(`${what}: ${bad.join(", ")} ${bad.length === 1 ? "is" : "are"} not an id`);
  return [...new Set(parts.map(Number))];
}
