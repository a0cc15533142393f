"""Dependencies point downhill: members and notify are the base, circles builds on them,
governance on circles. Higher apps contribute to the base through registries filled in
AppConfig.ready(); nothing imports back up, not even inside a function."""

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each package, and the packages it must never import.
NEVER_IMPORTS = {
    "peernet.members": {"circles", "governance"},
    "peernet.notify": {"circles", "governance"},
    "circles": {"governance"},
}
# The project package's own shared modules sit under every app.
PROJECT_SHARED = [
    "peernet.converters",
    "peernet.exports",
    "peernet.forms",
    "peernet.http",
    "peernet.limits",
    "peernet.markdown",
    "peernet.models",
    "peernet.sessions",
    "peernet.submissions",
    "peernet.text",
    "peernet.templatetags.peernet_tags",
]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules(package: str) -> list[tuple[str, Path]]:
    base = ROOT.joinpath(*package.split("."))
    if base.with_suffix(".py").exists():
        return [(package, base.with_suffix(".py"))]
    return [(_module_name(p), p) for p in sorted(base.rglob("*.py"))]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _rules():
    for package, forbidden in NEVER_IMPORTS.items():
        yield from ((name, path, forbidden) for name, path in _modules(package))
    for shared in PROJECT_SHARED:
        yield from (
            (name, path, {"circles", "governance", "peernet.members", "peernet.notify"})
            for name, path in _modules(shared)
        )


RULES = list(_rules())


def test_the_rules_see_every_module_of_the_base_apps():
    assert len(RULES) > 40
    assert {"peernet.notify.services", "peernet.members.data_rights", "circles.selectors"} <= {
        name for name, _path, _forbidden in RULES
    }


@pytest.mark.parametrize(("module", "path", "forbidden"), RULES, ids=[r[0] for r in RULES])
def test_no_upward_import(module, path, forbidden):
    upward = {
        name
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    }
    assert not upward, f"{module} imports {sorted(upward)}, above it"
    importlib.import_module(module)


def test_the_scan_catches_an_import_inside_a_function(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def later():\n    from governance.models import Proposal\n")
    assert _imports(sample) == {"governance.models"}


# The project's wiring, where paths are defined rather than written out.
PATHS_DEFINED_IN = {"urls.py", "settings.py", "middleware.py"}


def _app_sources():
    for package in ("peernet", "circles", "governance"):
        for path in sorted(ROOT.joinpath(package).rglob("*.py")):
            if "migrations" not in path.parts and path.name not in PATHS_DEFINED_IN:
                yield path


def test_no_path_is_written_by_hand_in_python():
    """Links come from reverse() or get_absolute_url(), so moving a URL moves every link."""
    written = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}"
        for path in _app_sources()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value[:1] == "/"
        and node.value[1:2].isalpha()
    ]
    assert not written, "\n".join(written)


def test_a_circles_settings_are_listed_once():
    from circles.forms import CircleForm
    from circles.models import Circle
    from governance.forms import CircleSettingsForm

    assert tuple(CircleForm.base_fields) == Circle.SETTING_FIELDS
    circle = Circle(name="Garden", slug="garden")
    proposal_form = CircleSettingsForm(circle=circle, proposer=None)
    assert tuple(f for f in proposal_form.fields if f in Circle.SETTING_FIELDS) == (
        Circle.SETTING_FIELDS
    )
