#!/usr/bin/python3
"""Scores feedgate's zero-config article extraction over the extraction corpus.

usage: eval.py [CORPUS] [--feedgate BIN] [--baseline readability] [--verbose] [--json FILE]
               [--rules] [--folds K --by site]

Runs `feedgate extract --batch` once over every page of CORPUS (default ../shared/corpus/dev
beside the repository), scores each page as the corpus README says (see scoring.py) and prints
the means per subset and the speed. Exits 77 with SKIPPED when the corpus is absent.
Standard library only; see README.md in this folder.
"""

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import scoring  # noqa: E402  (beside this file)
import sites  # noqa: E402
import rules  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]
EXIT_SKIP = 77
METRICS = ("body_f1", "title", "day", "minute", "author", "source")
# Subsets in report order; a case belongs to the first whose test matches.
SUBSETS = (
    ("readability", lambda case: "-readability-" in case),
    ("zh-gne", lambda case: case.startswith("zh-gne-")),
    ("zh-cwced", lambda case: case.startswith("zh-cwced-")),
    ("xx-aeb", lambda case: case.startswith("xx-aeb-")),
    ("en-dragnet", lambda case: case.startswith("en-dragnet-")),
)
# Dragnet's separator between an article and its comments in the dev-en labels.
COMMENTS_MARKER = "!@#$%^&*() COMMENTS"
REPORT_ORDER = ("zh-gne", "zh-cwced", "xx-aeb", "en-dragnet", "readability",
                "overall w/o readability", "overall")


def subset_of(case):
    return next((name for name, test in SUBSETS if test(case)), "other")


def load_cases(corpus, article_only=False):
    """With article_only, a label's text ends at Dragnet's comments marker."""
    cases = []
    for folder in sorted(corpus.iterdir()):
        page, truth = folder / "page.html", folder / "expected.json"
        if page.is_file() and truth.is_file():
            expected = json.loads(truth.read_text(encoding="utf-8"))
            if article_only and COMMENTS_MARKER in (expected.get("text") or ""):
                expected["text"] = expected["text"].split(COMMENTS_MARKER)[0]
            cases.append((folder.name, page, expected))
    return cases


def write_batch_list(cases, directory):
    """PATH<TAB>BASE_URL<TAB>CHARSET lines; the charset is what the HTTP header would say."""
    path = pathlib.Path(directory) / "pages.tsv"
    with open(path, "w", encoding="utf-8") as out:
        for _, page, truth in cases:
            out.write(f"{page}\t{truth.get('url') or ''}\t{truth.get('charset') or ''}\n")
    return path


def run_lines(command, timeout, env=None):
    """Runs an extractor; returns ({path: json}, wall seconds, stderr tail)."""
    start = time.monotonic()
    proc = subprocess.run(command, capture_output=True, timeout=timeout, env=env)
    wall = time.monotonic() - start
    results = {}
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        if line.strip():
            item = json.loads(line)
            results[item["path"]] = item
    tail = proc.stderr.decode("utf-8", "replace")[-2000:]
    if proc.returncode < 0 or (proc.returncode not in (0, 1) and not results):
        tail = f"exit status {proc.returncode}\n{tail}"
    return results, wall, tail


def find_feedgate(explicit):
    if explicit:
        return pathlib.Path(explicit)
    built = [p for p in REPO.glob("build*/feedgate") if p.is_file() and os.access(p, os.X_OK)]
    return max(built, key=lambda p: p.stat().st_mtime) if built else None


def ensure_readability(scratch):
    """Installs the pinned baseline into `scratch` unless the same package.json is there."""
    wanted = (HERE / "readability" / "package.json").read_text(encoding="utf-8")
    installed = scratch / "package.json"
    ready = (scratch / "node_modules" / "@mozilla" / "readability").is_dir() and \
        (scratch / "node_modules" / "jsdom").is_dir()
    if ready and installed.is_file() and installed.read_text(encoding="utf-8") == wanted:
        return None
    if shutil.which("npm") is None:
        return "npm not found: install Node.js 20 (with npm) to run the Readability baseline"
    scratch.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        if (HERE / "readability" / name).is_file():
            shutil.copyfile(HERE / "readability" / name, scratch / name)
    print(f"installing the Readability baseline into {scratch} ...", file=sys.stderr)
    proc = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(scratch)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return f"npm install failed in {scratch}:\n{proc.stderr[-2000:]}"
    return None


def score_all(cases, results):
    """Per-case metrics; a page the extractor gave no line for counts as failed."""
    scored = {}
    for case, page, truth in cases:
        got = results.get(str(page), {"error": "no output line (did the extractor crash?)"})
        scored[case] = scoring.score_page(got, truth)
        scored[case]["error"] = got.get("error")
    return scored


def summarize(cases, scored, results, wall):
    groups = {name: [] for name in REPORT_ORDER}
    for case, _, _ in cases:
        subset = subset_of(case)
        groups.setdefault(subset, []).append(case)
        groups["overall"].append(case)
        if subset != "readability":
            groups["overall w/o readability"].append(case)
    summary = {}
    for name, members in groups.items():
        entry = {"pages": len(members)}
        for metric in METRICS:
            values = [scored[c][metric] for c in members if scored[c][metric] is not None]
            if metric == "body_f1":
                entry[metric] = {"mean": sum(values) / len(values) if values else None,
                                 "n": len(values)}
            else:
                entry[metric] = {"ok": sum(1 for v in values if v), "n": len(values)}
        summary[name] = entry
    elapsed = [r["elapsed_us"] for r in results.values() if "elapsed_us" in r]
    speed = {
        "pages": len(cases),
        "extract_seconds": sum(elapsed) / 1e6,
        "wall_seconds": wall,
        "pages_per_second_extract": len(elapsed) / (sum(elapsed) / 1e6) if sum(elapsed) else None,
        "pages_per_second_wall": len(cases) / wall if wall else None,
    }
    errors = {c: scored[c]["error"] for c, _, _ in cases if scored[c]["error"]}
    return {"subsets": summary, "speed": speed, "errors": errors}


def cell(entry, metric):
    value = entry[metric]
    if value["n"] == 0:
        return "-"
    if metric == "body_f1":
        return f"{value['mean']:.3f}"
    return f"{value['ok']}/{value['n']}"


def print_summary(names, summaries):
    """One row per subset; each metric shows every extractor side by side."""
    short = {"feedgate": "fg", "readability": "rdb"}
    width = 11 if len(names) == 1 else 8
    header = f"{'subset':<24}{'pages':>6}  "
    labels = {"body_f1": "body F1", "title": "title", "day": "day", "minute": "minute",
              "author": "author", "source": "source"}
    header += "".join(f"{labels[m]:<{width * len(names)}}" for m in METRICS)
    print(header)
    if len(names) > 1:
        print(" " * 32 + "".join("".join(f"{short[n]:<{width}}" for n in names) for _ in METRICS))
    for subset in REPORT_ORDER + tuple(sorted(set(summaries[names[0]]["subsets"])
                                              - set(REPORT_ORDER))):
        entries = [summaries[n]["subsets"][subset] for n in names]
        if entries[0]["pages"] == 0:
            continue
        row = f"{subset:<24}{entries[0]['pages']:>6}  "
        row += "".join("".join(f"{cell(e, m):<{width}}" for e in entries) for m in METRICS)
        print(row)
    print()
    for name in names:
        speed = summaries[name]["speed"]
        extract = speed["pages_per_second_extract"]
        wall = speed["pages_per_second_wall"]
        print(f"{name:<12} pages/s: {extract or 0:8.1f} extraction only "
              f"({speed['extract_seconds']:.2f} s in one process), {wall or 0:8.1f} wall clock "
              f"incl. start-up ({speed['wall_seconds']:.2f} s); "
              f"{len(summaries[name]['errors'])} failed pages")


def mark(value, metric):
    if value is None:
        return "-"
    if metric == "body_f1":
        return f"{value:.2f}"
    return "y" if value else "n"


def print_pages(cases, names, per_page):
    """One row per case; with a baseline each cell is "feedgate/readability"."""
    width = 5 * len(names) + 3
    print(f"{'case':<42}" + "".join(f"{m:<{width}}" for m in METRICS))
    for case, _, _ in cases:
        row = f"{case:<42}"
        for metric in METRICS:
            marks = "/".join(mark(per_page[n][case][metric], metric) for n in names)
            row += f"{marks:<{width}}"
        errors = [f"{n}: {per_page[n][case]['error']}" for n in names if per_page[n][case]["error"]]
        print(row + ("  " + "; ".join(errors) if errors else ""))
    print()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared/corpus/dev"),
                        help="corpus folder of <case>/{page.html,expected.json} "
                             "(default: ../shared/corpus/dev beside the repository)")
    parser.add_argument("--feedgate", help="the feedgate binary (default: newest build*/feedgate)")
    parser.add_argument("--baseline", choices=["readability"], help="also run this baseline")
    parser.add_argument("--scratch", default=str(REPO / "build" / "eval-readability"),
                        help="where npm installs the baseline (default: build/eval-readability)")
    parser.add_argument("--verbose", action="store_true", help="print the per-page table")
    parser.add_argument("--json", metavar="FILE", help="write summary and per-page scores here")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per extractor run")
    parser.add_argument("--rules", action="store_true",
                        help="per named rule: pages and sites it fired on, and its ablation "
                             "(the run again with the rule switched off)")
    parser.add_argument("--folds", type=int, default=0, metavar="K",
                        help="site-grouped K-fold report: the metrics per group of sites and "
                             "their spread")
    parser.add_argument("--article-only", action="store_true",
                        help="score bodies against the label up to Dragnet's comments marker "
                             "(dev-en labels append some pages' comments after it)")
    parser.add_argument("--by", choices=["site"], default="site",
                        help="what --folds groups by (only site)")
    return parser.parse_args()


def run_extractors(args, list_path):
    """{name: (results, wall, stderr)} or an error message."""
    binary = find_feedgate(args.feedgate)
    if binary is None or not binary.is_file():
        return f"feedgate binary not found ({binary or 'no build*/feedgate'}); build it with " \
               "`cmake --build build --target feedgate` or pass --feedgate BIN"
    print(f"feedgate: {binary}", file=sys.stderr)
    command = [str(binary), "extract", "--batch", str(list_path)]
    runs = {"feedgate": run_lines(command + (["--explain"] if args.rules else []), args.timeout)}
    if args.baseline == "readability":
        if shutil.which("node") is None:
            return "node not found: install Node.js 20 to run the Readability baseline"
        scratch = pathlib.Path(args.scratch).resolve()
        problem = ensure_readability(scratch)
        if problem:
            return problem
        runner = HERE / "readability" / "run.mjs"
        runs["readability"] = run_lines(["node", str(runner), str(scratch), str(list_path)],
                                        args.timeout)
    return runs


def main():
    args = parse_args()
    corpus = pathlib.Path(args.corpus).resolve()
    cases = load_cases(corpus, args.article_only) if corpus.is_dir() else []
    if not cases:
        print(f"SKIPPED: corpus not found at {corpus}")
        return EXIT_SKIP
    with tempfile.TemporaryDirectory(prefix="feedgate-eval-") as scratch:
        runs = run_extractors(args, write_batch_list(cases, scratch))
        if isinstance(runs, str):
            print(f"eval.py: {runs}", file=sys.stderr)
            return 2
        ablation = None
        if args.rules and runs["feedgate"][0]:
            ablation = rules.ablate(cases, runs["feedgate"][0], find_feedgate(args.feedgate),
                                    scratch, args.timeout, write_batch_list, run_lines,
                                    score_all)
    per_page, summaries = {}, {}
    for name, (results, wall, stderr) in runs.items():
        if not results:
            print(f"eval.py: {name} printed no results:\n{stderr}", file=sys.stderr)
            return 1
        per_page[name] = score_all(cases, results)
        summaries[name] = summarize(cases, per_page[name], results, wall)
    names = list(runs)
    print(f"corpus: {corpus} ({len(cases)} pages)\n")
    if args.verbose:
        print_pages(cases, names, per_page)
    print_summary(names, summaries)
    site_of = sites.sites_of(cases) if (args.rules or args.folds) else {}
    folds = sites.assign_folds(site_of, args.folds) if args.folds else {}
    report = {}
    if args.folds:
        report["folds"] = sites.print_folds(cases, names, per_page, folds, subset_of,
                                             site_of)
    if ablation is not None:
        report["rules"] = rules.print_rules(cases, per_page["feedgate"], ablation, site_of,
                                            folds, subset_of, runs["feedgate"][0])
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"corpus": str(corpus), "extractors": summaries, "pages": per_page,
                       **report}, out, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
