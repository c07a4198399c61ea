import { describe, expect, it } from "vitest";
import { fileText, idList, numberField, textField } from "./form-fields";

describe("form fields", () => {
  it("reads text and numbers, blank numbers as undefined", () => {
    const form = new FormData();
    form.set("name", "  final  ");
    form.set("quota", " 5 ");
    form.set("blank", "");
    expect(textField(form, "name")).toBe("final");
    expect(textField(form, "missing")).toBe("");
    expect(numberField(form, "quota")).toBe(5);
    expect(numberField(form, "blank")).toBeUndefined();
  });

  it("reads a chosen file's text, and no file (an empty file input) as undefined", async () => {
    const form = new FormData();
    form.set("truth", new File(["n01440764 1 tench\n"], "map_clsloc.txt"));
    form.set("none", new File([], ""));
    await expect(fileText(form, "truth")).resolves.toBe("n01440764 1 tench\n");
    await expect(fileText(form, "none")).resolves.toBeUndefined();
    await expect(fileText(form, "missing")).resolves.toBeUndefined();
  });

  it("reads an id list, refusing what is not an id", () => {
    expect(idList("3, 7 12,,3", "exports")).toEqual([3, 7, 12]);
    expect(idList("  ", "exports")).toEqual([]);
    expect(() => idList("3, x, 0", "exports")).toThrow("exports: x, 0 are not an id");
    expect(() => idList("1.5", "exports")).toThrow("exports: 1.5 is not an id");
  });
});
