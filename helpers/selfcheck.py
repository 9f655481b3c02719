"""Feedback for exercises: say at once whether an answer is right, and give a hint if not.

A check never prints the expected answer. An answer left as `...` (Ellipsis) or None counts
as "not attempted yet" and is reported quietly, so a notebook still runs top to bottom.
"""

import numpy as np

from . import _checks

RIGHT = "✅ Right"
NOT_YET = "❌ Not yet"
NOT_ATTEMPTED = "⏳ Not attempted yet"


def _not_attempted(answer):
    return answer is None or answer is Ellipsis


def check_close(answer, expected, hint, name="your answer", rtol=1e-6, atol=1e-9):
    """Compare a number or array with the expected one (shape first, then values); print and return True/False."""
    expected = _checks.float_array(expected, "expected", finite=True)  # the author's value, not the learner's
    rtol, atol = _checks.non_negative(rtol, "rtol"), _checks.non_negative(atol, "atol")
    if _not_attempted(answer):
        print(f"{NOT_ATTEMPTED}: replace the ... in {name} and run this cell again.")
        return False
    try:
        if np.iscomplexobj(answer):  # casting would drop the imaginary part and could report a wrong answer as right
            raise TypeError("complex")
        answer = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        print(f"{NOT_YET}: {name} should be a number or an array of numbers. Hint: {hint}")
        return False
    if answer.shape != expected.shape:
        print(f"{NOT_YET}: {name} has shape {answer.shape}, but the answer has shape {expected.shape}. Hint: {hint}")
        return False
    if not np.all(np.isfinite(answer)):
        print(f"{NOT_YET}: {name} holds NaN or inf. Hint: {hint}")
        return False
    if not np.allclose(answer, expected, rtol=rtol, atol=atol):
        print(f"{NOT_YET}: the shape of {name} is right but its values are not. Hint: {hint}")
        return False
    print(f"{RIGHT}: {name} matches.")
    return True


def check_true(condition, hint, name="your answer", success="it does what was asked"):
    """Report on a yes/no condition that the exercise computed; print and return True/False."""
    if _not_attempted(condition):
        print(f"{NOT_ATTEMPTED}: replace the ... in {name} and run this cell again.")
        return False
    if isinstance(condition, (list, tuple, np.ndarray)):  # bool([False]) is True: take the one value, or refuse
        values = np.asarray(condition, dtype=object).reshape(-1)
        if values.size != 1:
            raise TypeError(f"condition must be a single True or False, got {values.size} values "
                            "(combine them with np.all(...) or np.any(...))")
        condition = values[0]
    if bool(condition):
        print(f"{RIGHT}: {success}.")
        return True
    print(f"{NOT_YET}: {name} is not right yet. Hint: {hint}")
    return False


def check_choice(answer, expected, hint, name="your answer"):
    """Compare a chosen option (a letter, a word) with the expected one, ignoring case and spaces."""
    if _not_attempted(answer):
        print(f"{NOT_ATTEMPTED}: replace the ... in {name} and run this cell again.")
        return False
    if str(answer).strip().lower() == str(expected).strip().lower():
        print(f"{RIGHT}: {name} is correct.")
        return True
    print(f"{NOT_YET}: {name} is not the best choice. Hint: {hint}")
    return False
