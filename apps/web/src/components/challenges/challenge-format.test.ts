import { describe, expect, it } from "vitest";
import { formatError, formatUtc, guessSubmissionFormat, utcInputToIso, utcInputValue } from "./challenge-format";

describe("UTC times", () => {
  it("writes an instant in UTC to the minute, whatever the server's zone", () => {
    expect(formatUtc("2026-03-01T14:05:59.999Z")).toBe("2026-03-01 14:05 UTC");
    expect(formatUtc("2026-03-01T23:30:00+02:00")).toBe("2026-03-01 21:30 UTC");
    expect(formatUtc("soon")).toBe("soon");
  });

  it("reads a datetime-local value as UTC, and refuses what is not one", () => {
    expect(utcInputToIso("2026-03-01T14:05", "start")).toBe("2026-03-01T14:05:00.000Z");
    expect(utcInputToIso(" 2026-03-01T14:05:30 ", "start")).toBe("2026-03-01T14:05:30.000Z");
    expect(() => utcInputToIso("", "start")).toThrow("start: give a date and time (UTC)");
    expect(() => utcInputToIso("2026-03-01", "end")).toThrow("end: give a date and time (UTC)");
    expect(() => utcInputToIso("2026-13-41T99:99", "end")).toThrow("end: 2026-13-41T99:99 is not a date");
    expect(utcInputValue(new Date("2026-03-01T14:05:30Z"))).toBe("2026-03-01T14:05");
  });
});

describe("formatError", () => {
  it("writes a rate as a percentage with two decimals", () => {
    expect(formatError(0.15321)).toBe("15.32%");
    expect(formatError(0)).toBe("0.00%");
    expect(formatError(null)).toBe("—");
  });
});

describe("guessSubmissionFormat", () => {
  it("goes by the file's extension first", () => {
    expect(guessSubmissionFormat("preds.CSV", "1 2 3")).toBe("csv");
    expect(guessSubmissionFormat("preds.jsonl", "1 2 3")).toBe("jsonl");
  });

  it("else reads the first non-blank line as the CLI does", () => {
    expect(guessSubmissionFormat("preds.txt", "\n\n12 4 5 900 1\n3 4\n")).toBe("devkit");
    expect(guessSubmissionFormat("preds.txt", "\uFEFF1 2\r\n")).toBe("devkit");
    expect(guessSubmissionFormat("preds", "image_id,predictions\na,n01440764\n")).toBe("csv");
    expect(guessSubmissionFormat("out", '{"imageId": "a", "wnids": []}\n')).toBe("jsonl");
  });

  it("answers null when nothing tells", () => {
    expect(guessSubmissionFormat("preds.txt", "")).toBeNull();
    expect(guessSubmissionFormat("preds.txt", "n01440764 n01443537")).toBeNull();
  });
});
