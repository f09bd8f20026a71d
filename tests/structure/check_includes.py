#!/usr/bin/env python3
"""Every #include "B/x.hpp" across modules goes through B's front door, and to a module that the
includer's CMake dependencies state.

- Front doors are the module table in CONTRIBUTING.md (one place; this check reads it, so the
  table cannot drift from what is enforced). A header under daemon/<B>/detail/ is never a front
  door.
- A module may include the modules it names in daemon/CMakeLists.txt (fg_module PUBLIC_DEPS and
  PRIVATE_DEPS; for app, the fg_app and feedgate targets) and, through them, their PUBLIC deps.
- tests/unit/<m>/ may include anything of <m>, the front doors of what unit_<m> links, and
  tests/support/; never another tests folder. tests/fuzz/fuzz_<x>.cpp may include anything of the
  modules its target links (they are what it fuzzes). tests/support/ and tests/bench/ may include
  front doors only.

Prints one `file:line: problem` per violation and exits 1 if there is any."""

import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')


def cmake_text(path):
    return re.sub(r"#[^\n]*", "", (REPO / path).read_text(encoding="utf-8"))


def module_deps():
    """{module: (public fg deps, all direct fg deps)} from daemon/CMakeLists.txt."""
    deps = {}
    text = cmake_text("daemon/CMakeLists.txt")
    for name, args in re.findall(r"fg_module\(\s*(\w+)([^)]*)\)", text):
        public, private, section = set(), set(), None
        for token in args.split():
            if token in ("PUBLIC_DEPS", "PRIVATE_DEPS"):
                section = token
            elif token.startswith("fg_"):
                (public if section == "PUBLIC_DEPS" else private).add(token[3:])
        deps[name] = (public, public | private)
    # app is two targets: the library fg_app (what its unit tests link) and the feedgate binary.
    public, direct = set(), set()
    for target, args in re.findall(r"target_link_libraries\(\s*(fg_app|feedgate)\s([^)]*)\)", text):
        names = {t[3:] for t in args.split() if t.startswith("fg_") and t != "fg_app"}
        direct |= names
        if target == "fg_app":
            public |= names
    deps["app"] = (public, direct)
    return deps


def reachable(module, deps):
    """The modules `module` may include: itself, its direct deps and their PUBLIC closure."""
    seen, todo = {module}, list(deps.get(module, (set(), set()))[1])
    while todo:
        m = todo.pop()
        if m not in seen:
            seen.add(m)
            todo.extend(deps.get(m, (set(), set()))[0])
    return seen


def front_doors():
    """{module: set of headers, or None for "every header"} from CONTRIBUTING.md's table."""
    doors = {}
    for line in (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or not re.fullmatch(r"`\w+`", cells[0]):
            continue
        headers = re.findall(r"`(\w+/[\w/]+\.hpp)`", cells[1])
        doors[cells[0].strip("`")] = None if "every header" in cells[1] else set(headers)
    return doors


def unit_test_deps(deps):
    """{module: modules unit_<module> may include} from tests/CMakeLists.txt."""
    out = {}
    for name, args in re.findall(r"fg_unit_test\(\s*(\w+)([^)]*)\)", cmake_text("tests/CMakeLists.txt")):
        mods = reachable(name, deps)
        for t in args.split():
            if t.startswith("fg_"):
                mods |= reachable(t[3:], deps)
        out[name] = mods
    return out


def fuzz_targets():
    """{fuzz_<x>.cpp: modules the target links} from tests/fuzz/CMakeLists.txt."""
    out = {}
    for name, args in re.findall(r"fg_fuzz_target\(\s*(\w+)([^)]*)\)", cmake_text("tests/fuzz/CMakeLists.txt")):
        out[f"fuzz_{name}.cpp"] = {t[3:] for t in args.split() if t.startswith("fg_")}
    return out


class Rules:
    """What one source file may include: `own` modules entirely, front doors of `deps`."""

    def __init__(self, name, own, deps):
        self.name, self.own, self.deps = name, own, deps


def rules_for(rel, modules, deps, unit_deps, fuzz):
    parts = rel.parts
    if parts[0] == "daemon" and len(parts) > 2 and parts[1] in modules:
        return Rules(f"module {parts[1]}", {parts[1]}, reachable(parts[1], deps))
    if parts[:2] == ("tests", "unit") and len(parts) > 3:
        m = parts[2]
        return Rules(f"tests/unit/{m}", {m}, unit_deps.get(m, {m}))
    if parts[:2] == ("tests", "fuzz") and parts[-1] in fuzz:
        linked = fuzz[parts[-1]]
        return Rules(f"tests/fuzz/{parts[-1]}", linked, set().union(*(reachable(m, deps) for m in linked)))
    if parts[0] == "tests" and len(parts) > 2 and parts[1] in ("support", "bench"):
        return Rules(f"tests/{parts[1]}", set(), None)  # front doors of any module
    return None


def check_file(path, rules, modules, doors):
    rel = path.relative_to(REPO)
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        inc = m.group(1)
        where = f"{rel}:{number}:"
        if inc.startswith("../"):
            target = (path.parent / inc).resolve().relative_to(REPO)
            if rel.parts[0] == "tests" and target.parts[:2] != ("tests", "support"):
                problems.append(f"{where} {rules.name} includes {inc} from another tests folder "
                                "(shared test helpers live in tests/support/)")
            continue
        module = inc.split("/")[0]
        if module not in modules or module in rules.own:
            continue
        if rules.deps is not None and module not in rules.deps:
            problems.append(f"{where} {rules.name} includes {inc}, but its CMake dependencies do "
                            f"not state {module} (daemon/CMakeLists.txt or tests/CMakeLists.txt)")
            continue
        door = doors.get(module, set())
        if "/detail/" in inc or (door is not None and inc not in door):
            front = ", ".join(sorted(door or [])) or "none"
            problems.append(f"{where} {rules.name} includes {inc}, which is internal to {module} "
                            f"(front door: {front})")
    return problems


def main():
    deps = module_deps()
    modules = set(deps)
    doors = front_doors()
    problems = [f"CONTRIBUTING.md: module {m} has no row in the module table (front doors)"
                for m in sorted(modules - set(doors))]
    unit_deps, fuzz = unit_test_deps(deps), fuzz_targets()
    for top in ("daemon", "tests"):
        for root, _, files in os.walk(REPO / top):
            for f in sorted(files):
                if not f.endswith((".cpp", ".hpp")):
                    continue
                path = Path(root) / f
                rules = rules_for(path.relative_to(REPO), modules, deps, unit_deps, fuzz)
                if rules:
                    problems += check_file(path, rules, modules, doors)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} include(s) break the module structure; see CONTRIBUTING.md, Layout")
        return 1
    print(f"module structure: {len(modules)} modules, every cross-module include goes through a "
          "front door to a stated dependency")
    return 0


if __name__ == "__main__":
    sys.exit(main())
