// citation-js side of the benchmark: one whole process per job, like a user's script.
//   node citationjs.mjs bib2csl FILE.bib      CSL-JSON on stdout
//   node citationjs.mjs bib2ris FILE.bib      RIS on stdout
//   node citationjs.mjs bib2bib FILE.bib      BibTeX on stdout
//   node citationjs.mjs apa FILE.json         APA bibliography (plain text) from CSL-JSON
// The packages are found in $CITATIONJS_HOME/node_modules (bench/.peers/citationjs by default),
// where bench/setup_peers.sh installs them from npm.
import { createRequire } from 'node:module'
import { readFileSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const home = process.env.CITATIONJS_HOME ||
  join(dirname(fileURLToPath(import.meta.url)), '..', '.peers', 'citationjs')
const require = createRequire(join(home, 'package.json'))
const { Cite } = require('@citation-js/core')
require('@citation-js/plugin-bibtex')
require('@citation-js/plugin-csl')
require('@citation-js/plugin-ris')

const [job, file] = process.argv.slice(2)
const text = readFileSync(file, 'utf8')
let out
if (job === 'bib2csl') {
  out = new Cite(text, { forceType: '@biblatex/text' }).format('data', { format: 'text' })
} else if (job === 'bib2ris') {
  out = new Cite(text, { forceType: '@biblatex/text' }).format('ris')
} else if (job === 'bib2bib') {
  out = new Cite(text, { forceType: '@biblatex/text' }).format('bibtex', { format: 'text' })
} else if (job === 'apa') {
  out = new Cite(JSON.parse(text)).format('bibliography',
    { format: 'text', template: 'apa', lang: 'en-US' })
} else {
  process.stderr.write(`unknown job ${job}\n`)
  process.exit(2)
}
// writeSync on fd 1: process.stdout.write is async for files and pipes in some cases
const buf = Buffer.from(out.endsWith('\n') ? out : out + '\n', 'utf8')
let off = 0
while (off < buf.length) off += writeSync(1, buf, off, buf.length - off)
