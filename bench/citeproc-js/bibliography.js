#!/usr/bin/env node
// Read a BibTeX file to CSL-JSON with citation-js and format ALL its entries as ONE
// bibliography with citeproc-js in each style given; used by bench/bib_agreement.py.
//
//   node bench/citeproc-js/bibliography.js --python .venv/bin/python --citationjs DIR \
//        --bib sample.bib --out result.json style [style ...]
//   node bench/citeproc-js/bibliography.js --python .venv/bin/python --items items.json \
//        --out result.json style [style ...]      # CSL-JSON in (test expectations)
//
// result.json: {"items": [CSL-JSON ...], "styles": {"<style>": {"ids": [...], "entries": [...]}}}
// citation-js (@citation-js/core + plugin-bibtex) is loaded from DIR/node_modules (installed by
// bench/setup_peers.sh into bench/.peers/citationjs); citeproc-js from this folder's node_modules.
"use strict";

const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");
const { dataDirs, styleXml, makeSys } = require("./render.js");

function parseArgs(argv) {
  const args = { python: process.env.PYTHON || "python3", citationjs: null, bib: null, out: null,
    styles: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--python") args.python = argv[++i];
    else if (a === "--citationjs") args.citationjs = path.resolve(argv[++i]);
    else if (a === "--bib") args.bib = path.resolve(argv[++i]);
    else if (a === "--items") args.items = path.resolve(argv[++i]);
    else if (a === "--out") args.out = path.resolve(argv[++i]);
    else args.styles.push(a);
  }
  return args;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  let items;
  if (args.items) {
    items = JSON.parse(fs.readFileSync(args.items, "utf8"));
  } else {
    const mods = path.join(args.citationjs, "node_modules");
    const { Cite } = require(path.join(mods, "@citation-js/core"));
    require(path.join(mods, "@citation-js/plugin-bibtex"));
    const text = fs.readFileSync(args.bib, "utf8");
    try {
      items = new Cite(text).data;
    } catch (err) {
      // one entry citation-js cannot read: read entry by entry and leave those out
      const blocks = text.split(/^(?=@)/m);
      const strings = blocks.filter((b) => /^@(string|preamble)\b/i.test(b)).join("");
      items = [];
      let skipped = 0;
      for (const block of blocks) {
        if (!/^@\w+\s*[{(]/.test(block) || /^@(string|preamble|comment)\b/i.test(block)) continue;
        try {
          items.push(...new Cite(strings + block).data);
        } catch (e) {
          skipped += 1;
        }
      }
      process.stderr.write(`citation-js could not read ${skipped} entries: left out\n`);
    }
  }
  // citation-js adds private fields (_graph); keep the CSL-JSON variables only
  const clean = items.map((it) =>
    Object.fromEntries(Object.entries(it).filter(([k]) => !k.startsWith("_"))));
  const dirs = dataDirs(args.python);
  const sys = makeSys(dirs, clean);
  const ids = clean.map((it) => it.id);
  const result = { items: clean, styles: {} };
  for (const id of args.styles) {
    const { xml } = styleXml(dirs, id);
    const engine = new CSL.Engine(sys, xml);
    engine.setOutputFormat("text");
    engine.updateItems(ids);
    const bib = engine.makeBibliography();
    if (!bib) {
      result.styles[id] = null;
      continue;
    }
    let order = bib[0].entry_ids.map((e) => String(e[0]));
    if (order.length !== bib[1].length) {
      // citeproc-js leaves entries that print nothing out of the strings, not out of the ids
      const alone = new CSL.Engine(sys, xml);
      alone.setOutputFormat("text");
      order = order.filter((itemId) => {
        alone.updateItems([itemId]);
        const one = alone.makeBibliography();
        return one && one[1].length > 0;
      });
    }
    result.styles[id] = { ids: order, entries: bib[1].map((e) => e.trim()) };
  }
  fs.writeFileSync(args.out, JSON.stringify(result));
}

main();
