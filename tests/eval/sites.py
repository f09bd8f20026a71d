"""Which site a corpus page comes from, and site-grouped folds (eval.py --folds K --by site).

A page's site is the registrable domain of its URL; for a case without one (dev-en), of the
page's canonical/og:url link, else of the host most of its absolute links point to (a site links
to itself more than to anyone else), else the case itself. Folds put whole sites together, so a
rule or threshold that fits some sites is checked on the others.
"""

import collections
import hashlib
import re
import statistics
import urllib.parse

# Second-level labels under a country code that registries sell below (bbc.co.uk, sina.com.cn).
SECOND_LEVEL = {"co", "com", "net", "org", "gov", "edu", "ac", "gob", "or", "ne"}
CANONICAL = re.compile(rb'''<link[^>]+rel=["']?canonical["']?[^>]*href=["']?(https?://[^"' >]+)|'''
                       rb'''<meta[^>]+property=["']?og:url["']?[^>]*content=["']?(https?://[^"' >]+)''',
                       re.I)
LINK = re.compile(rb'''<a\s[^>]*href=["']?https?://([^/"' >:]+)''', re.I)


def registrable(host):
    labels = host.lower().strip(".").split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def site_of_page(case, page, truth):
    if truth.get("url"):
        host = urllib.parse.urlsplit(truth["url"]).hostname
        if host:
            return registrable(host)
    data = page.read_bytes()
    found = CANONICAL.search(data)
    if found:
        url = (found.group(1) or found.group(2)).decode("latin-1")
        host = urllib.parse.urlsplit(url).hostname
        if host:
            return registrable(host)
    hosts = collections.Counter(registrable(h.decode("latin-1")) for h in LINK.findall(data))
    if hosts:
        return hosts.most_common(1)[0][0]
    return case


def sites_of(cases):
    return {case: site_of_page(case, page, truth) for case, page, truth in cases}


def assign_folds(site_of, k):
    """{case: fold}: whole sites, biggest first, each to the fold with the fewest pages."""
    pages = collections.Counter(site_of.values())
    order = sorted(pages, key=lambda s: (-pages[s], hashlib.sha1(s.encode()).hexdigest()))
    load = [0] * k
    fold_of_site = {}
    for site in order:
        fold = min(range(k), key=lambda f: (load[f], f))
        fold_of_site[site] = fold
        load[fold] += pages[site]
    return {case: fold_of_site[site] for case, site in site_of.items()}


def metric_value(scores, members, metric):
    values = [scores[c][metric] for c in members if scores[c][metric] is not None]
    if not values:
        return None
    return sum(float(v) for v in values) / len(values)


def print_folds(cases, names, per_page, folds, subset_of, site_of):
    """Per subset and metric: the value in each fold, the mean and the spread."""
    k = max(folds.values()) + 1
    members = collections.defaultdict(list)
    for case, _, _ in cases:
        subset = subset_of(case)
        members[(subset, folds[case])].append(case)
        if subset != "readability":
            members[("overall w/o readability", folds[case])].append(case)
    site_count = [len({site_of[c] for c in folds if folds[c] == f}) for f in range(k)]
    print(f"\nsite-grouped folds: {k}; sites per fold {site_count}; pages per fold "
          f"{[sum(1 for c in folds if folds[c] == f) for f in range(k)]}")
    print(f"{'subset':<24}{'metric':<9}{'by':<5}" + "".join(f"{'f' + str(f + 1):>7}" for f in range(k))
          + f"{'mean':>8}{'min':>7}{'max':>7}{'sd':>7}")
    subsets = sorted({s for s, _ in members}, key=lambda s: (s.startswith("overall"), s))
    out = {}
    for subset in subsets:
        for metric in ("body_f1", "title", "day", "minute", "author", "source"):
            for name in names:
                values = [metric_value(per_page[name], members[(subset, f)], metric)
                          for f in range(k)]
                present = [v for v in values if v is not None]
                if not present:
                    continue
                short = {"feedgate": "fg", "readability": "rdb"}[name]
                cells = "".join(f"{v:>7.3f}" if v is not None else f"{'-':>7}" for v in values)
                sd = statistics.pstdev(present) if len(present) > 1 else 0.0
                print(f"{subset:<24}{metric:<9}{short:<5}{cells}{statistics.mean(present):>8.3f}"
                      f"{min(present):>7.3f}{max(present):>7.3f}{sd:>7.3f}")
                out.setdefault(subset, {}).setdefault(metric, {})[name] = values
    return out

