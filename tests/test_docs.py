"""The project documents itself: the design is in the repository (docs/design.md), and the
READMEs and docs/ never point outside it — a clone must be enough to read them."""

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
DESIGN = ROOT / "docs" / "design.md"

# Paths that leave the repository, or name the workspace's design notes beside it.
OUTSIDE = [
    re.compile(r"\.\./"),
    re.compile(r"\.\.\\"),
    re.compile(r"shared/DESIGN", re.IGNORECASE),
    re.compile(r"(?<![\w.-])shared/"),
]
FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.DOTALL)
INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def documentation() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "sdk" / "README.md"]
    files += sorted(p for p in (ROOT / "docs").rglob("*.md") if p.is_file())  # not images
    return files


def link_targets(text: str) -> list[str]:
    """Markdown link targets outside code blocks and code spans."""
    prose = CODE_SPAN.sub("", FENCE.sub("", text))
    return INLINE_LINK.findall(prose) + REFERENCE_LINK.findall(prose)


def test_the_design_is_in_the_repository() -> None:
    assert DESIGN.is_file()
    text = DESIGN.read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert len(text.splitlines()) >= 100


def test_the_readme_points_at_the_design() -> None:
    assert "docs/design.md" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", documentation(), ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_points_outside_the_repository(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [
        f"line {text.count(chr(10), 0, match.start()) + 1}: {match.group(0)!r}"
        for pattern in OUTSIDE
        for match in pattern.finditer(text)
    ]
    assert not found, f"{path.relative_to(ROOT)} refers outside the repository: {found}"


@pytest.mark.parametrize("path", documentation(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve_inside_the_repository(path: Path) -> None:
    broken = []
    for target in link_targets(path.read_text(encoding="utf-8")):
        if SCHEME.match(target) or target.startswith(("#", "//")):
            continue  # a URL (public specs are fine) or an anchor in the same page
        relative = unquote(target.split("#", 1)[0].split("?", 1)[0])
        base = ROOT if relative.startswith("/") else path.parent
        resolved = (base / relative.lstrip("/")).resolve()
        if not resolved.is_relative_to(ROOT) or not resolved.exists():
            broken.append(target)
    assert not broken, f"{path.relative_to(ROOT)} links to missing files: {broken}"


def test_link_targets_are_found() -> None:
    text = (
        "See [the design](docs/design.md), [spec](https://example.org/x) and ![img](a/b.png).\n"
        "`[not](a-link.md)`\n\n```\n[nor](this.md)\n```\n[ref]: sdk/README.md\n"
    )
    assert link_targets(text) == [
        "docs/design.md",
        "https://example.org/x",
        "a/b.png",
        "sdk/README.md",
    ]
