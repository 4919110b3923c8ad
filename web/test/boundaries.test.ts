import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src", import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("module boundaries", () => {
  it("only src/api/mapper.ts imports the generated backend types", () => {
    const importers = files(SRC)
      .filter((f) => !f.includes(`${join("src", "generated")}`))
      .filter((f) => /from\s+["'][^"']*generated\//.test(readFileSync(f, "utf8")))
      .map((f) => relative(SRC, f));
    expect(importers).toEqual([join("api", "mapper.ts")]);
  });
  it("the UI does not talk to fetch/WebSocket directly (only src/api/* does)", () => {
    const offenders = files(SRC)
      .filter((f) => !f.includes(join("src", "api")) && !f.includes(join("src", "generated")))
      .filter((f) => /\bfetch\(|new WebSocket\(/.test(readFileSync(f, "utf8")))
      .map((f) => relative(SRC, f));
    expect(offenders).toEqual([]);
  });
});
