"""Argument checks shared by every public function of `helpers`.

Each check raises TypeError (wrong kind of thing) or ValueError (right kind, bad value)
with a message that names the argument and says what was expected, so that a learner
never has to decode a numpy broadcasting error.
"""

import numbers

import numpy as np


def real_number(value, name):
    """Return `value` as a float, or raise TypeError if it is not a real number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if np.isnan(value):
        raise ValueError(f"{name} must be a number, got NaN")
    return value


def positive(value, name):
    """A finite real number > 0 (a learning rate, a step size h, ...)."""
    value = real_number(value, name)
    if not (0.0 < value < np.inf):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return value


def non_negative(value, name):
    """A finite real number >= 0 (eps, a noise level, ...)."""
    value = real_number(value, name)
    if not (0.0 <= value < np.inf):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return value


def unit_interval(value, name):
    """A real number in [0, 1): a decay factor, a momentum, a beta."""
    value = real_number(value, name)
    if not (0.0 <= value < 1.0):
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return value


def positive_int(value, name, minimum=1):
    """An int >= minimum (a number of steps or samples)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    return int(value)


def seed(value, name="seed"):
    """A seed for np.random.default_rng: an int >= 0."""
    return positive_int(value, name, minimum=0)


def boolean(value, name):
    """A flag: exactly True or False (not 0, 1 or None)."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return value


def choice(value, name, options):
    """One of a fixed set of names, e.g. an activation."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, one of {sorted(options)}, got {type(value).__name__} {value!r}")
    if value not in options:
        raise ValueError(f"{name} must be one of {sorted(options)}, got {value!r}")
    return value


def float_array(value, name, ndim=None, finite=False):
    """Return `value` as a float64 ndarray, checking its kind, its number of axes and finiteness.

    Lists and scalars are accepted (a learner types them); strings, objects and complex
    numbers are not.
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}")
    try:
        array = np.asarray(value)
    except ValueError:  # a ragged nested list: numpy's own message does not name the argument
        raise ValueError(f"{name} must be a rectangular array of numbers (rows of equal length)") from None
    if array.dtype == bool or array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {array.dtype}")
    array = array.astype(np.float64, copy=False)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {array.shape}")
    if finite and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold only finite numbers (no NaN or inf)")
    return array


def same_shape(a, a_name, b, b_name):
    """Refuse two arrays of different shapes instead of letting numpy broadcast them."""
    if np.shape(a) != np.shape(b):
        raise ValueError(
            f"{a_name} has shape {np.shape(a)} but {b_name} has shape {np.shape(b)}; they must be equal "
            "(numpy would broadcast them into a wrong answer without a word)"
        )


def pair(value, name):
    """Two finite real numbers, e.g. axis limits (low, high) or a figure size (width, height)."""
    try:
        if isinstance(value, (str, bytes, dict, set)):
            raise TypeError
        first, second = value
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a pair of numbers like (0.0, 1.0), got {type(value).__name__} {value!r}"
        ) from None
    first, second = real_number(first, f"{name}[0]"), real_number(second, f"{name}[1]")
    if not (np.isfinite(first) and np.isfinite(second)):
        raise ValueError(f"{name} must hold two finite numbers, got {value!r}")
    return first, second
