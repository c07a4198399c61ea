import { execFile } from "node:child_process";
import { promisify } from "node:util";

export const execFileAsync = promisify(execFile);

/** Runs a program, turning a failure into an error that carries what it printed. */
export async function runProgram(
  file: string,
  args: string[],
  options: Parameters<typeof execFileAsync>[2] = {},
): Promise<void> {
  try {
    await execFileAsync(file, args, options);
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${path(file)} ${args[0] ?? ""} failed: ${String(stderr || stdout || error).trim()}`);
  }
}

function path(file: string): string {
  return file.split("/").pop() ?? file;
}
