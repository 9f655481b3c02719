"""The portability pass of `make test` really runs numpy on other SIMD loops."""

import os
import subprocess
import sys

from numpy._core._multiarray_umath import __cpu_features__

from tests.portability.numeric_env import features_to_disable


def test_the_switched_off_groups_are_off():
    disabled = os.environ.get("NPY_DISABLE_CPU_FEATURES", "").split()
    if not disabled:  # the first pass: the machine's own loops, so there is a group to switch off later
        assert features_to_disable(), "numpy found no SIMD group above its baseline"
        return
    still_on = [name for name in disabled if __cpu_features__.get(name)]
    assert not still_on, f"NPY_DISABLE_CPU_FEATURES={disabled} but numpy still uses {still_on}"


def test_the_pass_changes_the_last_bits():
    """Under the portability pass, exp and log1p round differently from the machine's own loops."""
    disabled = os.environ.get("NPY_DISABLE_CPU_FEATURES", "")
    if not disabled:
        return  # the first pass: nothing to compare with yet
    script = ("import hashlib, numpy as np; x = np.random.default_rng(0).uniform(-5, 5, 10_000); "
              "print(hashlib.sha256(np.exp(x).tobytes() + np.log1p(np.abs(x)).tobytes()).hexdigest())")
    own_loops = {k: v for k, v in os.environ.items() if k != "NPY_DISABLE_CPU_FEATURES"}
    own = subprocess.run([sys.executable, "-c", script], env=own_loops, capture_output=True, text=True, check=True)
    here = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert own.stdout != here.stdout, f"NPY_DISABLE_CPU_FEATURES={disabled!r} left exp and log1p bit-identical"
