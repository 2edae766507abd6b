"""The wheel is the product: built, installed into a fresh virtual environment outside
the repository, and used from an empty folder, it drafts, detects and checks guidelines
with nothing but what it carries (sample brand, prompts, fitted numbers)."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Path, Path, dict[str, str]]]:
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)])
    wheel = next(dist.glob("assistant-*.whl"))
    env_dir = base / "fresh"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    _run([str(env_dir / "bin" / "pip"), "install", "-q", str(wheel)])
    home = base / "home"
    env = {
        "PATH": f"{env_dir / 'bin'}:/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_DATA_HOME": str(home / "data"),
        "PYTHONHASHSEED": "0",
    }
    workdir = base / "elsewhere"
    workdir.mkdir()
    yield env_dir / "bin", workdir, env


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, capture_output=True, text=True, timeout=900, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def test_the_wheel_carries_the_sample_brand_and_prompts(
    installed: tuple[Path, Path, dict[str, str]],
) -> None:
    bin_dir, workdir, env = installed
    code = (
        "from assistant.resources import sample_guidelines, prompts_dir\n"
        "import assistant\n"
        "print(sample_guidelines(), prompts_dir(), assistant.__file__)"
    )
    out = _run([str(bin_dir / "python"), "-c", code], cwd=workdir, env=env).stdout.split()
    assert all("site-packages" in part for part in out), out
    assert not any(str(ROOT) in part for part in out), out


def test_draft_json_from_an_empty_folder(installed: tuple[Path, Path, dict[str, str]]) -> None:
    bin_dir, workdir, env = installed
    out = _run(
        [str(bin_dir / "assistant"), "draft", "--json", "where is my order?"], cwd=workdir, env=env
    )
    suggestion = json.loads(out.stdout)
    first = suggestion["drafts"][0]
    assert first["language"] == "en"
    assert first["citations"] == ["order-status"]
    assert not list(workdir.iterdir()), "nothing may be written to the working folder"


def test_detect_and_guidelines_check(installed: tuple[Path, Path, dict[str, str]]) -> None:
    bin_dir, workdir, env = installed
    detected = _run(
        [str(bin_dir / "assistant"), "detect", "--json", "Որտե՞ղ է իմ պատվերը"],
        cwd=workdir,
        env=env,
    )
    assert json.loads(detected.stdout)["language"] == "hy"
    checked = _run([str(bin_dir / "assistant"), "guidelines", "check"], cwd=workdir, env=env)
    assert "0 error(s)" in checked.stdout


def test_python_api_from_an_empty_folder(installed: tuple[Path, Path, dict[str, str]]) -> None:
    bin_dir, workdir, env = installed
    code = (
        "from assistant import Assistant\n"
        "s = Assistant.load().suggest('Որտե՞ղ է իմ պատվերը', channel='twitter')\n"
        "print(s.drafts[0].language, ','.join(s.drafts[0].citations))"
    )
    out = _run(
        [str(bin_dir / "python"), "-c", code],
        cwd=workdir,
        env=env,
    )
    assert out.stdout.split() == ["hy", "order-status"]
