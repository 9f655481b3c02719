"""2-D test functions with analytic gradients, for drawing optimizer paths (notebooks 04-05, 08).

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
    """f(x, y) = (a x^2 - b y^2) / 2: a saddle at the origin, no minimum. Gradient (a x, -b y).

    Curvature +a along x (the coordinate that settles), -b along y (the way out). The defaults
    a = b = 1 give (x^2 - y^2) / 2. A start near y = 0 shows how slowly plain gradient descent
    leaves a saddle when b is small: GD multiplies y by 1 + eta b per step (notebook 08).
    """

    name = "saddle"
    minimum = None
    start = (1.5, 1e-3)

    def __init__(self, a=1.0, b=1.0):
        self.a = _checks.positive(a, "a")
        self.b = _checks.positive(b, "b")
        if not (np.isfinite(self.a) and np.isfinite(self.b)):
            raise ValueError(f"a and b must be finite curvatures > 0, got a={a!r}, b={b!r}")

    def _value(self, p):
        return 0.5 * (self.a * p[..., 0] ** 2 - self.b * p[..., 1] ** 2)

    def _gradient(self, p):
        return np.stack([self.a * p[..., 0], -self.b * p[..., 1]], axis=-1)


class Shelf(Surface):
    """A flat shelf, a drop, then a gentle slope to the minimum (notebook 08):

        f(x, y) = h (1 - tanh(k x)) / 2  +  q (x - m)^2 / 2  +  c y^2 / 2
        df/dx   = -(h k / 2) sech^2(k x)  +  q (x - m)
        df/dy   = c y

    Left of x = 0 the tanh term is flat (its slope h k / 2 sech^2(k x) < 2 h k e^(-2k|x|)), so the
    only slope is the gentle q (x - m): the shelf. Around x = 0 the surface drops by h over a width
    of about 1 / k, with slopes up to h k / 2 + ...: the cliff. Right of it the gentle slope
    q (x - m) leads on to the minimum near (m, 0). Both terms of df/dx are negative for x < m, so
    there is no other minimum. Defaults: h = 1, k = 5, q = 0.004, m = 1.5, c = 1.
    """

    name = "shelf"
    start = (-1.5, 0.5)
    xlim = (-2.0, 2.0)
    ylim = (-1.0, 1.0)

    def __init__(self, height=1.0, steepness=5.0, slope=0.004, minimum_x=1.5, curvature_y=1.0):
        self.height = _checks.positive(height, "height")
        self.steepness = _checks.positive(steepness, "steepness")
        self.slope = _checks.positive(slope, "slope")
        self.minimum_x = _checks.real_number(minimum_x, "minimum_x")
        self.curvature_y = _checks.positive(curvature_y, "curvature_y")
        for name in ("height", "steepness", "slope", "minimum_x", "curvature_y"):
            if not np.isfinite(getattr(self, name)):
                raise ValueError(f"{name} must be finite, got {getattr(self, name)!r}")
        if self.minimum_x <= 0:
            raise ValueError(f"minimum_x must be > 0 (the minimum lies after the drop at x = 0), got {minimum_x!r}")
        # The minimum: df/dx = 0 a little right of m (the tanh term still slopes down a little there, so the
        # gentle slope q (x - m) must be slightly positive to balance it); Newton from m.
        x = self.minimum_x
        for _ in range(50):
            slope_x = self._gradient(np.array([x, 0.0]))[0]
            sech2 = self._sech2(x)
            curvature = self.height * self.steepness**2 * sech2 * np.tanh(self.steepness * x) + self.slope
            x -= slope_x / curvature
        self.minimum = (float(x), 0.0)

    def _value(self, p):
        x, y = p[..., 0], p[..., 1]
        return (0.5 * self.height * (1.0 - np.tanh(self.steepness * x)) + 0.5 * self.slope * (x - self.minimum_x) ** 2
                + 0.5 * self.curvature_y * y**2)

    def _sech2(self, x):
        # sech^2(u) = 4 e^(-2|u|) / (1 + e^(-2|u|))^2: no overflow for large |u|, full precision on the shelf
        e = np.exp(-2.0 * np.abs(self.steepness * x))
        return 4.0 * e / (1.0 + e) ** 2

    def _gradient(self, p):
        x, y = p[..., 0], p[..., 1]
        sech2 = self._sech2(x)
        dx = -0.5 * self.height * self.steepness * sech2 + self.slope * (x - self.minimum_x)
        return np.stack([dx, self.curvature_y * y], axis=-1)


def ill_conditioned_quadratic(condition_number=10.0, angle=0.0):
    """A Quadratic with eigenvalues 1 and condition_number, rotated by angle (radians)."""
    return Quadratic(condition_number, angle)


def rosenbrock(a=1.0, b=100.0):
    """The Rosenbrock banana valley."""
    return Rosenbrock(a, b)


def saddle(a=1.0, b=1.0):
    """The saddle (a x^2 - b y^2) / 2; the default is (x^2 - y^2) / 2."""
    return Saddle(a, b)


def shelf(height=1.0, steepness=5.0, slope=0.004, minimum_x=1.5, curvature_y=1.0):
    """A flat shelf before a drop, then a gentle slope to the minimum (see Shelf)."""
    return Shelf(height, steepness, slope, minimum_x, curvature_y)
