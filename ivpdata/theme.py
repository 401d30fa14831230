"""The app's look per installation: NL Design System design tokens (data/themes/) as Streamlit's
[theme] options, refused when a colour pair used for text misses WCAG 2.1 AA contrast.

Streamlit sets its theme when the server starts, for every session alike, so the theme belongs to
the installation: `python -m ivpdata theme` prints the options as STREAMLIT_THEME_* environment
variables, which `make run` and the systemd unit (deploy/) hand to `streamlit run`. Nothing here
fetches anything: the tokens file and the fonts are in the repository."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ivpdata.config import PROJECT_ROOT, data_dir, load_settings
from ivpdata.validate import DataError, Problem

FONTS_DIR = PROJECT_ROOT / "static" / "fonts"  # served by Streamlit as app/static/fonts/
FONT_URL = "app/static/fonts/"
FONTS_FILE = "themes/fonts.yaml"
GENERIC_FAMILIES = {"sans-serif", "serif", "monospace", "system-ui", "cursive", "fantasy"}
AA_TEXT = 4.5  # WCAG 2.1 AA, 1.4.3: normal text
AA_NON_TEXT = 3.0  # WCAG 2.1 AA, 1.4.11: borders of controls
# Streamlit draws captions and help text in textColor at this opacity (.streamlit/config.toml).
CAPTION_OPACITY = 0.6
WHITE = "#ffffff"  # the text Streamlit draws on a primary button

# Streamlit [theme] option -> the design token it takes (a path in the tokens file).
COLOURS = {
    "primaryColor": "nl.button.primary.background-color",
    "backgroundColor": "basis.color.default.bg-document",
    "secondaryBackgroundColor": "basis.color.default.bg-subtle",
    "textColor": "nl.paragraph.color",
    "linkColor": "nl.link.color",
    "borderColor": "basis.form-control.border-color",
    "redTextColor": "basis.color.negative.color-default",
    "redBackgroundColor": "basis.color.negative.bg-default",
    "orangeTextColor": "basis.color.warning.color-default",
    "orangeBackgroundColor": "basis.color.warning.bg-default",
    "greenTextColor": "basis.color.positive.color-default",
    "greenBackgroundColor": "basis.color.positive.bg-default",
    "blueTextColor": "basis.color.info.color-default",
    "blueBackgroundColor": "basis.color.info.bg-default",
}
RADII = {"baseRadius": "basis.border-radius.md", "buttonRadius": "nl.button.border-radius"}
FONTS = {
    "font": "nl.paragraph.font-family",
    "headingFont": "basis.heading.font-family",
    "codeFont": "basis.text.font-family.monospace",
}
# Pairs that must be legible: (text or border, its background, minimum ratio, what it is in Dutch).
# "caption" is textColor at CAPTION_OPACITY over that background; "white" is WHITE.
PAIRS = [
    ("textColor", "backgroundColor", AA_TEXT, "tekst"),
    ("textColor", "secondaryBackgroundColor", AA_TEXT, "tekst in de zijbalk"),
    ("caption", "backgroundColor", AA_TEXT, "bijschrift (tekstkleur op 60%)"),
    ("caption", "secondaryBackgroundColor", AA_TEXT, "bijschrift in de zijbalk (tekstkleur op 60%)"),
    ("linkColor", "backgroundColor", AA_TEXT, "link"),
    ("linkColor", "secondaryBackgroundColor", AA_TEXT, "link in de zijbalk"),
    ("primaryColor", "backgroundColor", AA_TEXT, "accentkleur als tekst (gekozen tab, selectie)"),
    ("white", "primaryColor", AA_TEXT, "witte tekst op een hoofdknop"),
    ("redTextColor", "redBackgroundColor", AA_TEXT, "foutmelding"),
    ("orangeTextColor", "orangeBackgroundColor", AA_TEXT, "waarschuwing"),
    ("greenTextColor", "greenBackgroundColor", AA_TEXT, "succesmelding"),
    ("blueTextColor", "blueBackgroundColor", AA_TEXT, "informatiemelding"),
    ("borderColor", "backgroundColor", AA_NON_TEXT, "rand van een invoerveld"),
]
HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
LENGTH = re.compile(r"\d+(?:\.\d+)?(?:px|rem)")


@dataclass(frozen=True)
class Theme:
    """A gemeente's theme: Streamlit's [theme] options and where each came from."""

    gemeente: str
    tokens_file: str  # as named in data/settings.yaml, relative to the data directory
    options: dict[str, Any]
    sources: dict[str, str]  # option -> token path


def build_theme(gemeente: str | None = None, data: Path | None = None) -> Theme:
    """The theme of `gemeente` (default: the default gemeente of gemeenten.yaml) from the tokens file
    data/settings.yaml names for it; DataError (Dutch) when a token is missing or unusable, or a
    colour pair used for text misses WCAG AA."""
    data = data or data_dir()
    code = gemeente or _default_gemeente(data)
    entry = _theme_entry(data, code)
    file = str(entry["design_tokens"])
    tokens = _read_tokens(data, file)
    tokens.update(_overrides(entry, code, tokens))
    options, sources = _options(tokens, file, _served_faces(data))
    check_contrast(options, sources, file)
    return Theme(code, file, options, sources)


def _default_gemeente(data: Path) -> str:
    gemeenten = yaml.safe_load((data / "gemeenten.yaml").read_text(encoding="utf-8")) or {}
    return str(gemeenten.get("default", ""))


def _theme_entry(data: Path, code: str) -> dict[str, Any]:
    themes = load_settings(data / "settings.yaml").get("thema") or {}
    entry = themes.get(code)
    if not isinstance(entry, dict) or not entry.get("design_tokens"):
        known = ", ".join(sorted(themes)) or "geen"
        raise _error("settings.yaml", f"thema.{code}.design_tokens ontbreekt (ingesteld voor: {known})")
    return entry


def _overrides(entry: Mapping[str, Any], code: str, tokens: Mapping[str, str]) -> dict[str, str]:
    """The gemeente's own values for tokens of the file (settings.yaml, thema.<code>.tokens)."""
    overrides = entry.get("tokens") or {}
    if not isinstance(overrides, dict):
        raise _error("settings.yaml", f"thema.{code}.tokens moet een lijst 'tokenpad: waarde' zijn")
    unknown = sorted(str(path) for path in overrides if str(path) not in tokens)
    if unknown:
        file = entry["design_tokens"]
        raise _error("settings.yaml", f"thema.{code}.tokens: {', '.join(unknown)} staat niet in data/{file}")
    return {str(path): str(value) for path, value in overrides.items()}


def _read_tokens(data: Path, file: str) -> dict[str, str]:
    """Every token of a design tokens file (DTCG: groups, leaves with $value) as path -> value."""
    path = data / file
    if not path.is_file():
        raise _error(file, "het bestand met design tokens ontbreekt")
    try:
        tree = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _error(file, f"geen geldige JSON in UTF-8 ({error})") from error
    return dict(_leaves(tree, ()))


def _leaves(node: Any, path: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict) and "$value" in node:
        yield ".".join(path), str(node["$value"])
    elif isinstance(node, dict):
        for key, child in node.items():
            if not key.startswith("$"):
                yield from _leaves(child, (*path, key))


def _options(tokens: Mapping[str, str], file: str, faces: list[dict[str, str]]) -> tuple[dict, dict]:
    options: dict[str, Any] = {"base": "light", "linkUnderline": True}
    sources: dict[str, str] = {}
    for option, token in COLOURS.items():
        options[option] = _token(tokens, token, file, HEX, "een kleur als #rrggbb").lower()
        sources[option] = token
    for option, token in RADII.items():
        options[option] = _token(tokens, token, file, LENGTH, "een maat in px of rem")
        sources[option] = token
    served = {face["family"] for face in faces}
    used: set[str] = set()
    for option, token in FONTS.items():
        families = _families(_token(tokens, token, file, None, ""))
        kept = [f for f in families if f in served or f in GENERIC_FAMILIES]
        if not kept:
            raise _error(file, f"token {token}: geen lettertype dat de app zelf levert en geen algemene familie")
        options[option] = ", ".join(kept)
        sources[option] = token
        used |= set(kept) & served
    options["fontFaces"] = [face for face in faces if face["family"] in used]
    return options, sources


def _token(tokens: Mapping[str, str], token: str, file: str, pattern: re.Pattern | None, what: str) -> str:
    value = tokens.get(token)
    if value is None:
        raise _error(file, f"token {token} ontbreekt")
    if pattern is not None and not pattern.fullmatch(value.strip()):
        raise _error(file, f"token {token} is '{value}'; verwacht {what}")
    return value.strip()


def _families(stack: str) -> list[str]:
    """The families of a CSS font-family value, unquoted: "'Noto Sans', sans-serif" -> [Noto Sans, sans-serif]."""
    return [family.strip().strip("'\"").strip() for family in stack.split(",") if family.strip()]


def _served_faces(data: Path) -> list[dict[str, str]]:
    """The font faces the app serves itself (data/themes/fonts.yaml) as [[theme.fontFaces]] entries."""
    listed = yaml.safe_load((data / FONTS_FILE).read_text(encoding="utf-8")) or {}
    faces = []
    for face in listed.get("faces", []):
        if not (FONTS_DIR / face["file"]).is_file():
            raise _error(FONTS_FILE, f"lettertypebestand static/fonts/{face['file']} ontbreekt")
        entry = {"family": face["family"], "url": FONT_URL + face["file"], "weight": str(face["weight"])}
        faces.append(entry | {key: str(face[key]) for key in ("style", "unicodeRange") if key in face})
    return faces


# --- contrast (WCAG 2.1: relative luminance and contrast ratio) ----------------------------------


def check_contrast(options: Mapping[str, Any], sources: Mapping[str, str], file: str) -> None:
    """DataError naming the tokens file and tokens of every pair below its WCAG AA minimum."""
    problems = []
    for front, back, minimum, what in PAIRS:
        background = _colour(options, back)
        ratio = contrast(_colour(options, front, background), background)
        if ratio < minimum:
            message = (
                f"{what}: {_named(options, sources, front)} op {_named(options, sources, back)} "
                f"heeft contrast {_ratio(ratio)}:1; WCAG 2.1 AA vraagt minstens {_ratio(minimum)}:1"
            )
            problems.append(Problem(f"data/{file}", None, None, message))
    if problems:
        raise DataError(problems)


def _colour(options: Mapping[str, Any], name: str, background: str = WHITE) -> str:
    if name == "white":
        return WHITE
    if name == "caption":  # textColor at CAPTION_OPACITY, as painted over `background`
        return blend(options["textColor"], background, CAPTION_OPACITY)
    return str(options[name])


def contrast(front: str, back: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    lighter, darker = sorted((luminance(front), luminance(back)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def luminance(colour: str) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c / 255) for c in _rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def blend(front: str, back: str, opacity: float) -> str:
    """`front` at `opacity` over `back`, as the browser paints it."""
    mixed = (round(opacity * f + (1 - opacity) * b) for f, b in zip(_rgb(front), _rgb(back), strict=True))
    return "#" + "".join(f"{channel:02x}" for channel in mixed)


def _rgb(colour: str) -> tuple[int, int, int]:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _named(options: Mapping[str, Any], sources: Mapping[str, str], name: str) -> str:
    if name == "white":
        return f"wit ({WHITE})"
    if name == "caption":
        return f"token {sources['textColor']} op 60% ({options['textColor']})"
    return f"token {sources[name]} ({options[name]})"


def _ratio(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _error(file: str, message: str) -> DataError:
    return DataError([Problem(f"data/{file}", None, None, message)])


# --- what Streamlit reads ------------------------------------------------------------------------


def environment(theme: Theme) -> dict[str, str]:
    """The theme as Streamlit's environment variables (STREAMLIT_THEME_PRIMARY_COLOR=...)."""
    return {_env_name(option): _env_value(value) for option, value in theme.options.items()}


def _env_name(option: str) -> str:
    return "STREAMLIT_THEME_" + re.sub(r"(?<!^)(?=[A-Z])", "_", option).upper()


def _env_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=True)
    return str(value)


def env_file(theme: Theme) -> str:
    """The environment as lines KEY='value', readable by systemd (EnvironmentFile=) and by sh (set -a; .)."""
    lines = [f"# Thema van {theme.gemeente} uit data/{theme.tokens_file} (python -m ivpdata theme)"]
    for name, value in environment(theme).items():
        if "'" in value or "\n" in value:
            raise _error(
                theme.tokens_file, f"{name}: een waarde met ' of een regeleinde kan niet in een omgevingsbestand"
            )
        lines.append(f"{name}='{value}'")
    return "\n".join(lines) + "\n"
