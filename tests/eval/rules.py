"""Per named rule: where it fired and what it does to the score (eval.py --rules).

feedgate's --explain names the rule that gave each field (`[date.header]`, `[byline.signature]`,
`[body.merge_siblings]`, ...); FEEDGATE_EXTRACT_OFF=<id> switches a rule off. For every rule this
counts the pages and distinct sites it fired on, then runs the extractor again with the rule off
— over the pages it fired on for a cascade step (elsewhere a later step decides anyway), over
every page for the switches below (their firing is not named) — and reports the difference
on − off: body F1 summed over the pages, and per field the pages it makes right minus the pages
it makes wrong. A rule that changes pages on one site only is a smell (see README.md).
"""

import collections
import os
import re

RULE_ID = re.compile(r"\[([a-z_]+\.[a-z_]+)\]")
# Switches whose firing --explain does not name: ablated over every page.
SWITCHES = ("body.hints", "body.unhinted_winner", "body.spread_blocks", "body.merge_siblings",
            "body.comment_section", "body.transparent_wrappers", "body.inner_comments",
            "body.iframe_fallback", "body.prose_lists", "labels.several_names",
            "labels.outlet_reporter", "labels.platform_account",
            "tail.related_list", "tail.closing_lines", "title.heading", "title.heading_line",
            "title.shown_whole", "title.shown_prefix", "date.header_over_markup",
            "date.time_of_day")
FIELDS = ("title", "day", "minute", "author", "source")
OUTPUT = ("title", "published", "author", "source", "text")


def fired_rules(results, cases):
    """{rule: [case, ...]} from the explain lines of each page."""
    fired = collections.defaultdict(list)
    for case, page, _ in cases:
        for line in results.get(str(page), {}).get("explain", []):
            for rule in set(RULE_ID.findall(line)):
                if case not in fired[rule]:
                    fired[rule].append(case)
    return fired


def ablate(cases, results, binary, scratch, timeout, write_list, run_lines, score_all):
    """{rule: {"fired": [case], "off": {case: (scores, result)}}} — one extra run per rule."""
    fired = fired_rules(results, cases)
    out = {}
    for rule in sorted(set(fired) | set(SWITCHES)):
        targets = cases if rule in SWITCHES else [c for c in cases if c[0] in fired[rule]]
        entry = {"fired": fired.get(rule, []), "off": {}}
        if targets:
            folder = os.path.join(scratch, rule)
            os.makedirs(folder, exist_ok=True)
            env = dict(os.environ, FEEDGATE_EXTRACT_OFF=rule)
            off, _, _ = run_lines([str(binary), "extract", "--batch",
                                   str(write_list(targets, folder))], timeout, env)
            scores = score_all(targets, off)
            for case, page, _ in targets:
                entry["off"][case] = (scores[case], off.get(str(page), {}))
        out[rule] = entry
    return out


def changed(on, off):
    return any(on.get(k) != off.get(k) for k in OUTPUT)


def gain(on_scores, off_scores, metric):
    a, b = on_scores[metric], off_scores[metric]
    if a is None:
        return 0.0
    return float(a) - float(b)


def print_rules(cases, scored, ablation, site_of, folds, subset_of, results):
    """One row per rule; returns the same as data."""
    by_path = {case: str(page) for case, page, _ in cases}
    k = (max(folds.values()) + 1) if folds else 0
    print("\nrules: fired = named by --explain on the page; changed = output differs with the rule"
          " off;\n       gain = on - off (body F1 summed over pages; fields: pages right minus "
          "pages wrong);\n       folds +/- = site folds where the rule gains / loses")
    print(f"{'rule':<26}{'fired p/s':>11}{'changed p/s':>13}{'body F1':>9}"
          + "".join(f"{f:>8}" for f in FIELDS) + ("   folds +/-" if k else "")
          + "  subsets changed")
    report = {}
    for rule, entry in ablation.items():
        fired = entry["fired"]
        moved = [c for c, (_, off) in entry["off"].items()
                 if changed(results.get(by_path[c], {}), off)]
        gains = {m: sum(gain(scored[c], entry["off"][c][0], m) for c in moved)
                 for m in ("body_f1",) + FIELDS}
        fold_gain = collections.Counter()
        for c in moved:
            fold_gain[folds.get(c, 0)] += sum(gain(scored[c], entry["off"][c][0], m)
                                              for m in ("body_f1",) + FIELDS)
        plus = sum(1 for f in range(k) if fold_gain[f] > 1e-9)
        minus = sum(1 for f in range(k) if fold_gain[f] < -1e-9)
        subsets = collections.Counter(subset_of(c) for c in moved)
        row = {"fired_pages": len(fired), "fired_sites": len({site_of[c] for c in fired}),
               "changed_pages": len(moved), "changed_sites": len({site_of[c] for c in moved}),
               "gain": gains, "folds_plus": plus, "folds_minus": minus,
               "changed_cases": moved, "subsets": dict(subsets)}
        report[rule] = row
        fields = "".join(f"{gains[m]:>+8.0f}" for m in FIELDS)
        folds_cell = f"   {plus:>2}/{minus:<2}    " if k else ""
        print(f"{rule:<26}{len(fired):>6}/{row['fired_sites']:<4}{len(moved):>8}/"
              f"{row['changed_sites']:<4}{gains['body_f1']:>+9.2f}{fields}{folds_cell}  "
              + " ".join(f"{s}:{n}" for s, n in sorted(subsets.items())))
    return report
