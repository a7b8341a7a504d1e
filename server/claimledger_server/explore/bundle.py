"""The explorer's page modules joined into one file when the server starts.

A browser speaks HTTP/1.1 to this server: six connections to it at most. Loaded one file
each, the explorer's fourteen modules took every connection on a first visit, and the
first API requests (which `early.js` starts as soon as it and the two modules it imports
are in) waited for a free one behind modules the page needs only later — 20-100 ms, with
the server's time per file on top. So the shell loads `early.js`, `api.js` and
`requests.js` as they are and everything else as one module, `bundle.js`, made here from
the files beside them: each module's text in the order of its imports, its imports of
other joined modules taken out and `export` dropped from its declarations. Its imports of
the modules loaded on their own stay imports, so `api.js` (and the requests early.js put
under way, which the pages take) is one module for both.

Nothing is parsed as JavaScript: the modules are written in a shape this reads (imports
`import { a, b } from "./m.js";` at the top, declarations at the start of a line, no
default export, no two modules declaring the same name). A module outside that shape stops
the server from starting, with the module and what is wrong (tests/explore/test_bundle.py
builds it from the files as they are)."""

import re
from pathlib import Path

IMPORT = re.compile(r'^import\s*\{([^}]*)\}\s*from\s*"\./([\w-]+\.js)";\n', re.M)
EXPORT = re.compile(r"^export (?=(?:async )?function\*? |const |let |class )", re.M)
DECLARED = re.compile(
    r"^(?:export )?(?:(?:async )?function\*?|const|let|var|class)\s+([\w$]+)", re.M
)
ANY_EXPORT = re.compile(r"^\s*export\b", re.M)
ANY_IMPORT = re.compile(r"^\s*import\b", re.M)


class BundleError(ValueError):
    """A module the bundle cannot join as it is written."""


def _imports(name: str, text: str) -> list[tuple[str, list[str]]]:
    found = [
        (module, [n.strip() for n in names.split(",") if n.strip()])
        for names, module in IMPORT.findall(text)
    ]
    if len(ANY_IMPORT.findall(text)) != len(found):
        raise BundleError(f'{name}: an import not of the form `import {{ a }} from "./m.js";`')
    for _, names in found:
        if any(not re.fullmatch(r"[\w$]+", n) for n in names):
            raise BundleError(f"{name}: an import renames or is not a plain name: {names}")
    return found


def bundle(folder: Path, entry: str, apart: frozenset[str]) -> str:
    """`entry` and every module it imports from `folder`, joined; the modules in `apart`
    stay modules of their own, imported by the bundle."""
    texts: dict[str, str] = {}
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in texts:
            return
        if name in visiting:
            raise BundleError(f"{name}: imports itself through the modules it imports")
        visiting.add(name)
        text = (folder / name).read_text()
        for module, _ in _imports(name, text):
            if module not in apart:
                visit(module)
        visiting.discard(name)
        texts[name] = text
        order.append(name)

    visit(entry)
    kept: dict[str, set[str]] = {}
    declared: dict[str, str] = {}
    parts = []
    for name in order:
        text = texts[name]
        for module, names in _imports(name, text):
            if module in apart:
                kept.setdefault(module, set()).update(names)
            elif missing := set(names) - set(_exported(module, texts[module])):
                raise BundleError(f"{name}: {module} exports no {sorted(missing)}")
        body = EXPORT.sub("", IMPORT.sub("", text))
        if ANY_EXPORT.search(body):
            raise BundleError(f"{name}: an export other than `export` before a declaration")
        for declaration in DECLARED.findall(body):
            if declaration in declared:
                raise BundleError(f"{name} and {declared[declaration]} both declare {declaration}")
            declared[declaration] = name
        parts.append(f"// ---- {name}\n{body.strip()}\n")
    for module, shared in kept.items():
        if clash := shared & declared.keys():
            raise BundleError(f"{sorted(clash)}: imported from {module} and declared in the bundle")
    imports = [
        f'import {{ {", ".join(sorted(names))} }} from "./{module}";\n'
        for module, names in sorted(kept.items())
    ]
    header = f"// The explorer's modules from {entry} on, joined (explore/bundle.py).\n"
    return header + "".join(imports) + "\n" + "\n".join(parts)


def _exported(name: str, text: str) -> list[str]:
    return [m.group(1) for m in DECLARED.finditer(text) if m.group(0).startswith("export ")]
