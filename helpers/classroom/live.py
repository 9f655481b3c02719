"""Slider-driven figures that redraw in about 20 ms (used by every explorer).

Why not re-plot on every slider event? A fresh matplotlib figure costs ~100 ms to build and
~50 ms to encode, which feels sluggish. Instead:
  1. draw the static parts once (axes, contours, data points) and cache the pixels;
  2. on each event, restore the cached pixels and draw only the artists that change
     (a curve, a path, a text), i.e. "blitting";
  3. encode the pixels as a PNG with light compression and hand the bytes to an
     ipywidgets.Image, which shows it in JupyterLab and in Voila.

`Explorer` wires the widgets to a draw function; it also carries a static PNG of its
current state in its display data, so that a notebook stored on GitHub shows a picture
where live widgets cannot run.

Ready at once: an explorer computes only the numbers its first picture needs, draws it, and
hands the numbers of every other slider position to one background thread (`Precomputed`).
The thread computes numbers only (numpy arrays), never figures or widgets: every drawing
happens in the kernel's main thread, at a slider event. A position the thread has not reached
yet is computed on the spot, by the same call the thread would have made, so a value is the
same whoever computed it. The thread never prints and never touches a widget, so a notebook run
by nbconvert or nbval stores the first picture, whatever the thread's timing.
"""

import base64
import collections
import contextlib
import hashlib
import html
import io
import math
import os
import sys
import threading
import time
from collections.abc import Mapping

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from traitlets import TraitError

from .. import _checks
from .i18n import get_language, text

# zlib level 1: ~3x faster than matplotlib's default level 6, for slightly bigger files.
PNG_COMPRESS_LEVEL = 1


class LiveFigure:
    """A matplotlib Figure drawn with Agg, where only registered 'animated' artists are redrawn.

    Usage: fig = LiveFigure(figsize=(10, 4)); ax = fig.figure.add_subplot(); line, = ax.plot(...);
    fig.animate(line); ...; png_bytes = fig.render().
    Axis limits must stay fixed between renders; call `invalidate()` after changing them.
    """

    def __init__(self, figsize=(10.0, 4.5), dpi=80, layout_key=None, **subplots_kw):
        for i, side in enumerate(_checks.pair(figsize, "figsize")):
            _checks.positive(side, f"figsize[{i}]")
        _checks.positive(dpi, "dpi")
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots(**subplots_kw) if subplots_kw else None
        self.artists = []
        self._background = None
        self._baked, self._baked_stale, self._static = [], False, None  # see bake()
        # The style in force now (an explorer builds its figure inside rc_context(PROJECTOR_STYLE)) also
        # rules every later full draw: tick spacing and labels depend on rcParams at draw time.
        self._rc = {key: value for key, value in mpl.rcParams.items() if not key.startswith("backend")}
        self.layout_key = layout_key  # with one, the first draw may take the axes' places from STORED_LAYOUTS
        self.language = get_language()  # the words drawn are in the language of the figure's making
        self.layout_source = None  # "stored" or "constrained", once drawn

    def animate(self, *artists):
        """Mark artists as changing on every render; returns the first, for chaining."""
        for artist in artists:
            if not isinstance(artist, Artist):
                raise TypeError(f"artists must be matplotlib artists (a line, an image, a text...), got "
                                f"{type(artist).__name__}")
        for artist in artists:
            artist.set_animated(True)
            self.artists.append(artist)
        return artists[0] if artists else None

    def bake(self, *artists):
        """Draw these artists into the cached background instead of at every render; returns the first.

        For artists that change rarely (a summary that fills in as the background thread delivers):
        after changing one, call `rebake()`; the next render redraws only them onto the figure's
        static pixels (no full redraw) and caches the result. They lie under every animated artist.
        """
        for artist in artists:
            if not isinstance(artist, Artist):
                raise TypeError(f"artists must be matplotlib artists, got {type(artist).__name__}")
        for artist in artists:
            artist.set_animated(True)  # a full draw skips it; _bake draws it
            self._baked.append(artist)
        self.rebake()
        return artists[0] if artists else None

    def forget(self, *artists):
        """Stop drawing these baked or animated artists (call artist.remove() to take them off the axes)."""
        for artist in artists:
            for group in (self._baked, self.artists):
                if artist in group:
                    group.remove(artist)
        self.rebake()

    def rebake(self):
        """The baked artists changed: redraw them into the cached background at the next render."""
        self._baked_stale = True

    def invalidate(self):
        """Forget the cached background (after a change to anything that is not animated)."""
        self._background = None

    def layout_fingerprint(self):
        """What the constrained layout of this figure depends on: its key, size, the text styles, the language."""
        rc = sorted((key, repr(value)) for key, value in self._rc.items() if key.startswith(_LAYOUT_RC_PREFIXES))
        key = (self.layout_key, tuple(self.figure.get_size_inches()), self.figure.dpi, mpl.__version__, rc)
        if self.language != "en":  # other words, other text sizes: a layout of its own (English keys as before)
            key += (self.language,)
        return hashlib.sha256(repr(key).encode()).hexdigest()[:20]

    def axes_positions(self):
        """Every axes' place in figure coordinates (x0, y0, width, height), in the order of figure.axes."""
        return [tuple(float(v) for v in ax.get_position().bounds) for ax in self.figure.axes]

    def _draw_background(self):
        plain_log_labels(self.figure)
        if self.layout_source is None:
            stored = stored_layout(self) if self.layout_key is not None else None
            if stored is not None:
                # The places constrained layout found for this very figure (recorded by
                # benchmarks/record_layouts.py): ~0.1-0.3 s of the first picture saved, same pixels.
                self.figure.set_layout_engine("none")
                for ax, bounds in zip(self.figure.axes, stored, strict=True):
                    ax.set_position(bounds)
            self.layout_source = "stored" if stored is not None else "constrained"
        with mpl.rc_context(self._rc):
            self.canvas.draw()  # animated artists are skipped by a full draw
        self.figure.set_layout_engine("none")  # freeze the layout so the cache stays valid
        self._static = self.canvas.copy_from_bbox(self.figure.bbox)
        self._bake()

    def _bake(self):
        """The cached background = the static pixels + the baked artists."""
        if self._baked:
            self.canvas.restore_region(self._static)
            renderer = self.canvas.get_renderer()
            for artist in self._baked:
                if artist.get_visible():
                    artist.draw(renderer)
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        self._baked_stale = False

    def render(self):
        """Restore the cached background, draw the animated artists, return PNG bytes."""
        if self._background is None:
            self._draw_background()
        elif self._baked_stale:
            self._bake()
        self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for artist in self.artists:
            if artist.get_visible():
                artist.draw(renderer)
        return encode_png(self.canvas)

    def render_full(self):
        """A full (slow) draw including the animated artists, as a static PNG. Used for reference tests."""
        for artist in self._baked + self.artists:
            artist.set_animated(False)
        try:
            with mpl.rc_context(self._rc):
                self.canvas.draw()
            return encode_png(self.canvas)
        finally:
            for artist in self._baked + self.artists:
                artist.set_animated(True)


_LAYOUT_RC_PREFIXES = ("font.", "axes.title", "axes.label", "xtick.", "ytick.", "legend.", "figure.constrained_layout.",
                       "text.", "mathtext.", "axes.formatter.")


def stored_layout(live_figure):
    """The recorded axes places of this figure (classroom.live_layouts), or None (then constrained layout runs)."""
    from .live_layouts import STORED_LAYOUTS

    positions = STORED_LAYOUTS.get(live_figure.layout_fingerprint())
    if positions is None or len(positions) != len(live_figure.figure.axes):
        return None
    return positions


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _decade_label(value, _position=None):
    if value <= 0 or not np.isfinite(value):
        return ""
    exponent = round(math.log10(value))
    return f"10{str(exponent).translate(_SUPERSCRIPTS)}" if math.isclose(value, 10.0**exponent) else ""


def plain_log_labels(figure):
    """Label the decades of every log axis as 10⁻³ in plain text instead of matplotlib's mathtext.

    Same labels as matplotlib's default (decades only), but no mathtext: its parser costs ~0.1 s
    the first time a kernel draws a figure, a fifth of an explorer's first picture.
    """
    from matplotlib.ticker import FuncFormatter, LogFormatterSciNotation, NullFormatter

    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if axis.get_scale() == "log" and type(axis.get_major_formatter()) is LogFormatterSciNotation:
                axis.set_major_formatter(FuncFormatter(_decade_label))
                axis.set_minor_formatter(NullFormatter())


def encode_png(canvas):
    """PNG bytes of an Agg canvas's current pixels (RGBA), zlib level 1."""
    if not isinstance(canvas, FigureCanvasAgg):
        raise TypeError(f"canvas must be a FigureCanvasAgg (e.g. LiveFigure.canvas), got {type(canvas).__name__}")
    width, height = canvas.get_width_height(physical=True)
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


def reachable_positions(control):
    """Every value a FloatLogSlider can take by dragging (its step grid), as floats, smallest first."""
    n = round((control.max - control.min) / control.step) + 1
    return [float(control.base**e) for e in np.linspace(control.min, control.max, n)]


def slider_positions(control, n=30):
    """At least n values (or every option) spread over a control's whole range, ends included.

    Works for FloatSlider, IntSlider, FloatLogSlider, Dropdown, ToggleButtons, RadioButtons
    and Checkbox/ToggleButton. Used by tests and benchmarks to sweep every slider.
    """
    n = _checks.positive_int(n, "n")
    if not isinstance(control, widgets.ValueWidget) or not (
            isinstance(control, (widgets.Checkbox, widgets.ToggleButton)) or hasattr(control, "options")
            or (hasattr(control, "min") and hasattr(control, "max"))):
        raise TypeError(f"control must be a slider, a Dropdown, ToggleButtons, RadioButtons or a Checkbox, "
                        f"got {type(control).__name__}")
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return [False, True]
    if hasattr(control, "options"):
        return [value for _, value in _option_pairs(control)]
    if isinstance(control, widgets.FloatLogSlider):
        exponents = np.linspace(control.min, control.max, max(n, 2))
        return [float(control.base**e) for e in exponents]
    if isinstance(control, widgets.IntSlider):
        values = np.unique(np.linspace(control.min, control.max, max(n, 2)).round().astype(int))
        return [int(v) for v in values]
    return [float(v) for v in np.linspace(control.min, control.max, max(n, 2))]


def _option_pairs(control):
    pairs = []
    for option in control.options:
        pairs.append(option if isinstance(option, tuple) else (option, option))
    return pairs


# ---------------------------------------------------------------------------------------------
# Numbers for every slider position: the current one now, the rest in one background thread.


class Precomputed:
    """Values of compute(chunk) for a fixed list of chunks, filled by a background thread.

    compute(chunk) -> numbers (numpy arrays, tuples, dicts of them): never a figure or a widget.
    chunks: the chunk keys, in the order the background thread should fill them; `get` also
    accepts a key that is not in the list (an off-grid slider value) and computes it alone.
    get(chunk) returns the value: stored, or waited for if the thread is computing that very
    chunk, or else computed here, in the caller's thread. A chunk's value always comes from the
    same call compute(chunk), so it is the same whoever computed it (tests compare both ways).
    """

    def __init__(self, compute, chunks, name="positions", distance=None):
        if not callable(compute):
            raise TypeError(f"compute must be a function compute(chunk), got {type(compute).__name__}")
        if distance is not None and not callable(distance):
            raise TypeError(f"distance must be a function distance(a, b) or None, got {type(distance).__name__}")
        self.name = name
        # distance(a, b): with it, the thread next takes the missing chunk nearest the one a slider event
        # asked for last (the way the slider is moving); without it, the list's order.
        self._distance = distance
        self._last_asked = None
        self.chunks = list(dict.fromkeys(chunks))
        self._compute = compute
        self._values = {}
        self._running = {}  # chunk -> threading.Event, set when the computation ends
        self._failed = set()  # chunks whose background computation raised: get() raises it in its caller
        self._lock = threading.Lock()
        self.created_at = time.perf_counter()
        self.ready_at = None  # perf_counter() when every listed chunk was done
        self._ready = threading.Event()
        self._check_ready()

    def __len__(self):
        return len(self.chunks)

    def done(self, chunk):
        """True if this chunk's value is there (no computation)."""
        return chunk in self._values

    def peek(self, chunk, default=None):
        """The chunk's value if it is there, else `default` (never computes)."""
        return self._values.get(chunk, default)

    @property
    def n_done(self):
        return sum(chunk in self._values for chunk in self.chunks)

    @property
    def ready(self):
        """True once every listed chunk is done (or failed in the background, to be reported on demand)."""
        return self._ready.is_set()

    def wait(self, timeout=None):
        """Block until every listed chunk is done (True) or `timeout` seconds passed (False)."""
        return self._ready.wait(timeout)

    def missing(self):
        """The listed chunks not done yet, in order."""
        return [chunk for chunk in self.chunks if chunk not in self._values]

    def get(self, chunk):
        """The value of compute(chunk): stored, awaited, or computed now in this thread."""
        self._last_asked = chunk
        while True:
            with self._lock:
                if chunk in self._values:
                    return self._values[chunk]
                event = self._running.get(chunk)
                if event is None:
                    event = self._running[chunk] = threading.Event()
                    break
            event.wait()  # the background thread is on it; if it failed, the loop computes it here
        try:
            value = self._compute(chunk)  # an error is raised here, in the caller's thread
            with self._lock:
                self._values[chunk] = value
        finally:
            with self._lock:
                self._running.pop(chunk, None)
            event.set()
        self._check_ready()
        return value

    def compute_all(self):
        """Compute every missing chunk here, in this thread (tests: the on-demand reference)."""
        for chunk in self.missing():
            self.get(chunk)
        return self

    def _fill_one(self):
        """Background: claim and compute the next missing chunk; False if none is left."""
        with self._lock:
            free = [c for c in self.chunks
                    if c not in self._values and c not in self._running and c not in self._failed]
            chunk = free[0] if free else None
            near = self._last_asked
            if free and self._distance is not None and near is not None:
                try:
                    chunk = min(free, key=lambda c: self._distance(c, near))
                except (TypeError, ValueError):  # an off-list key (an off-grid value): keep the list's order
                    chunk = free[0]
            if chunk is None:
                waiting = [self._running[c] for c in self.chunks if c in self._running]
            else:
                event = self._running[chunk] = threading.Event()
        if chunk is None:
            for other in waiting:  # another thread computes the last ones: wait for it
                other.wait()
            self._check_ready()
            return False
        try:
            with np.errstate(all="ignore"):  # a warning would print into some cell's output
                value = self._compute(chunk)
        except Exception:  # noqa: BLE001 - left missing: get() recomputes it and raises in the main thread
            value = _FAILED
        with self._lock:
            if value is _FAILED:
                self._failed.add(chunk)
            else:
                self._values[chunk] = value
            self._running.pop(chunk, None)
        event.set()
        self._check_ready()
        return True

    def _check_ready(self):
        if not self._ready.is_set() and all(c in self._values or c in self._failed for c in self.chunks):
            self.ready_at = time.perf_counter()
            self._ready.set()


_FAILED = object()


class _BackgroundWorker:
    """One daemon thread for every explorer: fills Precomputed objects in the order they were handed in.

    It waits while an explorer builds its first picture (`foreground()`), and takes the next chunk only
    when that is done. Slider events do not hold it: a stream of events would starve it; instead it
    next takes the chunk nearest the one the last event asked for (Precomputed's `distance`).
    """

    def __init__(self):
        self._jobs = collections.deque()
        self._condition = threading.Condition()
        self._busy = 0
        self._thread = None

    def submit(self, precomputed):
        with self._condition:
            if precomputed.ready:
                return
            self._jobs.append(precomputed)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="helpers-live-precompute", daemon=True)
                self._thread.start()
            self._condition.notify_all()

    @contextlib.contextmanager
    def foreground(self):
        """While inside, the background thread starts no new chunk."""
        with self._condition:
            self._busy += 1
        try:
            yield
        finally:
            with self._condition:
                self._busy -= 1
                self._condition.notify_all()

    def _run(self):
        while True:
            with self._condition:
                self._condition.wait_for(lambda: self._jobs and self._busy == 0)
                job = self._jobs[0]
            try:
                more = job._fill_one()
            except Exception:  # noqa: BLE001 - the thread must never die or print
                more = False
            if not more:
                with self._condition:
                    if self._jobs and self._jobs[0] is job:
                        self._jobs.popleft()


BACKGROUND = _BackgroundWorker()

# `make execute` sets this to "1": an explorer then stores its finished default picture in the saved
# notebook (for readers who never run it) instead of the first, partly filled-in one.
COMPLETE_PICTURES = "HELPERS_COMPLETE_PICTURES"

def _threads_available():
    """False in Pyodide (the offline site, `make lite`): WebAssembly Python cannot start a thread there."""
    return sys.platform != "emscripten"


# Without threads every explorer computes each slider position on demand, in the main thread: the same values.
_background_enabled = [_threads_available()]


@contextlib.contextmanager
def background_disabled():
    """Explorers built inside compute every position on demand, in the main thread (tests, references)."""
    _background_enabled.append(False)
    try:
        yield
    finally:
        _background_enabled.pop()


class Explorer:
    """Controls (ipywidgets) + a LiveFigure + a draw function, shown as one widget.

    draw(**values) receives the current value of every control by name and updates the
    LiveFigure's animated artists (set_data, set_text, ...). It may return a short status
    sentence (e.g. "diverged at step 37: ..."), which is shown in words under the figure (so a
    screen reader and a browser test can read it); None shows nothing.
    `render(**values)` sets the given controls, draws and returns the PNG bytes; that is what
    one slider event costs, and what tests and benchmarks call.
    """

    def __init__(self, name, live_figure, controls, draw, description="", precomputed=(), defer_background=False):
        if isinstance(precomputed, Precomputed):
            precomputed = (precomputed,)
        precomputed = tuple(precomputed)
        for job in precomputed:
            if not isinstance(job, Precomputed):
                raise TypeError(f"precomputed must be live.Precomputed objects, got {type(job).__name__}")
        if not isinstance(live_figure, LiveFigure):
            raise TypeError(f"live_figure must be a live.LiveFigure, got {type(live_figure).__name__}")
        if not isinstance(controls, Mapping):
            raise TypeError(f"controls must be a dict {{name: widget}}, got {type(controls).__name__}")
        for key, control in controls.items():
            if not isinstance(key, str) or not isinstance(control, widgets.ValueWidget):
                raise TypeError(f"controls must map names (str) to ipywidgets controls, got {key!r}: "
                                f"{type(control).__name__}")
        if not callable(draw):
            raise TypeError(f"draw must be a function draw(**values), got {type(draw).__name__}")
        self.name = name
        self.live_figure = live_figure
        self.controls = dict(controls)
        self.draw = draw
        self.description = description
        self.error = None
        for control in self.controls.values():
            control.style = {"description_width": "initial"}
            control.layout = widgets.Layout(width="480px")
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="1000px"))
        self.status = widgets.HTML(value="")
        self.status.add_class("explorer-status")
        self.widget = widgets.VBox([widgets.HBox(list(self.controls.values()), layout=widgets.Layout(
            flex_flow="row wrap")), self.image, self.status])
        self.widget.add_class("explorer")
        self.precomputed = precomputed
        self._stored_dither = None  # set by compact_stored_png
        with BACKGROUND.foreground():  # the first picture first; the other positions after it
            self._png = self._draw_now()
            self.image.value = self._png
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.threaded = _background_enabled[-1]
        self._submitted = False
        if not defer_background:
            self.start_background()

    def start_background(self):
        """Hand the other slider positions to the background thread (once; explorers call it themselves)."""
        if self.threaded and not self._submitted:
            self._submitted = True
            for job in self.precomputed:
                BACKGROUND.submit(job)
        return self

    @property
    def ready(self):
        """True once the numbers of every precomputed slider position are there."""
        return all(job.ready for job in self.precomputed)

    def wait_ready(self, timeout=None):
        """Block until every precomputed position is there (True) or `timeout` seconds passed (False).

        Explorers built inside `background_disabled()` have no thread: this computes the rest here.
        """
        deadline = None if timeout is None else time.perf_counter() + timeout
        for job in self.precomputed:
            if not self.threaded:
                job.compute_all()
            else:
                self.start_background()
            left = None if deadline is None else max(0.0, deadline - time.perf_counter())
            if not job.wait(left):
                return False
        return True

    def values(self):
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def _draw_now(self):
        message = self.draw(**self.values())
        self.status.value = "" if message is None else f"<b>{html.escape(str(message))}</b>"
        return self.live_figure.render()

    def _on_change(self, _change):
        # A widget callback must never show a traceback to a learner: report in words instead.
        try:
            self._png = self._draw_now()
            self.error = None
        except Exception as error:  # noqa: BLE001 - shown to the learner, kept for tests
            self.error = error
            self._png = message_png(text(f"Could not draw this setting: {error}", f"无法画出这个设置：{error}"))
            self.status.value = text(f"<b>Could not draw this setting: {html.escape(str(error))}</b>",
                                     f"<b>无法画出这个设置：{html.escape(str(error))}</b>")
        self.image.value = self._png

    def render(self, **values):
        """Set the named controls (others keep their values), redraw, return the PNG bytes."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; this explorer has {sorted(self.controls)}")
        with self.image.hold_trait_notifications():
            for name, value in values.items():
                control = self.controls[name]
                previous = control.value
                control.unobserve(self._on_change, names="value")
                try:
                    try:
                        control.value = value
                    except TraitError as error:
                        raise ValueError(f"{name}={value!r} is not a value this control accepts: {error}") from None
                    if control.value != value:  # a slider clamps (or an IntSlider rounds) without a word
                        clamped, control.value = control.value, previous
                        raise ValueError(f"{name}={value!r} is outside this control's range "
                                         f"(it would show {clamped!r})")
                finally:
                    control.observe(self._on_change, names="value")
        self._png = self._draw_now()  # the thread keeps going: a back-to-back stream of events must not starve it
        self.image.value = self._png
        return self._png

    def compact_stored_png(self, dither=False):
        """Re-encode the current picture as a 256-colour PNG, about 3x smaller; returns self.

        A saved notebook stores this picture twice (the image/png fallback and the Image widget's
        value), so explorers call this once on their default state. Slider events keep the fast
        RGBA encoder. dither=True (Floyd-Steinberg) avoids bands in smooth shading.
        """
        self._stored_dither = dither
        with BACKGROUND.foreground():
            picture = Image.open(io.BytesIO(self._png)).convert("RGB")
            # FASTOCTREE and no `optimize`: ~10 ms instead of ~150 ms (MAXCOVERAGE + optimize) for a file
            # of the same size within a few per cent; the first picture waits for this.
            palette = picture.quantize(256, method=Image.Quantize.FASTOCTREE)
            if dither:
                palette = picture.quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG)
            buffer = io.BytesIO()
            palette.save(buffer, format="png", compress_level=9)
        self._png = buffer.getvalue()
        self.image.value = self._png
        return self.start_background()

    def _complete_stored_picture(self):
        """Wait for every slider position, then redraw the default picture (for `make execute`).

        A live kernel shows the first picture at once and fills in the rest; a notebook saved for
        readers who never run it (GitHub) should store the finished picture instead. Same draw code.
        """
        self.wait_ready()
        self._png = self._draw_now()
        self.image.value = self._png
        if self._stored_dither is not None:
            self.compact_stored_png(dither=self._stored_dither)

    @property
    def png(self):
        """PNG bytes of what the explorer shows now."""
        return self._png

    def _repr_mimebundle_(self, **kwargs):
        if os.environ.get(COMPLETE_PICTURES) == "1" and not self.ready:
            self._complete_stored_picture()
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        # A static picture of the current state, for renderers without live widgets (GitHub, nbviewer).
        bundle["image/png"] = base64.b64encode(self._png).decode("ascii")
        bundle["text/plain"] = text(f"<{self.name}: run the notebook to move the sliders>",
                                    f"<{self.name}：运行笔记本后即可移动滑块>")
        return bundle


def message_png(text, size=(8.0, 1.5)):
    """A small PNG that shows one message in words (used when a setting cannot be drawn)."""
    for i, side in enumerate(_checks.pair(size, "size")):
        _checks.positive(side, f"size[{i}]")
    fig = Figure(figsize=size, dpi=80)
    canvas = FigureCanvasAgg(fig)
    fig.text(0.5, 0.5, text, ha="center", va="center", fontsize=14, wrap=True)
    canvas.draw()
    return encode_png(canvas)


def log_slider(description, value, low, high, steps_per_decade=10, readout_format=".3g"):
    """A FloatLogSlider from `low` to `high` (powers of 10) with a readable readout."""
    if not isinstance(description, str):
        raise TypeError(f"description must be a str, got {type(description).__name__}")
    low, high = _checks.positive(low, "low"), _checks.positive(high, "high")
    if not low < high:
        raise ValueError(f"low must be below high, got low={low!r}, high={high!r}")
    if not low <= _checks.real_number(value, "value") <= high:
        raise ValueError(f"value must lie in [low, high] = [{low:g}, {high:g}], got {value!r}")
    steps_per_decade = _checks.positive_int(steps_per_decade, "steps_per_decade")
    lo, hi = math.log10(low), math.log10(high)
    n_steps = max(1, round((hi - lo) * steps_per_decade))
    return widgets.FloatLogSlider(value=value, base=10, min=lo, max=hi, step=(hi - lo) / n_steps,
                                  description=description, readout_format=readout_format,
                                  continuous_update=True)


def decay_slider(description=None, value=0.9, smallest_gap=1e-3, steps_per_decade=10):
    """A slider for a decay factor ρ in [0, 1) that is even in log(1 - ρ), not in ρ.

    Positions: ρ_k = 1 - 10**(-k / steps_per_decade) for k = 0 .. up to 1 - ρ = smallest_gap, so that
    ρ = 0, 0.9, 0.99, 0.999 are all on the track and 0.9-0.999 gets as much track as 0-0.9 (a linear
    slider gives it 10 %). Values are rounded to 6 decimals (0.9 is 0.9); `value` is added if it is not
    a position. Returns a SelectionSlider whose value is the float ρ. description: default "ρ decay"
    ("ρ 衰减系数" in Chinese).
    """
    if description is None:
        description = text("ρ decay", "ρ 衰减系数")
    return _gap_slider(description, value, smallest_gap, steps_per_decade, "ρ")


def momentum_slider(description=None, value=0.9, smallest_gap=1e-3, steps_per_decade=10):
    """A slider for a momentum μ in [0, 1), even in log(1 - μ): the same track as `decay_slider`.

    Why: momentum's memory is about 1 / (1 - μ) steps and its rate on a quadratic is about √μ, so
    what matters is 1 - μ: 0.9, 0.99 and 0.999 are as far apart as 0 and 0.9. Positions
    μ_k = 1 - 10**(-k / steps_per_decade), k = 0 .. up to 1 - μ = smallest_gap, rounded to 6 decimals;
    `value` is added if it is not a position. Returns a SelectionSlider whose value is the float μ.
    """
    if description is None:
        description = text("μ momentum", "μ 动量")
    return _gap_slider(description, value, smallest_gap, steps_per_decade, "μ")


def _gap_slider(description, value, smallest_gap, steps_per_decade, symbol):
    """The track of decay_slider and momentum_slider: positions 1 - 10**(-k / steps_per_decade)."""
    if not isinstance(description, str):
        raise TypeError(f"description must be a str, got {type(description).__name__}")
    value = _checks.real_number(value, "value")
    smallest_gap = _checks.positive(smallest_gap, "smallest_gap")
    if not smallest_gap < 1:
        raise ValueError(f"smallest_gap (the smallest 1 - {symbol}) must lie in (0, 1), got {smallest_gap!r}")
    if not 0 <= value <= 1 - smallest_gap:
        raise ValueError(f"value must lie in [0, 1 - smallest_gap] = [0, {1 - smallest_gap:g}], got {value!r}")
    steps_per_decade = _checks.positive_int(steps_per_decade, "steps_per_decade")
    n_steps = round(-math.log10(smallest_gap) * steps_per_decade)
    positions = {round(1 - 10 ** (-k / steps_per_decade), 6) for k in range(n_steps + 1)} | {value}
    options = [(f"{x:.4g}", x) for x in sorted(positions)]
    return widgets.SelectionSlider(options=options, value=value, description=description,
                                   continuous_update=True)


def close_pyplot_figures():
    """Close every pyplot figure (explorers use their own Figure objects, not pyplot)."""
    import matplotlib.pyplot as plt  # imported here: an explorer itself never needs pyplot (~0.1 s to import)

    plt.close("all")
