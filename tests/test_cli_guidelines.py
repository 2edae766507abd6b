"""`assistant guidelines check|coverage|schema` for content leads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from assistant.cli import app
from assistant.knowledge.coverage import SCHEMAS, write_schemas
from assistant.resources import sample_guidelines

runner = CliRunner()
MINIMAL = Path(__file__).parent / "fixtures" / "minimal"


def test_check_on_the_sample_brand_exits_0() -> None:
    result = runner.invoke(app, ["guidelines", "check"])
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


def test_check_on_a_broken_folder_prints_file_line_field_and_exits_1(tmp_path: Path) -> None:
    root = tmp_path / "guidelines"
    shutil.copytree(MINIMAL, root)
    brand = root / "brand.yaml"
    brand.write_text(brand.read_text().replace("sign_off: Nimbus Care", "sign_of: Nimbus Care"))
    result = runner.invoke(app, ["guidelines", "check", str(root)])
    assert result.exit_code == 1
    assert "guidelines/brand.yaml:17: sign_of: unknown field; did you mean 'sign_off'?" in (
        result.output
    )


def test_strict_fails_on_warnings_and_json_lists_them(tmp_path: Path) -> None:
    root = tmp_path / "guidelines"
    shutil.copytree(MINIMAL, root)
    faq = root / "faq" / "order-status.yaml"
    faq.write_text(
        faq.read_text().replace("last_reviewed: 2026-10-15", "last_reviewed: 2001-01-01")
    )
    assert runner.invoke(app, ["guidelines", "check", str(root)]).exit_code == 0
    strict = runner.invoke(app, ["guidelines", "check", str(root), "--strict", "--json"])
    assert strict.exit_code == 1
    problems = json.loads(strict.output)
    assert [p["severity"] for p in problems] == ["warning"]
    assert problems[0]["field"] == "last_reviewed"


def test_coverage_table_is_complete_for_the_sample_brand() -> None:
    result = runner.invoke(app, ["guidelines", "coverage", "--json"])
    assert result.exit_code == 0
    cells = json.loads(result.output)
    assert len(cells) == 11 * 16  # 15 languages and Roman Hindi (hi-Latn)
    assert {c["status"] for c in cells} == {"present"}
    table = runner.invoke(app, ["guidelines", "coverage"])
    assert "176/176 answers present and fresh" in table.output


def test_schema_command_writes_schemas(tmp_path: Path) -> None:
    result = runner.invoke(app, ["guidelines", "schema", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{name}.schema.json" for name in SCHEMAS
    )


def test_shipped_schemas_are_up_to_date(tmp_path: Path) -> None:
    for path in write_schemas(tmp_path):
        shipped = sample_guidelines() / "schemas" / path.name
        assert shipped.read_text() == path.read_text(), "run `assistant guidelines schema`"


def test_every_yaml_file_points_to_its_schema() -> None:
    for path in sample_guidelines().rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.exists(), path


def test_coverage_shows_missing_answers_in_a_folder_with_errors(tmp_path: Path) -> None:
    root = tmp_path / "guidelines"
    shutil.copytree(MINIMAL, root)
    brand = root / "brand.yaml"
    brand.write_text(brand.read_text().replace("supported: [en]", "supported: [en, es]"))
    spanish = (sample_guidelines() / "locales" / "es.yaml").read_text(encoding="utf-8")
    (root / "locales" / "es.yaml").write_text(spanish, encoding="utf-8")
    faq = root / "faq" / "order-status.yaml"
    faq.write_text(faq.read_text().replace("answers:\n", "answers:\n  es: Llega en 3-5 días.\n"))
    result = runner.invoke(app, ["guidelines", "coverage", str(root)])
    assert result.exit_code == 1  # the errors are listed too
    rows = {line.split("│")[1].strip(): line for line in result.output.splitlines() if "│" in line}
    assert "✓" in rows["order-status"].split("│")[3]  # es written
    assert "✗" in rows["refund-status"].split("│")[3]  # es still missing
    assert "no answer in 'es'" in result.output
    cells = json.loads(runner.invoke(app, ["guidelines", "coverage", str(root), "--json"]).stdout)
    assert {c["faq_id"] for c in cells if c["status"] == "missing"} == {
        "password-reset",
        "refund-status",
    }


def test_schema_takes_the_folder_like_check_and_coverage(tmp_path: Path) -> None:
    root = tmp_path / "guidelines"
    shutil.copytree(MINIMAL, root)
    result = runner.invoke(app, ["guidelines", "schema", str(root)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (root / "schemas").iterdir()) == sorted(
        f"{name}.schema.json" for name in SCHEMAS
    )


def test_init_copies_the_sample_brand_as_a_starting_point(tmp_path: Path) -> None:
    target = tmp_path / "acme"
    result = runner.invoke(app, ["guidelines", "init", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "brand.yaml").exists() and (target / "README.md").exists()
    assert (target / "schemas" / "faq.schema.json").exists()
    assert runner.invoke(app, ["guidelines", "check", str(target)]).exit_code == 0
    again = runner.invoke(app, ["guidelines", "init", str(target)])
    assert again.exit_code != 0
    assert "not an empty folder" in str(again.exception) + again.output
