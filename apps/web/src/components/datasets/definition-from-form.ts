/** Turns the dataset form's fields into the definition the API takes. */

export type ClassMode = "wnids" | "subtree" | "ilsvrc2012";
export type SplitMode = "fractions" | "counts";
export type Conflicts = "report" | "drop-ancestors" | "drop-descendants";
export interface Conflict {
  ancestor: string;
  descendant: string;
}

/** The ancestor/descendant pairs in a refusal's `detail` (`{conflicts: [...]}`), or none. */
export function conflictsIn(detail: unknown): Conflict[] {
  const conflicts = (detail as { conflicts?: unknown } | null | undefined)?.conflicts;
  if (!Array.isArray(conflicts)) return [];
  return conflicts.filter((c): c is Conflict => typeof c?.ancestor === "string" && typeof c?.descendant === "string");
}

const words = (text: FormDataEntryValue | null) =>
  String(text ?? "")
    .split(/[\s,;]+/)
    .filter(Boolean);
/** A number field: blank means "not given" (the server's default applies); anything else is sent as typed. */
const numberOf = (form: FormData, name: string) => {
  const text = String(form.get(name) ?? "").trim();
  return text === "" ? undefined : Number(text);
};

/** The definition as the API takes it (packages/core's datasetDefinitionSchema). */
export function definitionFrom(form: FormData, classMode: ClassMode, splitMode: SplitMode, conflicts: Conflicts) {
  const classes =
    classMode === "wnids"
      ? { kind: "wnids", wnids: words(form.get("wnids")) }
      : classMode === "subtree"
        ? { kind: "subtree", roots: words(form.get("roots")), minImages: numberOf(form, "minImages") }
        : { kind: "ilsvrc2012" };
  const splits =
    splitMode === "fractions"
      ? {
          mode: "fractions",
          train: numberOf(form, "train"),
          val: numberOf(form, "val"),
          test: numberOf(form, "test"),
        }
      : { mode: "counts", val: numberOf(form, "valCount"), test: numberOf(form, "testCount") };
  return {
    name: String(form.get("name") ?? "").trim(),
    description: String(form.get("description") ?? ""),
    classes,
    conflicts,
    includeDescendants: form.has("includeDescendants"),
    links: String(form.get("links")),
    maxPerClass: numberOf(form, "maxPerClass"),
    minPerClass: numberOf(form, "minPerClass"),
    splits,
    seed: numberOf(form, "seed"),
    // A held-out test set: its labels shown to nobody but the version's owner and admins, exported only by them.
    withholdLabels: form.has("withholdTestLabels") ? ["test"] : [],
  };
}
