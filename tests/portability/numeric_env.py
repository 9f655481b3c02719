"""Print the NPY_DISABLE_CPU_FEATURES value for the portability pass of `make test`.

numpy picks SIMD loops per CPU (numpy.show_runtime() lists the groups it found); switching off
the highest group makes it run other loops, whose transcendental functions (tanh, exp, log) round
differently in the last bits: a second numeric environment on the same machine. On x86-64 the
highest group is X86_V4 (AVX-512), which takes the AVX512_* groups found beside it along; else
X86_V3 (AVX2 + FMA); elsewhere, the last group found. Exits 1 with a message if numpy found no
group above its baseline, since then there is nothing to switch off.
"""

import sys

from numpy._core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__


def features_to_disable():
    found = [name for name in __cpu_dispatch__ if __cpu_features__.get(name) and name not in __cpu_baseline__]
    if "X86_V4" in found:
        return ["X86_V4"] + [name for name in found if name.startswith("AVX512")]
    if "X86_V3" in found:
        return ["X86_V3"]
    return found[-1:]


if __name__ == "__main__":
    names = features_to_disable()
    if not names:
        sys.exit("numpy found no SIMD group above its baseline on this CPU: the portability pass has nothing "
                 "to switch off")
    print(" ".join(names))
