"""The areas' names on the map, drawn once on the server into one image (an icon atlas for
deck.gl's IconLayer): dark text in a light halo, in the app's own sans-serif (Noto Sans semibold,
served to the browser too: data/themes/fonts.yaml), or DejaVu Sans Bold for a name with a character
outside Noto Sans' Latin subset.

Why an image and not deck.gl's TextLayer: the TextLayer makes its font atlas in the browser
(signed distance fields, per character) and draws with a WebGL program of its own; on software
WebGL that took about 0.3 s of every new map (a sidebar click to the Kaart: 1.10 s against 0.81 s
with the names as icons, the bare app 0.82-0.90 s; measured in one run, the names drawn in the
same frame as the areas). The image is drawn at twice the screen's pixels (`SCALE`): sharp on a
high-density screen, scaled down on others."""

from __future__ import annotations

import base64
import functools
import io
import math
import unicodedata
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from ivpdata.theme import FONTS_DIR

FONT_FILE = FONTS_DIR / "noto-sans-latin-wght-normal.woff2"
FONT_WEIGHT = 600  # semibold, on the variable font's weight axis
FALLBACK_FILE = FONTS_DIR / "DejaVuSans-Bold.ttf"  # Latin, Greek, Cyrillic and more (the PDF's font)
SCALE = 2  # image pixels per screen pixel
LINE_HEIGHT = 1.2  # from one line's middle to the next, as a share of the font size
HALO_PX = 2  # the halo's width around every character, in screen pixels
TEXT_COLOUR = (20, 20, 20, 255)
HALO_COLOUR = (255, 255, 255, 235)  # dark on white, whatever the class colour below
ATLAS_WIDTH = 1024  # image pixels: names are packed in rows this wide, or as wide as the widest
# Around the names: the halo's colour at an alpha of 1/255, so that scaling the image blends the
# halo's edge with white, not with black (a grey fringe). Not 0: the browser stores a transparent
# pixel's colour as black when it decodes the image; the IconLayer leaves out what is under 5%.
CLEAR = (*HALO_COLOUR[:3], 1)
# How the browser scales the image: linearly, without mipmaps. deck.gl's mipmaps of the decoded
# image gave every halo a grey fringe (looked at, enlarged); at 2:1 linear scaling alone is sharp.
SAMPLER = {"minFilter": "linear", "magFilter": "linear", "mipmapFilter": "none"}


@dataclass(frozen=True)
class Atlas:
    """The names as one PNG (a data URL: nothing is fetched from elsewhere) and where each lies in
    it (deck.gl's icon mapping: x, y, width and height in image pixels, not a mask)."""

    url: str
    icons: dict[str, dict[str, int | bool]]

    def height(self, name: str) -> float:
        """The name's height on screen, in pixels: what the IconLayer draws it at."""
        return int(self.icons[name]["height"]) / SCALE


def icon_height(lines: int, size: int, fallback: bool = False) -> int:
    """The height in image pixels of a name of `lines` lines at font size `size` (screen pixels):
    room for the font's highest accent and lowest descender around the first and last line."""
    ascent, descent = _font(size, fallback).getmetrics()
    return round((lines - 1) * size * LINE_HEIGHT * SCALE) + ascent + descent + 2 * HALO_PX * SCALE


@functools.cache
def _font(size: int, fallback: bool = False) -> ImageFont.FreeTypeFont:
    font = ImageFont.truetype(str(FALLBACK_FILE if fallback else FONT_FILE), size * SCALE)
    if not fallback:
        font.set_variation_by_axes([FONT_WEIGHT])
    return font


@functools.cache
def _missing_glyph(size: int) -> bytes:
    """What Noto Sans draws for a character it lacks (a private-use one: no font has it)."""
    return bytes(_font(size).getmask("\ue000"))


def lacks(text: str, size: int) -> list[str]:
    """The characters of `text` Noto Sans would draw as an empty box (`_drawn` falls back then)."""
    return [c for c in text if not c.isspace() and bytes(_font(size).getmask(c)) == _missing_glyph(size)]


def _lines(name: str) -> list[str]:
    return unicodedata.normalize("NFKC", name).split("\n")  # 'Ĳ' (one character) as 'IJ'


def _face(lines: list[str], size: int) -> tuple[ImageFont.FreeTypeFont, bool]:
    """The font for these lines and whether it is the fallback (Noto Sans lacks a character)."""
    fallback = bool(lacks("".join(lines), size))
    return _font(size, fallback), fallback


@functools.lru_cache(maxsize=4096)  # asked for every place `mapping.map_labels` tries
def text_size(name: str, size: int) -> tuple[float, float]:
    """The width and height in screen pixels of a name's letters as drawn, without their halo
    (`mapping.map_labels` keeps LABEL_PADDING_PX free around them: more than the halo)."""
    lines = _lines(name)
    font, _ = _face(lines, size)
    width = max(font.getlength(text) for text in lines) / SCALE
    return width, (len(lines) - 1) * size * LINE_HEIGHT + size * 1.1


def _drawn(name: str, size: int) -> Image.Image:
    """One name (a line per newline), centred, with its halo."""
    lines = _lines(name)
    (font, fallback), halo, line = _face(lines, size), HALO_PX * SCALE, size * LINE_HEIGHT * SCALE
    # As wide as the widest line reaches from the middle, halo and overhanging letters included.
    reach = max(abs(x) for text in lines for x in font.getbbox(text, anchor="mm", stroke_width=halo)[::2])
    width = 2 * math.ceil(reach) + 2
    image = Image.new("RGBA", (width, icon_height(len(lines), size, fallback)), CLEAR)
    draw = ImageDraw.Draw(image)
    first = halo + sum(font.getmetrics()) / 2  # the first line's middle
    for number, text in enumerate(lines):
        centre = (width / 2, first + line * number)
        draw.text(centre, text, font=font, fill=TEXT_COLOUR, anchor="mm", stroke_width=halo, stroke_fill=HALO_COLOUR)
    return image


def _packed(images: list[Image.Image]) -> tuple[Image.Image, list[tuple[int, int]]]:
    """The images in rows of at most ATLAS_WIDTH pixels (or the widest image's width), and where each
    one's top left corner is."""
    corners, x, y, row = [], 0, 0, 0
    limit = max([ATLAS_WIDTH, *(image.width for image in images)])
    for image in images:
        if x and x + image.width > limit:
            x, y, row = 0, y + row, 0
        corners.append((x, y))
        x, row = x + image.width, max(row, image.height)
    atlas = Image.new("RGBA", (max(limit if y else x, 1), max(y + row, 1)), CLEAR)
    for image, corner in zip(images, corners, strict=True):
        atlas.paste(image, corner)
    return atlas, corners


@functools.lru_cache(maxsize=64)
def atlas(names: tuple[str, ...], size: int) -> Atlas:
    """The atlas of `names` at font size `size` (screen pixels), kept per names and size."""
    unique = list(dict.fromkeys(names))
    images = [_drawn(name, size) for name in unique]
    image, corners = _packed(images)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")  # not optimize=True: 38 ms more for 1 kB less (6 names)
    icons: dict[str, dict[str, int | bool]] = {
        name: {"x": x, "y": y, "width": drawn.width, "height": drawn.height, "mask": False}
        for name, drawn, (x, y) in zip(unique, images, corners, strict=True)
    }
    return Atlas("data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"), icons)
