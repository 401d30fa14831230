// Stepping through a saved presentation: every arrow press and every click on "Vorige" or
// "Volgende" is one slide, however fast they come. Each sends the slide to go to, not "one
// further": the server keeps only the newest of the steps that reach it before it runs, and the
// newest target already counts them all.
const KEYS = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };

export default function ({ data, setTriggerValue }) {
  const state = (window.__veiligheidsbeeldDia ??= { presentation: null, target: 0, sent: null, stop: null });
  // In step with the server once it has acted on the last step sent: from then on the slide it
  // shows (also after a link or the browser's back button) is where the next step starts.
  if (state.presentation !== data.presentation || state.sent === null || state.sent === data.applied) {
    state.presentation = data.presentation;
    state.target = data.number;
    state.sent = data.applied;
  }
  const go = (step) => {
    const target = Math.min(Math.max(state.target + step, 1), data.last);
    if (target !== state.target) {
      state.target = target;
      state.sent = target;
      setTriggerValue("dia", target);
    }
  };
  const press = (event) => {
    const step = KEYS[event.key];
    if (!step || event.repeat || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    if (event.target instanceof Element && event.target.closest("input, textarea, select, [contenteditable]")) {
      return;
    }
    event.preventDefault();
    go(step);
  };
  // Before Streamlit hears the click (the capture phase, at the document): the button's own press
  // would be one of two presses that arrive together.
  const click = (event) => {
    const inside = (key) => event.target instanceof Element && event.target.closest(`.st-key-${key} button`);
    const found = Object.entries(data.buttons).find(([key]) => inside(key));  // {widget key: step}
    if (found) {
      event.stopPropagation();
      event.preventDefault();
      go(found[1]);
    }
  };
  // One pair of listeners per page: a new slide, or new data, calls this function again, and not
  // always after the cleanup of the call before (two listeners made one click two steps).
  state.stop?.();
  document.addEventListener("keydown", press);
  document.addEventListener("click", click, true);
  const stop = () => {
    document.removeEventListener("keydown", press);
    document.removeEventListener("click", click, true);
    if (state.stop === stop) {
      state.stop = null;  // a late cleanup of an older call must not forget the newer listeners
    }
  };
  state.stop = stop;
  return stop;
}
