"""Generate tests/reference/optimizer_references.json: parameter trajectories from PyTorch and Keras 3.

torch and keras are NOT dependencies of the project. This script is run once, by hand, in a
separate virtual environment outside the repository; the tests only read the JSON it writes.
Regenerate (from the repository root) with exactly:

    python3 -m venv /tmp/refvenv
    /tmp/refvenv/bin/pip install torch==2.13.0 numpy==2.4.6 keras==3.15.1
    KERAS_BACKEND=torch /tmp/refvenv/bin/python tests/reference/make_references.py

The output is deterministic (fixed seeds, float64 on the CPU), so a rerun rewrites the same file.

What is stored:
    - two parameter arrays, "W" (2, 2) and "b" (2,), with seeded initial values;
    - named gradient sequences of T = 25 steps. Each coordinate has a fixed scale, and the scales
      span 1e-5 .. 10 (np.logspace(-5, 1, 6)), with random signs and magnitudes (0.5 .. 1.5 times
      the scale). No coordinate is ever zero, so eps = 0 is well defined. The spread makes eps
      placement (sqrt(v) + eps versus sqrt(v + eps)) and centering change the trajectory by far
      more than round-off;
    - for each case: the reference library and its hyperparameters under its own names, our class
      and keyword arguments (helpers.optimizers), the gradient sequence it was fed, and the
      parameters after every one of the T steps.

The gradients are precomputed and stored (they do not depend on the parameters), so a test feeds
our optimizer exactly the arrays that the reference optimizer got.

References:
    GradientDescent / Momentum -> torch.optim.SGD(lr, momentum)
    RMSprop                    -> torch.optim.RMSprop(lr, alpha=decay, eps, momentum, centered)
    RMSprop(eps_inside_sqrt)   -> keras.optimizers.RMSprop(learning_rate, rho=decay, epsilon, momentum,
                                  centered), the real Keras 3 code on its torch backend, with
                                  keras.config.set_floatx("float64")
    Adam                       -> torch.optim.Adam(lr, betas=(beta1, beta2), eps)
    Adagrad                    -> torch.optim.Adagrad(lr, eps) (lr_decay=0, initial_accumulator_value=0)
Floats are written with repr precision, so they round-trip exactly through JSON.
"""

import json
import os
import platform
from pathlib import Path

import numpy as np

T = 25
SHAPES = {"W": (2, 2), "b": (2,)}
SCALES = np.logspace(-5, 1, 6)  # one per coordinate: 1e-5, 1.6e-4, 2.5e-3, 0.04, 0.63, 10
OUT = Path(__file__).with_name("optimizer_references.json")
COMMAND = "KERAS_BACKEND=torch /tmp/refvenv/bin/python tests/reference/make_references.py"


def split(flat):
    """Cut a flat vector of all coordinates into the named arrays (W first, then b)."""
    out, start = {}, 0
    for name, shape in SHAPES.items():
        size = int(np.prod(shape))
        out[name] = flat[start : start + size].reshape(shape)
        start += size
    return out


def make_gradients(seed, permutation):
    """T steps of gradients; coordinate k has scale SCALES[permutation[k]], random sign and magnitude."""
    rng = np.random.default_rng(seed)
    scales = SCALES[np.asarray(permutation)]
    steps = []
    for _ in range(T):
        magnitude = rng.uniform(0.5, 1.5, size=scales.size)
        sign = rng.choice([-1.0, 1.0], size=scales.size)
        steps.append(split(sign * magnitude * scales))
    return steps


def make_initial_params(seed):
    rng = np.random.default_rng(seed)
    return split(rng.normal(0.0, 1.0, size=len(SCALES)))


def sgd(lr, momentum=0.0):
    ref = {"lr": lr, "momentum": momentum}
    if momentum == 0.0:
        return "torch.optim.SGD", ref, "GradientDescent", {"learning_rate": lr}
    return "torch.optim.SGD", ref, "Momentum", {"learning_rate": lr, "momentum": momentum}


def torch_rmsprop(lr, alpha, eps, centered=False, momentum=0.0):
    ref = {"lr": lr, "alpha": alpha, "eps": eps, "centered": centered, "momentum": momentum}
    ours = {"learning_rate": lr, "decay": alpha, "eps": eps, "centered": centered, "momentum": momentum}
    return "torch.optim.RMSprop", ref, "RMSprop", ours


def keras_rmsprop(lr, rho, epsilon, centered=False, momentum=0.0):
    ref = {"learning_rate": lr, "rho": rho, "epsilon": epsilon, "centered": centered, "momentum": momentum}
    ours = {
        "learning_rate": lr,
        "decay": rho,
        "eps": epsilon,
        "centered": centered,
        "momentum": momentum,
        "eps_inside_sqrt": True,
    }
    return "keras.optimizers.RMSprop", ref, "RMSprop", ours


def adam(lr, beta1, beta2, eps):
    ref = {"lr": lr, "betas": [beta1, beta2], "eps": eps}
    ours = {"learning_rate": lr, "beta1": beta1, "beta2": beta2, "eps": eps}
    return "torch.optim.Adam", ref, "Adam", ours


def adagrad(lr, eps):
    ref = {"lr": lr, "eps": eps}
    ours = {"learning_rate": lr, "eps": eps}
    return "torch.optim.Adagrad", ref, "Adagrad", ours


def case_specs():
    """The cases, as (reference, reference hyperparameters, our class, our kwargs)."""
    specs = []
    # plain gradient descent and heavy-ball momentum
    specs += [sgd(lr) for lr in (1e-3, 1e-2, 0.1, 1.0)]
    specs += [sgd(0.01, 0.5), sgd(0.01, 0.9), sgd(1e-3, 0.99), sgd(0.1, 0.9)]
    # PyTorch RMSprop: decay sweep (alpha = 0 is "RMS of the last gradient only", i.e. sign descent)
    specs += [torch_rmsprop(0.01, alpha, 1e-8) for alpha in (0.0, 0.5, 0.9, 0.99, 0.999)]
    # eps sweep, including eps = 0 (Hinton's original: no eps)
    specs += [torch_rmsprop(0.01, 0.9, eps) for eps in (0.0, 1e-3, 1.0)]
    specs += [torch_rmsprop(1e-3, 0.99, 0.0)]
    # centered (alpha > 0: with alpha = 0 the centered variance is identically zero)
    specs += [torch_rmsprop(0.01, alpha, 1e-8, centered=True) for alpha in (0.5, 0.9, 0.99, 0.999)]
    specs += [torch_rmsprop(0.01, 0.9, 1e-3, centered=True), torch_rmsprop(0.003, 0.9, 0.0, centered=True)]
    # momentum, alone and with centering
    specs += [torch_rmsprop(0.01, alpha, 1e-8, momentum=0.9) for alpha in (0.0, 0.9, 0.99)]
    specs += [
        torch_rmsprop(0.01, 0.9, 1e-8, centered=True, momentum=0.9),
        torch_rmsprop(0.001, 0.99, 1e-3, centered=True, momentum=0.9),
        torch_rmsprop(0.05, 0.5, 1.0, momentum=0.9),
    ]
    # Keras 3 RMSprop: eps inside the sqrt, lr inside the momentum buffer
    specs += [
        keras_rmsprop(0.01, 0.9, 1e-7),
        keras_rmsprop(0.01, 0.9, 1e-7, centered=True),
        keras_rmsprop(0.01, 0.9, 1e-7, momentum=0.9),
        keras_rmsprop(0.01, 0.9, 1e-7, centered=True, momentum=0.9),
        keras_rmsprop(0.01, 0.9, 1e-3),
        keras_rmsprop(0.01, 0.99, 1.0),
        keras_rmsprop(0.003, 0.5, 1e-8, centered=True),
        keras_rmsprop(0.01, 0.0, 1e-7),
    ]
    # Adam, including beta1 = 0 (no first-moment averaging) and a large eps
    specs += [
        adam(1e-3, 0.9, 0.999, 1e-8),
        adam(0.01, 0.0, 0.999, 1e-8),
        adam(0.01, 0.9, 0.99, 1e-3),
        adam(0.1, 0.5, 0.9, 1e-8),
        adam(1e-3, 0.0, 0.9, 1e-3),
        adam(0.05, 0.9, 0.999, 1.0),
    ]
    # Adagrad: its default, a large step, eps = 0, and eps large enough to matter
    specs += [adagrad(0.01, 1e-10), adagrad(0.5, 1e-10), adagrad(0.01, 0.0), adagrad(0.1, 1e-3), adagrad(0.01, 1.0)]
    return specs


def case_id(reference, ours_class, kwargs):
    """A readable pytest id, e.g. 'torch-RMSprop-lr0.01-decay0.9-eps1e-08-centered-mom0.9'."""
    short = {"learning_rate": "lr", "momentum": "mom", "decay": "decay", "eps": "eps", "beta1": "b1", "beta2": "b2"}
    parts = [reference.split(".")[0], ours_class]
    for key, value in kwargs.items():
        if key in ("centered", "eps_inside_sqrt"):
            if value:
                parts.append("centered" if key == "centered" else "eps_inside")
        elif key == "momentum" and value == 0.0 and ours_class == "RMSprop":
            continue
        else:
            parts.append(f"{short[key]}{value:g}")
    return "-".join(parts)


def to_lists(arrays):
    return {name: np.asarray(value, dtype=np.float64).tolist() for name, value in arrays.items()}


def run_torch(reference, hyper, params0, grads):
    import torch

    tensors = {name: torch.tensor(value, dtype=torch.float64, requires_grad=True) for name, value in params0.items()}
    kwargs = dict(hyper)
    if "betas" in kwargs:
        kwargs["betas"] = tuple(kwargs["betas"])
    cls = {"torch.optim.SGD": torch.optim.SGD, "torch.optim.RMSprop": torch.optim.RMSprop,
           "torch.optim.Adagrad": torch.optim.Adagrad, "torch.optim.Adam": torch.optim.Adam}[reference]
    optimizer = cls(list(tensors.values()), **kwargs)
    trajectory = []
    for step in grads:
        for name, tensor in tensors.items():
            tensor.grad = torch.tensor(step[name], dtype=torch.float64)
        optimizer.step()
        trajectory.append({name: tensor.detach().numpy().copy() for name, tensor in tensors.items()})
    return trajectory


def run_keras(hyper, params0, grads):
    import keras

    assert keras.backend.backend() == "torch", "set KERAS_BACKEND=torch before running this script"
    keras.config.set_floatx("float64")
    variables = {name: keras.Variable(np.array(value), dtype="float64", name=name) for name, value in params0.items()}
    optimizer = keras.optimizers.RMSprop(**hyper)
    trajectory = []
    for step in grads:
        pairs = [(keras.ops.convert_to_tensor(step[name], dtype="float64"), var) for name, var in variables.items()]
        optimizer.apply_gradients(pairs)
        trajectory.append({name: np.array(var.numpy(), dtype=np.float64) for name, var in variables.items()})
    # float32 anywhere would show as ~1e-7 errors in the tests; make sure it did not happen
    assert all(v.dtype == "float64" for v in variables.values())
    assert all(v.dtype in ("float64", "int32", "int64") for v in optimizer.variables), optimizer.variables
    return trajectory


def main():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras
    import torch

    torch.set_num_threads(1)
    params0 = make_initial_params(seed=2024)
    gradient_sets = {
        "spread_a": make_gradients(seed=0, permutation=[0, 1, 2, 3, 4, 5]),
        "spread_b": make_gradients(seed=1, permutation=[5, 3, 1, 0, 2, 4]),
    }
    cases = []
    for index, (reference, hyper, ours_class, kwargs) in enumerate(case_specs()):
        gradients = "spread_a" if index % 2 == 0 else "spread_b"
        grads = gradient_sets[gradients]
        if reference.startswith("keras"):
            trajectory = run_keras(hyper, params0, grads)
        else:
            trajectory = run_torch(reference, hyper, params0, grads)
        for step in trajectory:
            assert all(np.all(np.isfinite(value)) for value in step.values())
        cases.append(
            {
                "id": f"{index:02d}-{case_id(reference, ours_class, kwargs)}",
                "reference": reference,
                "reference_hyperparameters": hyper,
                "optimizer": ours_class,
                "kwargs": kwargs,
                "gradients": gradients,
                "trajectory": [to_lists(step) for step in trajectory],
            }
        )
    ids = [case["id"] for case in cases]
    assert len(set(ids)) == len(ids), ids

    header = {
        "description": (
            "Parameter trajectories of reference optimizers fed fixed gradients. trajectory[t] holds the "
            "parameters after step t + 1, starting from initial_params and fed gradient_sets[gradients][0..t]."
        ),
        "generated_by": "tests/reference/make_references.py",
        "command": COMMAND,
        "versions": {
            "python": platform.python_version(),
            "torch": torch.__version__,
            "keras": keras.__version__,
            "keras_backend": keras.backend.backend(),
            "numpy": np.__version__,
        },
        "steps": T,
        "coordinate_scales": SCALES.tolist(),
        "initial_params": to_lists(params0),
        "gradient_sets": {name: [to_lists(step) for step in steps] for name, steps in gradient_sets.items()},
    }
    # one case per line: small, and readable in a diff
    lines = [json.dumps(header, separators=(",", ":"))[:-1] + ',"cases":[']
    lines.append(",\n".join(json.dumps(case, separators=(",", ":")) for case in cases))
    lines.append("]}")
    OUT.write_text("\n".join(lines) + "\n")
    json.loads(OUT.read_text())  # it parses
    print(f"wrote {len(cases)} cases to {OUT} ({OUT.stat().st_size / 1024:.1f} KiB)")


if __name__ == "__main__":
    main()
