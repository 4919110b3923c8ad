// Validates AsyncAPI documents (YAML or JSON files) with the official parser, @asyncapi/parser.
// Usage: node validate-asyncapi.mjs FILE...   Exit 0 when no file has an error-severity diagnostic.
// Warnings and hints are printed but do not fail.
import { Parser, fromFile } from '@asyncapi/parser';

const SEVERITY = ['error', 'warning', 'info', 'hint'];
const parser = new Parser();
let failed = false;
for (const file of process.argv.slice(2)) {
  const { document, diagnostics } = await fromFile(parser, file).parse();
  const errors = diagnostics.filter((d) => d.severity === 0);
  for (const d of diagnostics) {
    const where = d.path && d.path.length ? d.path.join('.') : '(root)';
    console.log(`${file}: ${SEVERITY[d.severity] ?? d.severity}: ${d.code}: ${d.message} at ${where}`);
  }
  if (errors.length || !document) {
    failed = true;
    console.log(`${file}: INVALID (${errors.length} error(s))`);
  } else {
    const channels = document.channels().length;
    const messages = document.allMessages().length;
    console.log(`${file}: valid AsyncAPI ${document.version()} (${channels} channel(s), ${messages} message(s))`);
  }
}
process.exit(failed ? 1 : 0);
