import { z } from "zod";

/** A WordNet noun synset id: "n" followed by the 8-digit offset of the synset in WordNet 3.0's data.noun. */
export const wnidSchema = z.string().regex(/^n\d{8}$/, 'a wnid is "n" followed by 8 digits, e.g. n02084071');

export type Wnid = z.infer<typeof wnidSchema>;

export const ROOT_WNID = "n00001740"; // entity

export function wnidFromOffset(offset: number): Wnid {
  return `n${String(offset).padStart(8, "0")}`;
}

export function offsetFromWnid(wnid: Wnid): number {
  return Number.parseInt(wnid.slice(1), 10);
}

export function isWnid(value: string): value is Wnid {
  return wnidSchema.safeParse(value).success;
}
