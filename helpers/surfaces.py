"""2-D test functions with analytic gradients, for drawing optimizer paths (notebooks 04-05).

A Surface evaluates points of shape (..., 2): `value` returns shape (...,) and `gradient`
returns shape (..., 2), so one call can fill a contour grid or step many paths at once.
"""

import numpy as np

from . import _checks


class Surface:
    """Base class: a name, a minimiser, a default start and a plotting window."""

    name = "surface"
    minimum = (0.0, 0.0)
    start = (-1.5, 1.0)
    xlim = (-2.0, 2.0)
    ylim = (-2.0, 2.0)

    def _points(self, points):
        points = _checks.float_array(points, "points")
        if points.ndim < 1 or points.shape[-1] != 2:
            raise ValueError(f"points must have shape (..., 2), got {points.shape}")
        return points

    def value(self, points):
        """f at points of shape (..., 2). Returns shape (...,)."""
        return self._value(self._points(points))

    def gradient(self, points):
        """grad f at points of shape (..., 2). Returns shape (..., 2)."""
        return self._gradient(self._points(points))

    def grid(self, n=200):
        """(xs, ys, values) on an n x n grid over xlim x ylim, for contour plots."""
        n = _checks.positive_int(n, "n", minimum=2)
        xs = np.linspace(*self.xlim, n)
        ys = np.linspace(*self.ylim, n)
        XX, YY = np.meshgrid(xs, ys)
        return xs, ys, self._value(np.stack([XX, YY], axis=-1))


class Quadratic(Surface):
    """f(p) = 1/2 p^T H p with H = R(theta) diag(1, kappa) R(theta)^T.

    Eigenvalues 1 and kappa (the condition number); theta rotates the valley away from the
    axes. Gradient H p. Gradient descent is stable iff learning_rate < 2 / lambda_max = 2 / kappa.
    """

    def __init__(self, condition_number=10.0, angle=0.0):
        self.condition_number = _checks.real_number(condition_number, "condition_number")
        if not (1.0 <= self.condition_number < np.inf):
            raise ValueError(f"condition_number must be a finite number >= 1, got {condition_number!r}")
        self.angle = _checks.real_number(angle, "angle")
        if not np.isfinite(self.angle):
            raise ValueError(f"angle must be finite (radians), got {angle!r}")
        c, s = np.cos(self.angle), np.sin(self.angle)
        rotation = np.array([[c, -s], [s, c]])
        self.eigenvalues = np.array([1.0, self.condition_number])
        self.hessian = rotation @ np.diag(self.eigenvalues) @ rotation.T
        self.name = f"quadratic (kappa={self.condition_number:g})"
        self.start = (-1.8, 0.6)

    @property
    def stability_bound(self):
        """2 / lambda_max: the largest learning rate for which gradient descent does not diverge."""
        return 2.0 / self.eigenvalues.max()

    def _value(self, p):
        return 0.5 * np.einsum("...i,ij,...j->...", p, self.hessian, p)

    def _gradient(self, p):
        # H p (H is symmetric), written out entry by entry rather than as a matmul: elementwise
        # products and sums round the same way for one point and for a stack of points, on any CPU.
        return p[..., :1] * self.hessian[0] + p[..., 1:] * self.hessian[1]


class Rosenbrock(Surface):
    """f(x, y) = (a - x)^2 + b (y - x^2)^2, minimum at (a, a^2); a long curved valley.

    Gradient: (-2 (a - x) - 4 b x (y - x^2),  2 b (y - x^2)).
    """

    name = "Rosenbrock"
    xlim = (-2.0, 2.0)
    ylim = (-1.0, 3.0)
    start = (-1.5, 2.0)

    def __init__(self, a=1.0, b=100.0):
        self.a = _checks.real_number(a, "a")
        if not np.isfinite(self.a):
            raise ValueError(f"a must be a finite number, got {a!r}")
        self.b = _checks.positive(b, "b")
        self.minimum = (self.a, self.a**2)

    def _value(self, p):
        x, y = p[..., 0], p[..., 1]
        return (self.a - x) ** 2 + self.b * (y - x * x) ** 2

    def _gradient(self, p):
        x, y = p[..., 0], p[..., 1]
        dx = -2.0 * (self.a - x) - 4.0 * self.b * x * (y - x * x)
        dy = 2.0 * self.b * (y - x * x)
        return np.stack([dx, dy], axis=-1)


class Saddle(Surface):
    """f(x, y) = (x^2 - y^2) / 2: a saddle at the origin, no minimum. Gradient (x, -y).

    A start near y = 0 shows how slowly plain gradient descent leaves a saddle.
    """

    name = "saddle"
    minimum = None
    start = (1.5, 1e-3)

    def _value(self, p):
        return 0.5 * (p[..., 0] ** 2 - p[..., 1] ** 2)

    def _gradient(self, p):
        return np.stack([p[..., 0], -p[..., 1]], axis=-1)


def ill_conditioned_quadratic(condition_number=10.0, angle=0.0):
    """A Quadratic with eigenvalues 1 and condition_number, rotated by angle (radians)."""
    return Quadratic(condition_number, angle)


def rosenbrock(a=1.0, b=100.0):
    """The Rosenbrock banana valley."""
    return Rosenbrock(a, b)


def saddle():
    """The saddle (x^2 - y^2) / 2."""
    return Saddle()
