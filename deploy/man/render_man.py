#!/usr/bin/env python3
"""Renders the man pages from their one source (deploy/man/feedgate.man.md) to roff.

The source is a small Markdown subset: "# name(section) -- summary" starts a page, "## X" a
section, blank lines separate paragraphs (two trailing spaces break a line), a "`term`" line followed by lines indented four spaces
is a tagged paragraph, ``` fences a literal block, and **bold**, *italic*, `code` mark words.

usage: render_man.py SOURCE OUTDIR VERSION  → OUTDIR/name.section for each page
"""
import pathlib
import re
import sys


def escape(text):
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return text


def inline(text):
    text = escape(text)
    text = re.sub(r"\*\*(.+?)\*\*", r"\\fB\1\\fR", text)
    text = re.sub(r"`(.+?)`", r"\\fB\1\\fR", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\\fI\1\\fR", text)
    return text


def safe_line(line):
    """A roff text line must not start with a control character."""
    return "\\&" + line if line.startswith((".", "'")) else line


def render_page(name, section, summary, lines, version):
    out = [f'.TH "{name.upper()}" "{section}" "" "feedgate {version}" "feedgate"',
           ".SH NAME", f"{escape(name)} \\- {inline(summary)}"]
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("## "):
            out.append(".SH " + line[3:].strip().upper())
        elif line.startswith("```"):
            out += [".PP", ".RS 4", ".nf"]
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                out.append(safe_line(escape(lines[i])))
                i += 1
            out += [".fi", ".RE"]
        elif line.strip() and i + 1 < len(lines) and lines[i + 1].startswith("    "):
            out += [".TP", safe_line(inline(line.strip()))]
            i += 1
            while i < len(lines) and lines[i].startswith("    "):
                out.append(safe_line(inline(lines[i].strip())))
                i += 1
            continue
        elif line.strip():
            if not out[-1].startswith(".SH") and (i == 0 or not lines[i - 1].strip()):
                out.append(".PP")
            out.append(safe_line(inline(line.strip())))
            if line.endswith("  "):  # Markdown's hard line break
                out.append(".br")
        i += 1
    return "\n".join(out) + "\n"


def split_pages(text):
    pages, current = [], None
    for line in text.splitlines():
        m = re.match(r"^# (\S+)\((\d)\) -- (.+)$", line)
        if m:
            current = (m.group(1), m.group(2), m.group(3), [])
            pages.append(current)
        elif current is not None:
            current[3].append(line)
    return pages


def main():
    source, outdir, version = sys.argv[1:4]
    outdir = pathlib.Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    for name, section, summary, lines in split_pages(pathlib.Path(source).read_text("utf-8")):
        (outdir / f"{name}.{section}").write_text(
            render_page(name, section, summary, lines, version), "utf-8")


if __name__ == "__main__":
    main()
