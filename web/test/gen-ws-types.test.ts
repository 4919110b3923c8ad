import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("../scripts/gen-ws-types.mjs", import.meta.url));

const SPEC = `
asyncapi: 2.6.0
info: {title: t, version: v1}
channels: {}
components:
  schemas:
    Bar:
      type: object
      required: [time, close]
      properties:
        time: {type: integer, description: "Unix ms"}
        close: {type: number}
        note: {type: string, nullable: true}
    Side: {type: integer, enum: [1, -1]}
    Status: {type: string, enum: [ok, error]}
    Update:
      type: object
      required: [topic, payload]
      properties:
        topic: {type: string}
        payload: {$ref: "#/components/schemas/Bar"}
        tags: {type: array, items: {type: string}}
        either: {anyOf: [{$ref: "#/components/schemas/Side"}, {type: "null"}]}
        extra: {type: object, additionalProperties: {type: number}}
  messages:
    bars.update:
      payload:
        type: object
        required: [type, payload]
        properties:
          type: {const: bars.update}
          payload: {$ref: "#/components/schemas/Update"}
    error:
      messageId: error
      payload: {type: object, properties: {message: {type: string}}}
`;

function generate(): string {
  const dir = mkdtempSync(join(tmpdir(), "gen-ws-"));
  writeFileSync(join(dir, "asyncapi.yaml"), SPEC);
  const out = join(dir, "ws_types.ts");
  execFileSync(process.execPath, [SCRIPT], { env: { ...process.env, WS_SPEC: join(dir, "asyncapi.yaml"), WS_OUT: out } });
  return readFileSync(out, "utf8");
}

describe("gen-ws-types", () => {
  const ts = generate();
  const squash = ts.replace(/\s+/g, " ");
  it("emits schemas in openapi-typescript style", () => {
    expect(squash).toContain("export interface components { schemas: {");
    expect(squash).toContain("Bar: { /** @description Unix ms */ time: number; close: number; note?: string | null; };");
    expect(squash).toContain("Side: 1 | -1;");
    expect(squash).toContain('Status: "ok" | "error";');
    expect(squash).toContain('payload: components["schemas"]["Bar"];');
    expect(squash).toContain("tags?: string[];");
    expect(squash).toContain('either?: components["schemas"]["Side"] | null;');
    expect(squash).toContain("extra?: { [key: string]: number };");
  });
  it("lists every message with its payload", () => {
    expect(squash).toContain('export type WsMessageType = | "bars.update" | "error";');
    expect(squash).toContain('"bars.update": { type: "bars.update"; payload: components["schemas"]["Update"]; };');
    expect(squash).toContain('"error": { message?: string; };');
  });
});
