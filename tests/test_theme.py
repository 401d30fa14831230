"""The gemeente's look: NL Design System design tokens mapped to Streamlit's theme (ivpdata/theme.py),
refused when text would miss WCAG AA contrast, and handed to Streamlit as it reads it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from ivpdata import theme
from ivpdata.__main__ import main
from ivpdata.config import DATA_DIR, PROJECT_ROOT
from ivpdata.validate import DataError

TOKENS_FILE = "themes/voorbeeld.tokens.json"
STREAMLIT = Path(sys.executable).parent / "streamlit"


def _token(path: str) -> str:
    """A token's value read straight from the shipped tokens file."""
    node: Any = json.loads((DATA_DIR / TOKENS_FILE).read_text(encoding="utf-8"))
    for key in path.split("."):
        node = node[key]
    return str(node["$value"])


def _data_with(tmp_path: Path, tokens: dict[str, str]) -> Path:
    """A copy of the theme's configuration in which Dordrecht sets `tokens` to its own values."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "themes", data / "themes")
    shutil.copyfile(DATA_DIR / "gemeenten.yaml", data / "gemeenten.yaml")
    settings = yaml.safe_load((DATA_DIR / "settings.yaml").read_text(encoding="utf-8"))
    settings["thema"]["GM0505"]["tokens"] = tokens
    (data / "settings.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return data


def _refusal(data: Path) -> str:
    with pytest.raises(DataError) as refused:
        theme.build_theme("GM0505", data)
    return str(refused.value)


# --- tokens -> Streamlit's options ----------------------------------------------------------------


def test_the_shipped_tokens_become_the_theme_of_every_configured_gemeente():
    for code in ("GM0505", "GM0388"):
        options = theme.build_theme(code).options
        assert options["primaryColor"] == _token("nl.button.primary.background-color") == "#5115ef"
        assert options["textColor"] == _token("nl.paragraph.color")
        assert options["backgroundColor"] == _token("basis.color.default.bg-document")
        assert options["secondaryBackgroundColor"] == _token("basis.color.default.bg-subtle")
        assert options["linkColor"] == _token("nl.link.color")
        assert options["redTextColor"] == _token("basis.color.negative.color-default")
        assert options["baseRadius"] == _token("basis.border-radius.md") == "8px"


def test_fonts_are_served_by_the_app_or_fall_back_to_a_generic_family():
    options = theme.build_theme("GM0505").options
    assert _token("nl.paragraph.font-family") == "'Noto Sans', sans-serif"
    assert options["font"] == "Noto Sans, sans-serif"
    assert options["headingFont"] == "Noto Serif, serif"
    # 'Noto Sans Mono' is not shipped: the stack keeps only the generic family, nothing is fetched
    assert _token("basis.text.font-family.monospace") == "'Noto Sans Mono', monospace"
    assert options["codeFont"] == "monospace"
    faces = options["fontFaces"]
    assert {face["family"] for face in faces} == {"Noto Sans", "Noto Serif"}
    for face in faces:
        assert face["url"].startswith("app/static/fonts/")  # Streamlit's static serving of static/
        served = PROJECT_ROOT / "static" / face["url"].removeprefix("app/static/")
        assert served.read_bytes()[:4] == b"wOF2", face["url"]


def test_a_gemeente_sets_its_own_colour_on_top_of_the_tokens(tmp_path):
    data = _data_with(tmp_path, {"nl.button.primary.background-color": "#00589C"})
    built = theme.build_theme("GM0505", data)
    assert built.options["primaryColor"] == "#00589c"
    assert built.options["textColor"] == _token("nl.paragraph.color")  # the rest as in the file


# --- contrast ----------------------------------------------------------------------------------------


def test_contrast_is_computed_as_wcag_defines_it():
    assert theme.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert theme.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert theme.blend("#111111", "#ffffff", 0.6) == "#707070"  # the caption of .streamlit/config.toml


def test_a_text_colour_below_aa_is_refused_naming_the_file_and_token(tmp_path):
    message = _refusal(_data_with(tmp_path, {"nl.paragraph.color": "#777777"}))  # 4.48:1 on white
    assert "data/themes/voorbeeld.tokens.json" in message
    assert "tekst: token nl.paragraph.color (#777777) op token basis.color.default.bg-document (#ffffff)" in message
    assert "heeft contrast 4,48:1; WCAG 2.1 AA vraagt minstens 4,50:1" in message


def test_captions_at_60_percent_keep_aa_contrast(tmp_path):
    """#595959 passes as text (7:1) but a caption in it is #9b9b9b on white (2.8:1): refused, as the
    project's textColor #111111 exists to prevent."""
    message = _refusal(_data_with(tmp_path, {"nl.paragraph.color": "#595959"}))
    assert "bijschrift (tekstkleur op 60%): token nl.paragraph.color op 60% (#595959)" in message
    assert "tekst:" not in message  # the text itself passes


def test_a_light_primary_colour_is_refused_for_the_white_button_text(tmp_path):
    message = _refusal(_data_with(tmp_path, {"nl.button.primary.background-color": "#f6c700"}))
    assert "witte tekst op een hoofdknop: wit (#ffffff) op token nl.button.primary.background-color" in message


def test_an_unknown_token_or_a_colour_that_is_no_colour_is_refused(tmp_path):
    message = _refusal(_data_with(tmp_path, {"nl.paragraf.color": "#000000"}))
    assert "data/settings.yaml: thema.GM0505.tokens: nl.paragraf.color staat niet in" in message
    message = _refusal(_data_with(tmp_path / "b", {"nl.link.color": "blauw"}))
    assert "token nl.link.color is 'blauw'; verwacht een kleur als #rrggbb" in message


# --- the command and what Streamlit makes of it -------------------------------------------------------


def _command(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`python -m ivpdata theme ARGS`: exit code, standard output, standard error."""
    code = main(["theme", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_command_refuses_a_failing_theme_and_leaves_the_file_as_it_was(tmp_path, capsys):
    output = tmp_path / "theme.env"
    output.write_text("# het vorige thema\n", encoding="utf-8")
    data = _data_with(tmp_path, {"nl.link.color": "#8ab4f8"})
    code, _, errors = _command(capsys, "--data-dir", str(data), "--output", str(output))
    assert code == 1
    assert "Thema geweigerd" in errors
    assert "link: token nl.link.color (#8ab4f8)" in errors
    assert output.read_text(encoding="utf-8") == "# het vorige thema\n"
    assert _command(capsys, "--output", str(output))[0] == 0  # the shipped theme is accepted and written
    assert "STREAMLIT_THEME_PRIMARY_COLOR='#5115ef'" in output.read_text(encoding="utf-8")


def _streamlit_config(environment: dict[str, str]) -> dict[str, str]:
    """`streamlit config show` as option -> value, run where the app runs (with .streamlit/config.toml)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_THEME_")} | environment
    shown = subprocess.run(
        [str(STREAMLIT), "config", "show"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True
    )
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    section = lines[lines.index("[theme]") + 1 :]
    section = section[: next(i for i, line in enumerate(section) if line.startswith("["))]
    return dict(line.split(" = ", 1) for line in section if " = " in line and not line.startswith("#"))


def test_streamlit_takes_the_theme_the_command_prints(capsys):
    """The printed file, loaded as `make run` loads it (sh: set -a; eval), is what Streamlit uses."""
    code, printed, errors = _command(capsys)
    assert code == 0, errors
    loaded = subprocess.run(
        ["sh", "-c", 'set -a && eval "$THEME" && set +a && unset THEME && env'],
        env={"THEME": printed, "PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    environment = dict(line.split("=", 1) for line in loaded.splitlines() if line.startswith("STREAMLIT_THEME_"))
    assert len(environment) == len(theme.build_theme().options)

    shown = _streamlit_config(environment)
    expected = theme.build_theme().options
    assert expected["textColor"] != "#111111"  # so the project's .streamlit/config.toml did not decide it
    for option in ("primaryColor", "textColor", "secondaryBackgroundColor", "linkColor", "font", "baseRadius"):
        assert shown[option] == f'"{expected[option]}"', option
    assert shown["linkUnderline"] == "true"
    faces = json.loads(json.loads(shown["fontFaces"]))  # a TOML string holding Streamlit's JSON
    assert faces == expected["fontFaces"]
