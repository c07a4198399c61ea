import { describe, expect, it } from "vitest";
import { DataNounParseError, parseDataNoun, parseDataNounLine } from "./parse-data-noun.ts";

const DOG =
  '02084071 05 n 03 dog 0 domestic_dog 0 Canis_familiaris 0 004 @ 02083346 n 0000 @ 01317541 n 0000 #m 02083863 n 0000 ~ 01322604 n 0000 | a member of the genus Canis; "the dog barked all night"  ';
const PARIS =
  "08851034 15 n 04 Paris 0 City_of_Light 0 French_capital 0 capital_of_France 0 002 @i 08524735 n 0000 #p 08846626 n 0000 | the capital and largest city of France  ";

describe("parseDataNounLine", () => {
  it("reads lemmas in order with underscores as spaces, the gloss and the lexicographer file", () => {
    const dog = parseDataNounLine(DOG);
    expect(dog).toEqual({
      offset: 2084071,
      lexFile: "noun.animal",
      lemmas: ["dog", "domestic dog", "Canis familiaris"],
      gloss: 'a member of the genus Canis; "the dog barked all night"',
      hypernyms: [2083346, 1317541],
      instanceHypernyms: [],
    });
  });

  it("keeps instance hypernyms apart from class hypernyms and ignores other pointers", () => {
    const paris = parseDataNounLine(PARIS);
    expect(paris?.hypernyms).toEqual([]);
    expect(paris?.instanceHypernyms).toEqual([8524735]);
    expect(paris?.lexFile).toBe("noun.location");
  });

  it("reads a hexadecimal word count", () => {
    const words = Array.from({ length: 16 }, (_, i) => `w${i} 0`).join(" ");
    const line = `00000001 03 n 10 ${words} 000 | many words`;
    expect(parseDataNounLine(line)?.lemmas).toHaveLength(16);
  });

  it("skips licence header lines and rejects truncated ones", () => {
    expect(parseDataNounLine("  1 This software and database is being provided")).toBeNull();
    expect(() => parseDataNounLine("02084071 05 n 03 dog 0", 7)).toThrow(DataNounParseError);
    expect(() => parseDataNounLine("02084071 05 v 01 run 0 000 | go", 7)).toThrow(/line 7/);
  });

  it("parses a whole file", () => {
    expect(parseDataNoun(`  header\n${DOG}\n${PARIS}\n`).map((s) => s.offset)).toEqual([2084071, 8851034]);
  });
});
