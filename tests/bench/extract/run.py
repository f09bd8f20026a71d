#!/usr/bin/env python3
"""Per-article benchmark (run by hand, not part of `make test`): what one article page costs on one
core, stage by stage — fetch, decode, parse, extract, normalize, store, render, compress — in
CPU milliseconds (fetch: of the benchmark process, whose curl runs on its own thread; the rest:
of the benchmark's main thread), next to two baselines measured in the same run on the same
decoded bytes: gumbo's own parse (the library our parse wraps, without our DOM) and libxml2's
HTML parser.

Pages: the poll benchmark's generated ~113 KB article page (tests/bench/poll/portal.py; 20 of
them, written to --scratch and fetched over HTTP/1.1 keep-alive from a small server on 127.0.0.1
that this script starts), extracted with the poll benchmark's selectors and with zero-config
rules; and every page of the extraction corpus (../shared/corpus/dev beside the repository;
skipped with a message if absent), read from disk. Store and render run once per 20 pages as a
poll does (one transaction, then the feed rendered as RSS, Atom and JSON Feed, then compressed
as gzip and brotli variants by serve::make_resource as the publisher does), shared among the 20.

    python3 tests/bench/extract/run.py [--build build] [--reps 5] [--corpus DIR] [--cpu 1]

Needs build/tests/bench/bench_extract (built when libxml2-dev is installed:
deploy/install-deps.sh --with-bench). Columns: ms of CPU per page for each stage and baseline,
total of the eight stages (fetch shows - for pages read from disk), pages/s on one core,
parse/gumbo_raw (our parse over gumbo's alone) and libxml2_raw/gumbo_raw. Last line:
pages_per_s=… target=150 ratio=… for the generated page with the slower of the two rule sets.
"""
import argparse
import http.server
import os
import pathlib
import re
import shutil
import subprocess
import sys
import threading

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(HERE.parent / "poll"))
import portal  # noqa: E402  (the poll benchmark's page generator)

TARGET = 150


def write_generated(scratch, count):
    scratch.mkdir(parents=True, exist_ok=True)
    paths = []
    for j in range(count):
        path = scratch / f"article-{j}.htm"
        path.write_text(portal.article_page(7, j), encoding="utf-8")
        paths.append(path)
    return paths


class PageHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as nginx in the poll benchmark

    def log_message(self, *args):
        pass


def start_page_server(root):
    handler = lambda *a, **kw: PageHandler(*a, directory=str(root), **kw)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def corpus_lines(corpus):
    import json
    lines = []
    for folder in sorted(corpus.iterdir()):
        page, truth = folder / "page.html", folder / "expected.json"
        if page.is_file() and truth.is_file():
            t = json.loads(truth.read_text(encoding="utf-8"))
            lines.append(f"corpus-dev (auto)\tauto\t{page}\t{t.get('url') or ''}\t"
                         f"{t.get('charset') or ''}")
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=str(REPO / "build"))
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--pages", type=int, default=20, help="generated article pages")
    ap.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus" / "dev"))
    ap.add_argument("--scratch", default="/tmp/feedgate-bench-extract")
    ap.add_argument("--cpu", default="1", help="core to pin to with taskset ('' for none)")
    args = ap.parse_args()
    binary = pathlib.Path(args.build) / "tests" / "bench" / "bench_extract"
    if not binary.exists():
        print(f"SKIPPED: {binary} is missing (build it: install libxml2-dev with "
              f"deploy/install-deps.sh --with-bench, then cmake --build build --target "
              f"bench_extract)")
        return 77
    scratch = pathlib.Path(args.scratch)
    generated = write_generated(scratch, args.pages)
    size = generated[0].stat().st_size
    server, base = start_page_server(scratch)
    lines = []
    for mode in ("selectors", "auto"):
        for j, path in enumerate(generated):
            lines.append(f"generated ({mode})\t{mode}\t{path}\t"
                         f"http://127.0.0.1/a/7/{j}.htm\t\t{base}/{path.name}")
    corpus = pathlib.Path(args.corpus)
    if corpus.is_dir():
        lines += corpus_lines(corpus)
    else:
        print(f"corpus {corpus} is absent: measuring the generated pages only")
    listing = scratch / "pages.tsv"
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cmd = [str(binary), str(listing), "--reps", str(args.reps), "--db", str(scratch / "bench.db")]
    if args.cpu and shutil.which("taskset"):
        cmd = ["taskset", "-c", args.cpu] + cmd
    print(f"generated article page: {size / 1024:.0f} KiB; {args.reps} reps; "
          f"load average {os.getloadavg()[0]:.1f} (CPU times; ratios hold better than absolutes "
          f"on a busy machine)", flush=True)
    try:
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    finally:
        server.shutdown()
    print(out, end="")
    rows = {m.group(1).strip(): float(m.group(2)) for m in
            re.finditer(r"^(.{22}) +\d+ +\d+(?: +(?:[\d.]+|-)){11} +([\d.]+)", out, re.M)}
    pages_per_s = min(rows.get("generated (selectors)", 0.0), rows.get("generated (auto)", 0.0))
    corpus_rate = rows.get("corpus-dev (auto)")
    if corpus_rate is not None:
        print(f"corpus_pages_per_s={corpus_rate:.1f}")
    print(f"pages_per_s={pages_per_s:.1f} target={TARGET} ratio={pages_per_s / TARGET:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
