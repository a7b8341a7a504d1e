"""The page modules joined into one file (explore/bundle.py): built from the explorer's files
as they are, every module app.js needs in the order ES modules run, the modules early.js
shares imported rather than copied, and a module the joining cannot take as written
refused by name."""

import re
from pathlib import Path

import pytest
from claimledger_server.explore.bundle import BundleError, bundle
from claimledger_server.explore.routes import APART, ASSETS, BUNDLE, ExplorerFiles

JS = ASSETS / "js"


def joined_modules(text: str) -> list[str]:
    return re.findall(r"^// ---- (\S+)$", text, re.M)


def test_the_bundle_is_app_js_and_every_module_it_needs_but_those_early_js_shares() -> None:
    text = bundle(JS, "app.js", APART)
    joined = joined_modules(text)
    needed = {p.name for p in JS.glob("*.js")} - APART - {"early.js"}
    assert set(joined) == needed
    assert joined[-1] == "app.js"
    # Each module after those it imports, as a browser runs them.
    for name in joined:
        for module in re.findall(r'from "\./([\w-]+\.js)";', (JS / name).read_text()):
            if module not in APART:
                assert joined.index(module) < joined.index(name), (name, module)
    imports = re.findall(r'^import \{[^}]*\} from "\./([\w-]+\.js)";$', text, re.M)
    assert sorted(imports) == sorted(APART)
    assert not re.search(r"^export ", text, re.M)
    assert ExplorerFiles().made[BUNDLE] == text.encode()


def test_the_shell_loads_the_bundle_and_the_modules_early_js_needs_only() -> None:
    files = ExplorerFiles()
    scripts = re.findall(r'(?:src|href)="[^"]*/(js/[\w-]+\.js)"', files.shell.decode())
    assert sorted(scripts) == sorted(["js/early.js", BUNDLE, *(f"js/{m}" for m in APART)])
    early = (JS / "early.js").read_text()
    assert set(re.findall(r'from "\./([\w-]+\.js)";', early)) == APART
    asset = files.asset(BUNDLE)
    assert asset.media_type == "text/javascript"
    assert asset.body == files.made[BUNDLE]


def write(folder: Path, modules: dict[str, str]) -> Path:
    for name, text in modules.items():
        (folder / name).write_text(text)
    return folder


@pytest.mark.parametrize(
    ("modules", "refused"),
    [
        (
            {"app.js": 'import { a } from "./one.js";\nconst b = a;\n', "one.js": "const a = 1;\n"},
            "one.js exports no",
        ),
        (
            {
                "app.js": 'import { a } from "./one.js";\nconst x = a;\n',
                "one.js": "export const a = 1;\nconst x = 2;\n",
            },
            "both declare x",
        ),
        (
            {"app.js": 'import { a as b } from "./one.js";\n', "one.js": "export const a = 1;\n"},
            "renames",
        ),
        ({"app.js": 'import "./one.js";\n', "one.js": "const a = 1;\n"}, "an import not of"),
        (
            {
                "app.js": 'import { a } from "./one.js";\n',
                "one.js": "export default 1;\nexport const a = 1;\n",
            },
            "an export other than",
        ),
        (
            {
                "app.js": 'import { a } from "./one.js";\n',
                "one.js": 'import { b } from "./two.js";\nexport const a = 1;\n',
                "two.js": 'import { a } from "./one.js";\nexport const b = 1;\n',
            },
            "imports itself",
        ),
        (
            {
                "app.js": 'import { get } from "./api.js";\nfunction get() {}\n',
                "api.js": "export function get() {}\n",
            },
            "imported from api.js and declared",
        ),
    ],
)
def test_a_module_the_bundle_cannot_join_is_refused_by_name(
    tmp_path: Path, modules: dict[str, str], refused: str
) -> None:
    with pytest.raises(BundleError, match=refused):
        bundle(write(tmp_path, modules), "app.js", frozenset({"api.js"}))


def test_joined_modules_keep_their_order_and_lose_only_imports_and_exports(tmp_path: Path) -> None:
    folder = write(
        tmp_path,
        {
            "app.js": (
                'import { b } from "./two.js";\nimport { a } from "./one.js";\nconsole.log(a, b);\n'
            ),
            "one.js": "export const a = 1;\n",
            "two.js": 'import { a } from "./one.js";\nexport async function b() { return a; }\n',
        },
    )
    text = bundle(folder, "app.js", frozenset())
    assert joined_modules(text) == ["one.js", "two.js", "app.js"]
    assert "const a = 1;" in text
    assert "async function b() { return a; }" in text
    assert "console.log(a, b);" in text
    assert "import" not in text.split("\n", 1)[1]
