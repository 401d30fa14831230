"""The widgets a script run drew, read from its deltas, and the changed value a user would send.

Only the kinds the load scenario changes are read: radio, selectbox, select_slider and
checkbox/toggle. Values are what Streamlit's frontend sends for them (streamlit 1.67): the
formatted option as `string_value` (radio, selectbox), the formatted options as
`string_array_value` (select_slider) and `bool_value` (checkbox, toggle)."""

from __future__ import annotations

from dataclasses import dataclass

from streamlit.proto.Element_pb2 import Element
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState

Value = str | tuple[str, ...] | bool
RANGE_SHIFT = 12  # a select_slider range is narrowed to its last months plus this many options


@dataclass(frozen=True)
class Widget:
    id: str
    label: str
    kind: str  # "radio", "selectbox", "select_slider" or "checkbox"
    options: tuple[str, ...]
    value: Value  # as drawn: the value the server set, else the default

    def changed(self, current: Value | None = None) -> Value:
        """Another value than `current` (or the drawn one), as a user would pick next."""
        value = self.value if current is None else current
        if self.kind == "checkbox":
            return not value
        if isinstance(value, tuple) and len(value) == 2:  # a range: narrow it, or widen it again
            whole = (self.options[0], self.options[-1])
            return whole if value != whole else (self.options[max(0, len(self.options) - RANGE_SHIFT)], whole[1])
        current_text = value[0] if isinstance(value, tuple) else value
        index = self.options.index(current_text) if current_text in self.options else -1
        following = self.options[(index + 1) % len(self.options)]
        return (following,) if isinstance(value, tuple) else following

    def state(self, value: Value) -> WidgetState:
        """The WidgetState the browser sends for this widget at `value`."""
        state = WidgetState(id=self.id)
        if isinstance(value, bool):
            state.bool_value = value
        elif isinstance(value, tuple):
            state.string_array_value.data.extend(value)
        else:
            state.string_value = value
        return state


def read(element: Element) -> Widget | None:
    """The widget an element draws, when it is of a kind the scenario changes."""
    kind = element.WhichOneof("type")
    if kind in ("radio", "selectbox"):
        proto = getattr(element, kind)
        options = tuple(proto.options)
        if not options:
            return None
        value = proto.raw_value if proto.set_value else options[min(proto.default, len(options) - 1)]
        return Widget(proto.id, proto.label, kind, options, value)
    if kind == "slider" and element.slider.type == Slider.SELECT_SLIDER:
        proto = element.slider
        options = tuple(proto.options)
        drawn = tuple(proto.raw_value) if proto.set_value else tuple(options[int(i)] for i in proto.default)
        return Widget(proto.id, proto.label, "select_slider", options, drawn)
    if kind == "checkbox":
        proto = element.checkbox
        value = proto.value if proto.set_value else proto.default
        return Widget(proto.id, proto.label, "checkbox", (), value)
    return None
