"""`crm.yaml`: tier scoring weights and cut-offs, lifecycle thresholds, the desk's hint rules.

Validated by pydantic (``extra="forbid"``) through `hotline.core.config`, so a
wrong file is refused with every problem located as ``file:line:column: path:
message``. The defaults of every model are those of the 95598 example, so a
hotline without a ``crm.yaml`` still scores and hints sensibly.
"""

from __future__ import annotations

import enum
import math
import os
import string
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hotline.core.config import load_model

NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Weights(_Model):
    """How much each input counts; they must add up to 1."""

    arpu: NonNegative = 0.5
    tenure: NonNegative = 0.2
    credit: NonNegative = 0.3

    @model_validator(mode="after")
    def _add_up_to_one(self) -> Weights:
        total = self.arpu + self.tenure + self.credit
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise ValueError(f"the weights must add up to 1 (they add up to {total:g})")
        return self


class FullMarks(_Model):
    """The ARPU (yuan a month) and tenure (months) that earn the full part; more counts no more."""

    arpu: Positive = 800.0
    tenure_months: Positive = 120.0


class CreditRange(_Model):
    """The credit scale: `min` earns nothing, `max` the full part."""

    min: float = Field(0.0, allow_inf_nan=False)
    max: float = Field(100.0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _ordered(self) -> CreditRange:
        if self.max <= self.min:
            raise ValueError(f"credit max ({self.max:g}) must be above min ({self.min:g})")
        return self


class Cutoffs(_Model):
    """Scores (0–100) from which a customer is middle or high tier."""

    high: float = Field(70.0, gt=0, le=100, allow_inf_nan=False)
    middle: float = Field(50.0, gt=0, le=100, allow_inf_nan=False)

    @model_validator(mode="after")
    def _ordered(self) -> Cutoffs:
        if self.middle >= self.high:
            raise ValueError(
                f"the middle cut-off ({self.middle:g}) must be below the high one ({self.high:g})"
            )
        return self


class Scoring(_Model):
    weights: Weights = Weights()
    full_marks: FullMarks = FullMarks()
    credit: CreditRange = CreditRange()
    cutoffs: Cutoffs = Cutoffs()


class Lifecycle(_Model):
    """Stage thresholds: under `identification_months` of tenure 识别期, under
    `growth_months` 成长期, else 稳定期; an ARPU under `warning_arpu_below` is 预警期
    whatever the tenure (SPEC §6: ARPU < 50 yuan covers 87% of churners)."""

    identification_months: int = Field(6, ge=0)
    growth_months: int = Field(24, ge=0)
    warning_arpu_below: NonNegative = 50.0

    @model_validator(mode="after")
    def _ordered(self) -> Lifecycle:
        if self.growth_months < self.identification_months:
            raise ValueError("growth_months must not be below identification_months")
        return self


class Op(enum.StrEnum):
    EQ = "=="
    NE = "!="
    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="


NUMERIC_FIELDS = frozenset(
    {
        "arpu",
        "tenure_months",
        "credit_score",
        "score",
        "last_bill",
        "avg_bill_6m",
        "arrears",
        "prepaid_balance",
    }
)
"""Fields a hint may compare with numbers (and with each other, scaled by `times`)."""

TEXT_FIELDS: dict[str, frozenset[str]] = {
    "customer_type": frozenset({"business", "resident"}),
    "tier": frozenset({"high", "middle", "ordinary"}),
    "list_mark": frozenset({"red", "none", "black"}),
    "lifecycle": frozenset({"identification", "growth", "stable", "warning"}),
}
"""Fields a hint may test for (in)equality, with the values each can take."""

MESSAGE_FIELDS = NUMERIC_FIELDS | TEXT_FIELDS.keys() | {"name", "account_manager"}
"""Fields a hint's message may show as ``{field}``."""


class Condition(_Model):
    """``field op value``, or ``field op times × of`` to compare with another field."""

    field: str
    op: Op
    value: float | str | None = None
    of: str | None = None
    times: float = Field(1.0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _consistent(self) -> Condition:
        known = sorted(NUMERIC_FIELDS | TEXT_FIELDS.keys())
        if self.field not in NUMERIC_FIELDS and self.field not in TEXT_FIELDS:
            raise ValueError(f"unknown field {self.field!r} (known: {', '.join(known)})")
        if (self.value is None) == (self.of is None):
            raise ValueError("give exactly one of 'value' or 'of' (another field)")
        if self.field in TEXT_FIELDS:
            choices = TEXT_FIELDS[self.field]
            if self.op not in (Op.EQ, Op.NE):
                raise ValueError(f"{self.field!r} is text: only == and != apply")
            if self.value not in choices:
                raise ValueError(
                    f"{self.field!r} is one of {', '.join(sorted(choices))}, not {self.value!r}"
                )
            return self
        if self.of is not None and self.of not in NUMERIC_FIELDS:
            raise ValueError(f"'of' must name a numeric field, not {self.of!r}")
        if isinstance(self.value, str):
            raise ValueError(f"{self.field!r} is a number: compare it with a number")
        return self


class HintLevel(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"


class HintRule(_Model):
    """A hint shown to the agent when every condition holds; `message` may show ``{field}``."""

    name: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")
    when: list[Condition] = Field(min_length=1)
    message: str = Field(min_length=1, max_length=500)
    level: HintLevel = HintLevel.INFO

    @model_validator(mode="after")
    def _message_fields(self) -> HintRule:
        try:
            parts = list(string.Formatter().parse(self.message))
        except ValueError as exc:
            raise ValueError(f"message: {exc}") from None
        for _, name, _, _ in parts:
            if name is not None and name not in MESSAGE_FIELDS:
                known = ", ".join(sorted(MESSAGE_FIELDS))
                raise ValueError(f"message shows unknown field {{{name}}} (known: {known})")
        sample = {name: 1.0 if name in NUMERIC_FIELDS else "x" for name in MESSAGE_FIELDS}
        try:
            self.message.format_map(sample)
        except (ValueError, IndexError, KeyError) as exc:
            raise ValueError(f"message cannot be filled in: {exc}") from None
        return self


class CrmConfig(_Model):
    """The whole of ``crm.yaml``."""

    scoring: Scoring = Scoring()
    lifecycle: Lifecycle = Lifecycle()
    hints: list[HintRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_hint_names(self) -> CrmConfig:
        seen: set[str] = set()
        for rule in self.hints:
            if rule.name in seen:
                raise ValueError(f"two hint rules are named {rule.name!r}")
            seen.add(rule.name)
        return self


def load_crm_config(path: str | os.PathLike[str]) -> CrmConfig:
    """Read and check a ``crm.yaml``; raises `ConfigError` with every problem located."""
    config, _ = load_model(path, CrmConfig)
    return config
