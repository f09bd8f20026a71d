#!/usr/bin/python3
"""Prints `feedgate extract --explain` for every page of a corpus, one block per case.

usage: explain_corpus.py FEEDGATE CORPUS > out.txt

Used to prove a refactor changes nothing: run it with the binary before and after and compare
the two files byte for byte (`cmp`). The base URL and charset are the case's, as in eval.py.
Extra environment (FEEDGATE_EXTRACT_OFF, ...) is passed through.
"""

import json
import pathlib
import subprocess
import sys


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, corpus = sys.argv[1], pathlib.Path(sys.argv[2])
    out = sys.stdout.buffer
    for folder in sorted(corpus.iterdir()):
        page, truth = folder / "page.html", folder / "expected.json"
        if not (page.is_file() and truth.is_file()):
            continue
        expected = json.loads(truth.read_text(encoding="utf-8"))
        command = [binary, "extract", "--explain"]
        if expected.get("url"):
            command += ["--base-url", expected["url"]]
        if expected.get("charset"):
            command += ["--charset", expected["charset"]]
        proc = subprocess.run(command + [str(page)], capture_output=True, timeout=120)
        out.write(f"=== {folder.name} exit {proc.returncode}\n".encode())
        out.write(proc.stdout)
        out.write(proc.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
