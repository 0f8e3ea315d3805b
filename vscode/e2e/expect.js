// Computes what the e2e test expects from `lifecycle-lsp check -format json`
// run on the temp workspace: the finding's message, its fix's title and
// position, and the file's text after that one fix.
// Usage: node expect.js FINDINGS.json FILE MESSAGE_SUBSTRING > expect.json
'use strict';
const fs = require('fs');

const [findingsPath, file, needle] = process.argv.slice(2);
const raw = JSON.parse(fs.readFileSync(findingsPath, 'utf8'));
const findings = Array.isArray(raw) ? raw : raw.findings || raw.diagnostics || [];
const f = findings.find((x) => x.file === file && x.message.includes(needle));
if (!f) {
  console.error(`no finding in ${file} containing ${JSON.stringify(needle)}; findings:\n` + findings.map((x) => `${x.file}:${x.line}: ${x.message}`).join('\n'));
  process.exit(1);
}
if (!f.fixes || f.fixes.length === 0) {
  console.error(`finding has no fix: ${JSON.stringify(f)}`);
  process.exit(1);
}
const fix = f.fixes[0];
const src = fs.readFileSync(file);
// Offsets are byte offsets; apply from the end so earlier ones stay valid.
const edits = fix.edits.filter((e) => e.file === file).sort((a, b) => b.start - a.start);
let buf = src;
for (const e of edits) {
  buf = Buffer.concat([buf.subarray(0, e.start), Buffer.from(e.new || '', 'utf8'), buf.subarray(e.end)]);
}
process.stdout.write(
  JSON.stringify({
    message: f.message,
    fixTitle: fix.message,
    line: f.line,
    column: f.column,
    fixedText: buf.toString('utf8'),
  }),
);
