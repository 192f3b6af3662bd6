"""The wheel: what it installs (no top-level `adapters`), and the adapters running under their installed name."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What building the wheel reads; copied elsewhere so the build leaves nothing in the checkout.
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "faqbot", "adapters", "corpus")
INSTALLED_NAME = "faqbot_adapters"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout by pip, as `.ci/run` and `pip install .` build it."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("dist")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(source), "-w", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    (built,) = out.glob("faqbot-*.whl")
    return built


def _names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def _metadata(wheel: Path, name: str) -> str:
    with zipfile.ZipFile(wheel) as archive:
        (path,) = [entry for entry in archive.namelist() if entry.endswith(f".dist-info/{name}")]
        return archive.read(path).decode("utf-8")


def test_the_wheel_installs_no_top_level_adapters_module(wheel: Path) -> None:
    tops = {name.split("/")[0] for name in _names(wheel) if ".dist-info/" not in name and ".data/" not in name}
    assert tops == {"faqbot", INSTALLED_NAME}
    assert _metadata(wheel, "top_level.txt").split() == ["faqbot", INSTALLED_NAME]
    assert re.search(rf"^faqbot = {INSTALLED_NAME}\.cli:main$", _metadata(wheel, "entry_points.txt"), re.M)


def test_the_wheel_carries_every_module_asset_and_document(wheel: Path) -> None:
    names = set(_names(wheel))
    expected = {f"faqbot/{path.relative_to(ROOT / 'faqbot').as_posix()}" for path in (ROOT / "faqbot").rglob("*.py")}
    for path in (ROOT / "adapters").rglob("*"):
        if path.suffix in (".py", ".js", ".html", ".css"):
            expected.add(f"{INSTALLED_NAME}/{path.relative_to(ROOT / 'adapters').as_posix()}")
    documents = {path.name for path in (ROOT / "corpus").iterdir() if path.suffix in (".txt", ".toml", ".md")}
    expected |= {f"faqbot-0.1.0.data/data/share/faqbot/corpus/{name}" for name in documents}
    expected |= {"faqbot/py.typed", "faqbot/data/weights.json", "faqbot/data/english-words.tsv.gz"}
    assert documents and sorted(expected - names) == []


def test_the_adapters_import_each_other_relatively() -> None:
    # An absolute `adapters.` import or import string would work in a checkout and fail once installed.
    absolute = re.compile(r"^\s*(from|import) adapters\b|[\"']adapters\.", re.M)
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "adapters").rglob("*.py")
        if absolute.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


# Run from the unpacked wheel: asks a question, serves the widget's assets and resolves uvicorn's import strings.
_UNDER_INSTALLED_NAME = """
import io, json, sys
sys.path.insert(0, sys.argv[3])  # the unpacked wheel first, so faqbot and faqbot_adapters are imported from it
from contextlib import redirect_stdout
from pathlib import Path
from starlette.testclient import TestClient
from uvicorn.importer import import_from_string
from faqbot.settings import EngineSettings, InsightsSettings
from faqbot_adapters.cli import main
from faqbot_adapters.serving import uvicorn_options
from faqbot_adapters.settings import Settings
from faqbot_adapters.web.app import create_app

corpus, data = sys.argv[1], Path(sys.argv[2])
printed = io.StringIO()
with redirect_stdout(printed):
    status = main(["ask", "--corpus", corpus, "does acupuncture hurt?"])
engine = EngineSettings(corpus=Path(corpus), cache_dir=data / "cache")
settings = Settings(engine=engine, insights=InsightsSettings(path=data / "insights.sqlite3"))
with TestClient(create_app(settings, b"k" * 32)) as client:
    widget = client.get("/widget.js")
    health = client.get("/healthz")
protocol = import_from_string(uvicorn_options()["http"])
files = {name: getattr(module, "__file__", None) for name, module in sys.modules.items()}
print(json.dumps({
    "status": status, "answer": printed.getvalue(), "widget": widget.status_code, "health": health.status_code,
    "protocol": protocol.__module__,
    "loaded": sorted({name.split(".")[0] for name in files}),
    "outside": sorted(n for n, f in files.items() if n.split(".")[0] in ("faqbot", "faqbot_adapters")
                      and f and not f.startswith(sys.argv[3])),
}))
"""


def test_the_adapters_run_under_their_installed_name(wheel: Path, tmp_path: Path) -> None:
    unpacked = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    script = tmp_path / "run.py"
    script.write_text(_UNDER_INSTALLED_NAME, encoding="utf-8")
    command = [sys.executable, str(script), str(ROOT / "corpus"), str(tmp_path), str(unpacked)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["status"] == 0 and "Source: Acupuncture" in seen["answer"]
    assert seen["widget"] == 200 and seen["health"] == 200
    assert seen["protocol"] == f"{INSTALLED_NAME}.serving"
    assert "adapters" not in seen["loaded"] and seen["outside"] == []
