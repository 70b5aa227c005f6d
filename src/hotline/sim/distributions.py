"""Random durations for the simulator, as configured in a scenario file.

Each distribution is given by its mean (and spread where it has one), the way
a hotline's analyst knows their data: "talk time averages 180 s with a
standard deviation of 90 s" becomes ``{dist: lognormal, mean: 180, sd: 90}``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Positive = Annotated[float, Field(gt=0)]
NonNegative = Annotated[float, Field(ge=0)]

Sampler = Callable[[], float]


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Fixed(_Dist):
    dist: Literal["fixed"]
    value: NonNegative

    @property
    def mean(self) -> float:
        return self.value

    def sampler(self, rng: random.Random) -> Sampler:
        value = self.value
        return lambda: value


class Exponential(_Dist):
    dist: Literal["exponential"]
    mean: Positive

    def sampler(self, rng: random.Random) -> Sampler:
        rate = 1.0 / self.mean
        expo = rng.expovariate
        return lambda: expo(rate)


class Uniform(_Dist):
    dist: Literal["uniform"]
    low: NonNegative
    high: NonNegative

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) is below low ({self.low})")
        return self

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    def sampler(self, rng: random.Random) -> Sampler:
        low, span, draw = self.low, self.high - self.low, rng.random
        return lambda: low + span * draw()


class LogNormal(_Dist):
    """Log-normal with the given mean and standard deviation of the duration itself."""

    dist: Literal["lognormal"]
    mean: Positive
    sd: Positive

    def sampler(self, rng: random.Random) -> Sampler:
        sigma2 = math.log(1 + (self.sd / self.mean) ** 2)
        mu, sigma = math.log(self.mean) - sigma2 / 2, math.sqrt(sigma2)
        draw = rng.lognormvariate
        return lambda: draw(mu, sigma)


class Gamma(_Dist):
    """Gamma with the given mean and standard deviation (Erlang-k when (mean/sd)² is whole)."""

    dist: Literal["gamma"]
    mean: Positive
    sd: Positive

    def sampler(self, rng: random.Random) -> Sampler:
        shape = (self.mean / self.sd) ** 2
        scale = self.mean / shape
        draw = rng.gammavariate
        return lambda: draw(shape, scale)


class Never(_Dist):
    """An event that never happens (infinite patience)."""

    dist: Literal["never"]

    @property
    def mean(self) -> float:
        return math.inf

    def sampler(self, rng: random.Random) -> Sampler:
        return lambda: math.inf


Distribution = Annotated[
    Fixed | Exponential | Uniform | LogNormal | Gamma | Never, Field(discriminator="dist")
]
