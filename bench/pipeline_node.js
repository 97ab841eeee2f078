// The whole email pipeline with the Node tools a shop would pick instead of otokui:
// MJML → HTML (mjml), CSS inlined (juice), plain text (html-to-text), for each document.
// Usage: node bench/pipeline_node.js docs.json [passes] [out_dir]
// docs.json is {"css": "...", "docs": ["<mjml>…", …]} (the same MJML and inline CSS otokui uses).
// passes (default 1) is how many times every document goes through the pipeline; a build script runs one.
// With out_dir, the last pass writes each document's HTML and text there, as a build script would.
// Prints one JSON object: {versions, docs, passes, load_ms, first_pass_ms, pass_ms, per_doc_ms, bytes}.
// first_pass_ms is what a build script that runs once pays (cold JIT); per_doc_ms is warm (passes after
// the first), or null with one pass.
"use strict";

const start = process.hrtime.bigint();
const fs = require("fs");
const path = require("path");

const modules = path.join(__dirname, "node_modules");
const mjmlModule = require(path.join(modules, "mjml"));
const mjml2html = mjmlModule.default || mjmlModule;
const juice = require(path.join(modules, "juice"));
const { convert } = require(path.join(modules, "html-to-text"));
const version = (name) => require(path.join(modules, name, "package.json")).version;
const loadMs = Number(process.hrtime.bigint() - start) / 1e6;

const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const passes = Math.max(1, parseInt(process.argv[3] || "1", 10));
const outDir = process.argv[4] || "";
// The same settings as otokui: no web fonts, no comments kept; links kept in the text.
const mjmlOptions = { fonts: {}, keepComments: false, validationLevel: "soft", minify: false };
const textOptions = { wordwrap: false, selectors: [{ selector: "img", format: "skip" }] };

async function pipeline(write) {
  let bytes = 0;
  if (write) fs.mkdirSync(outDir, { recursive: true });
  for (const [index, doc] of input.docs.entries()) {
    const { html } = await mjml2html(doc, mjmlOptions);
    const inlined = juice.inlineContent(html, input.css, { preserveMediaQueries: true });
    const text = convert(inlined, textOptions);
    bytes += inlined.length + text.length;
    if (write) {
      fs.writeFileSync(path.join(outDir, `${index}.html`), inlined);
      fs.writeFileSync(path.join(outDir, `${index}.txt`), text);
    }
  }
  return bytes;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

(async () => {
  const passMs = [];
  let bytes = 0;
  for (let i = 0; i < passes; i++) {
    const t = process.hrtime.bigint();
    bytes = await pipeline(outDir !== "" && i === passes - 1);
    passMs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const warm = passMs.length > 1 ? median(passMs.slice(1)) / input.docs.length : null;
  process.stdout.write(
    JSON.stringify({
      versions: { mjml: version("mjml"), juice: version("juice"), "html-to-text": version("html-to-text") },
      docs: input.docs.length,
      passes,
      load_ms: loadMs,
      first_pass_ms: passMs[0],
      pass_ms: passMs.slice(1),
      per_doc_ms: warm,
      bytes,
    }) + "\n"
  );
})();
