// Read a RIS file with citation-js (@citation-js/plugin-ris) and print its CSL-JSON.
//   node bench/check_ris_citationjs.mjs FILE.ris > out.json
// The packages come from $CITATIONJS_HOME/node_modules (default bench/.peers/citationjs, where
// bench/setup_peers.sh installs them from npm). Driven by bench/check_ris_citationjs.py.
import { createRequire } from 'node:module'
import { readFileSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const home = process.env.CITATIONJS_HOME ||
  join(dirname(fileURLToPath(import.meta.url)), '.peers', 'citationjs')
const require = createRequire(join(home, 'package.json'))
const { Cite } = require('@citation-js/core')
require('@citation-js/plugin-ris')

const text = readFileSync(process.argv[2], 'utf8')
const items = new Cite(text, { forceType: '@ris/file' }).data.map(({ _graph, ...item }) => item)
const buf = Buffer.from(JSON.stringify(items) + '\n', 'utf8')
let off = 0
while (off < buf.length) off += writeSync(1, buf, off, buf.length - off)
