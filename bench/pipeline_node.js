// The whole email pipeline with the Node tools a shop would pick instead of otokui:
// MJML → HTML (mjml), CSS inlined (juice), plain text (html-to-text), for each document.
// Usage: node bench/pipeline_node.js docs.json [rounds]
// docs.json is {"css": "...", "docs": ["<mjml>…", …]} (the same MJML and inline CSS otokui uses).
// Prints one JSON object: {versions, docs, rounds, first_round_ms, round_ms, per_doc_ms, load_ms, bytes}.
// first_round_ms is what a build script that runs once pays (cold JIT); per_doc_ms is warm.
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
const rounds = Math.max(1, parseInt(process.argv[3] || "3", 10));
// The same settings as otokui: no web fonts, no comments kept; links kept in the text.
const mjmlOptions = { fonts: {}, keepComments: false, validationLevel: "soft", minify: false };
const textOptions = { wordwrap: false, selectors: [{ selector: "img", format: "skip" }] };

async function pipeline() {
  let bytes = 0;
  for (const doc of input.docs) {
    const { html } = await mjml2html(doc, mjmlOptions);
    const inlined = juice.inlineContent(html, input.css, { preserveMediaQueries: true });
    const text = convert(inlined, textOptions);
    bytes += inlined.length + text.length;
  }
  return bytes;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

(async () => {
  const roundMs = [];
  let bytes = 0;
  for (let i = 0; i < rounds + 1; i++) {
    const t = process.hrtime.bigint();
    bytes = await pipeline();
    roundMs.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const warm = median(roundMs.slice(1));
  process.stdout.write(
    JSON.stringify({
      versions: { mjml: version("mjml"), juice: version("juice"), "html-to-text": version("html-to-text") },
      docs: input.docs.length,
      rounds,
      load_ms: loadMs,
      first_round_ms: roundMs[0],
      round_ms: roundMs.slice(1),
      per_doc_ms: warm / input.docs.length,
      bytes,
    }) + "\n"
  );
})();
