// The Vega spec of the Vega-Lite spec read from stdin, written to stdout, by the book's pinned
// Vega-Lite (the path of its module is the one argument). Vega-Lite's warnings go to stderr.
// Run by scs_book.sphinx.charts for each chart, so the pages need no Vega-Lite of their own.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const vegaLite = await import(pathToFileURL(process.argv[2]).href);
const spec = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(vegaLite.compile(spec).spec));
