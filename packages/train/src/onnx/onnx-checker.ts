import { spawnSync } from "node:child_process";

/**
 * The reference ONNX checker (`onnx.checker.check_model`, full_check: also runs ONNX shape inference) from
 * Debian's python3-onnx. /usr/bin/python3 first: a pyenv or venv python3 earlier in PATH lacks apt's modules.
 */
export function findOnnxPython(): string | undefined {
  return ["/usr/bin/python3", "python3"].find(
    (python) => spawnSync(python, ["-c", "import onnx"], { stdio: "ignore" }).status === 0,
  );
}

const CHECK = `
import json, sys, onnx
for f in sys.argv[1:]:
    m = onnx.load(f)
    onnx.checker.check_model(m, full_check=True)
    print(json.dumps({"file": f, "opset": m.opset_import[0].version, "metadata": {p.key: p.value for p in m.metadata_props}}))
`;

export interface CheckedModel {
  file: string;
  opset: number;
  metadata: Record<string, string>;
}

/** Checks each file; throws with the checker's message on the first it rejects. */
export function checkOnnxFiles(python: string, files: string[]): CheckedModel[] {
  const run = spawnSync(python, ["-c", CHECK, ...files], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`onnx.checker rejected a model: ${run.stderr || run.error?.message}`);
  return run.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as CheckedModel);
}
