"""The areas' names drawn into one image for the map (ivpdata/map_names.py)."""

from __future__ import annotations

import base64
import io
import unicodedata

import numpy as np
import pytest
from PIL import Image

from ivpdata import map_names

NAMES = ("Dubbeldam", "Het\nReeland", "Oud-Krispijn", "Sterrenburg", "Crabbehof", "Zuidhoven")


def _image(atlas: map_names.Atlas) -> np.ndarray:
    header, data = atlas.url.split(",", 1)
    assert header == "data:image/png;base64"
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGBA"))


def _icon(atlas: map_names.Atlas, name: str) -> np.ndarray:
    box = atlas.icons[name]
    return _image(atlas)[box["y"] : box["y"] + box["height"], box["x"] : box["x"] + box["width"]]


def test_each_name_is_dark_text_in_a_light_halo_in_its_own_box():
    atlas = map_names.atlas(NAMES, 13)
    assert set(atlas.icons) == set(NAMES)
    for name in NAMES:
        icon = _icon(atlas, name)
        opaque = icon[icon[:, :, 3] > 200]
        dark = (opaque[:, :3] < 60).all(axis=1).sum()
        light = (opaque[:, :3] > 240).all(axis=1).sum()
        assert dark > 20 * len(name.replace("\n", "")), name  # every character drawn
        assert light > dark, name  # the halo around them
        # Nothing drawn on the box's edge: a name is never cut off, nor touches its neighbour.
        edges = np.concatenate([icon[0], icon[-1], icon[:, 0], icon[:, -1]])
        assert (edges[:, 3] <= 1).all(), name
        assert (icon[:, :, 3] <= 1).mean() > 0.2, name  # clear between the letters: no plate behind them


def test_the_boxes_do_not_overlap_and_fit_any_texture():
    many = tuple(f"Buurt nummer {number}" for number in range(80))
    atlas = map_names.atlas(many, 11)
    height, width = _image(atlas).shape[:2]
    assert width <= map_names.ATLAS_WIDTH and height <= 2048  # WebGL 2 guarantees 2048 px
    boxes = [(b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]) for b in atlas.icons.values()]
    for i, a in enumerate(boxes):
        assert a[2] <= width and a[3] <= height
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_a_name_is_as_high_on_screen_as_its_lines_at_its_size():
    atlas = map_names.atlas(("Staart", "Het\nReeland"), 13)
    one, two = atlas.height("Staart"), atlas.height("Het\nReeland")
    assert one == map_names.icon_height(1, 13) / map_names.SCALE
    assert 13 < one < 13 * 1.8 and two > one + 13  # a line more
    assert map_names.atlas(("Staart",), 15).height("Staart") > one  # a big screen: larger


def _missing(text: str) -> list[str]:
    """The characters of `text` the names' font would draw as its empty box."""
    font = map_names._font(11)
    box = bytes(font.getmask("\ue000"))  # a private-use character: no font has it
    return [c for c in unicodedata.normalize("NFKC", text) if not c.isspace() and bytes(font.getmask(c)) == box]


@pytest.mark.parametrize("name", ["Sliedrecht-Baanhoek", "Oostzeedijk Beneden", "Ĳsselmonde", "Wielewaal ë é ï ü ö"])
def test_names_with_accents_and_dashes_are_drawn_whole(name):
    assert not _missing(name)  # 'Ĳ' (one character) is drawn as 'IJ'
    assert _missing("ࠀ") == ["ࠀ"]  # as a Samaritan letter would not be
    icon = _icon(map_names.atlas((name,), 11), name)
    # As wide as the font says the name is (no character dropped), at twice the screen's pixels.
    assert icon.shape[1] >= 0.45 * 11 * map_names.SCALE * len(name)


def test_a_name_wider_than_the_rows_is_drawn_whole():
    long = "Bedrijventerrein Dordtse Kil IV en het gebied ten zuiden van de A16 en de A15"
    atlas = map_names.atlas(("Kort", long), 15)
    icon, box = _icon(atlas, long), atlas.icons[long]
    assert box["width"] > map_names.ATLAS_WIDTH and icon.shape[1] == box["width"]  # not cut off
    edges = np.concatenate([icon[:, 0], icon[:, -1]])
    assert (edges[:, 3] <= 1).all()


def test_a_name_outside_the_latin_subset_is_drawn_in_the_fallback_font():
    name = "Ελληνική Κοινότητα"  # Greek: not in Noto Sans' Latin subset
    assert map_names.lacks(name, 11)
    icon = _icon(map_names.atlas((name,), 11), name)
    opaque = icon[icon[:, :, 3] > 200]
    assert (opaque[:, :3] < 60).all(axis=1).sum() > 20 * len(name.replace(" ", ""))  # letters, not boxes
    assert not map_names.lacks("Dubbeldam", 11)


def test_every_area_name_in_the_data_can_be_drawn(db):
    names = db.execute("SELECT DISTINCT display_name FROM areas").fetchall()
    assert len(names) > 100
    assert not {name: found for (name,) in names if (found := _missing(name))}


def test_the_clear_pixels_around_a_name_are_invisible_white():
    """Transparent white (alpha 1/255, under the IconLayer's 5% cut-off): scaling blends a halo's
    edge with white, not with black."""
    icon = _icon(map_names.atlas(("Dubbeldam",), 13), "Dubbeldam")
    clear = icon[icon[:, :, 3] <= 1]
    assert len(clear) and (clear[:, :3] == 255).all() and (clear[:, 3] < 0.05 * 255).all()
