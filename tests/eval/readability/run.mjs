// Readability baseline for tests/eval/eval.py.
// usage: node run.mjs MODULES_DIR LIST
// LIST has one PATH<TAB>BASE_URL<TAB>CHARSET a line (the same list `feedgate extract --batch`
// reads); prints one JSON object a line. MODULES_DIR is the scratch folder npm installed into,
// so node_modules never lands in the source tree.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modulesDir, listPath] = process.argv.slice(2);
if (!modulesDir || !listPath) {
  process.stderr.write("usage: node run.mjs MODULES_DIR LIST\n");
  process.exit(2);
}
// Both packages are CommonJS; resolving them from the scratch folder keeps this file where it is.
const require = createRequire(join(modulesDir, "package.json"));
const { JSDOM, VirtualConsole } = require("jsdom");
const { Readability } = require("@mozilla/readability");

function decoderFor(label) {
  if (!label) return null;
  try {
    return new TextDecoder(label);
  } catch {
    return null;  // a label ICU does not know: fall back to sniffing, as a browser would
  }
}

// <meta charset=...> or <meta http-equiv content="...; charset=..."> in the first 4 KiB.
function sniffMeta(bytes) {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString("latin1");
  const match = /<meta[^>]*charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  return match ? match[1] : "";
}

function decode(bytes, charset) {
  const decoder = decoderFor(charset) ?? decoderFor(sniffMeta(bytes)) ?? new TextDecoder("utf-8");
  return decoder.decode(bytes);
}

function extract(path, baseUrl, charset) {
  const bytes = readFileSync(path);
  const start = process.hrtime.bigint();
  // A silent console: jsdom's CSS parse complaints would drown the report.
  const dom = new JSDOM(decode(bytes, charset), {
    url: baseUrl || pathToFileURL(path).href,
    virtualConsole: new VirtualConsole(),
  });
  const article = new Readability(dom.window.document).parse();
  const elapsed_us = Number((process.hrtime.bigint() - start) / 1000n);
  dom.window.close();
  if (!article) return { path, error: "Readability found no article", elapsed_us };
  return {
    path,
    title: article.title ?? null,
    published: article.publishedTime ?? null,
    author: article.byline ?? null,
    source: null,  // Readability has no notion of the 来源 outlet (siteName is the site itself)
    text: article.textContent ?? "",
    elapsed_us,
  };
}

for (const line of readFileSync(listPath, "utf8").split("\n")) {
  if (!line.trim()) continue;
  const [path, baseUrl = "", charset = ""] = line.replace(/\r$/, "").split("\t");
  let out;
  try {
    out = extract(path, baseUrl, charset);
  } catch (e) {
    out = { path, error: `Readability failed: ${e && e.message ? e.message : e}` };
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}
