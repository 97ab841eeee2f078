// Times the reference MJML compiler in one warm Node process.
// Usage: node bench/mjml_node.js docs.json [rounds]
// docs.json is a JSON list of MJML documents. Prints one JSON object:
// {version, docs, rounds, per_doc_ms (median over rounds), round_ms, errors, bytes}.
"use strict";

const fs = require("fs");
const path = require("path");

const docs = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const rounds = Math.max(1, parseInt(process.argv[3] || "5", 10));
const mjmlModule = require(path.join(__dirname, "node_modules", "mjml"));
const mjml2html = mjmlModule.default || mjmlModule;
const version = require(path.join(__dirname, "node_modules", "mjml", "package.json")).version;
// The same settings as otokui's MRML call: no web fonts, no comments kept.
const options = { fonts: {}, keepComments: false, validationLevel: "soft", minify: false };

async function compileAll() {
  let errors = 0;
  let bytes = 0;
  for (const doc of docs) {
    const result = await mjml2html(doc, options);
    errors += result.errors ? result.errors.length : 0;
    bytes += result.html.length;
  }
  return { errors, bytes };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

(async () => {
  const warm = await compileAll(); // warm-up: module loading, JIT
  const roundMs = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    await compileAll();
    roundMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const perRound = median(roundMs);
  process.stdout.write(
    JSON.stringify({
      version,
      docs: docs.length,
      rounds,
      round_ms: roundMs,
      per_doc_ms: perRound / docs.length,
      errors: warm.errors,
      bytes: warm.bytes,
    }) + "\n",
  );
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});
