"""Phrase rules over transcripts: 服务禁语 the agent must not say, 规范用语 it must.

A rule (``qa.yaml``'s ``phrases:`` section, `PhraseRulesModel`) lists phrases for one
channel, optionally inside a window (the first or last N seconds of the call), and may
name the form question it answers. A phrase is found in a channel's text — its segments
in time order, joined, so a phrase split across two segments is still found — when:

- its **characters** occur, after both sides are normalised (full-width to half-width,
  lower case, punctuation and spaces removed); or
- its **toneless pinyin** occurs (pypinyin, every reading of a 多音字) and at least
  ``same_chars`` (default half) of its characters are the same characters: a recognizer's
  homophone slip still matches ("不知到", "这不归我们馆"), a different phrase that only
  sounds alike does not ("布置到位" is not "不知道").

``…`` inside a phrase stands for up to `GAP` characters of anything ("您好…请问有什么可以
帮您"). A hit inside a match of one of the rule's ``unless`` phrases is not counted.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pypinyin import Style, pinyin

from hotline.quality.transcripts import Channel, Segment

__all__ = [
    "GAP",
    "Found",
    "PhraseHit",
    "PhraseReport",
    "PhraseRuleModel",
    "PhraseRules",
    "PhraseRulesModel",
    "RuleOutcome",
    "find_phrase",
    "normalise",
]

GAP = 40
"""The most characters (after normalising) that ``…`` in a phrase stands for."""
ELLIPSIS = ("…", "...")

Kind = Literal["forbidden", "required"]
Suggestion = Literal["yes", "no"]
Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
Phrase = Annotated[str, Field(min_length=1, max_length=200)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PhraseRuleModel(_Model):
    """One rule as written in ``qa.yaml``."""

    id: Name
    kind: Kind
    title: str = Field(default="", max_length=200)
    channel: Channel = "agent"
    phrases: list[Phrase] = Field(min_length=1)
    unless: list[Phrase] = Field(default_factory=list)
    within_first_s: float | None = Field(default=None, gt=0)
    within_last_s: float | None = Field(default=None, gt=0)
    question: Name | None = None

    @field_validator("phrases", "unless")
    @classmethod
    def _something_to_match(cls, phrases: list[str]) -> list[str]:
        for phrase in phrases:
            if any(not part for part in _parts(phrase)):
                raise ValueError(
                    f"{phrase!r} has nothing to match after removing "
                    "punctuation and spaces (or an empty side of …)"
                )
        return phrases

    @model_validator(mode="after")
    def _one_window(self) -> PhraseRuleModel:
        if self.within_first_s is not None and self.within_last_s is not None:
            raise ValueError("a rule has within_first_s or within_last_s, not both")
        return self


class PhraseRulesModel(_Model):
    """The ``phrases:`` section: the rules and how loosely pinyin may match."""

    pinyin: bool = True
    same_chars: float = Field(default=0.5, ge=0, le=1)
    rules: list[PhraseRuleModel] = Field(default_factory=list)

    @field_validator("rules")
    @classmethod
    def _unique_ids(cls, rules: list[PhraseRuleModel]) -> list[PhraseRuleModel]:
        seen: set[str] = set()
        for rule in rules:
            if rule.id in seen:
                raise ValueError(f"rule {rule.id} is given twice")
            seen.add(rule.id)
        return rules


# --- normalising and matching ----------------------------------------------------------


def normalise(text: str) -> tuple[str, tuple[int, ...]]:
    """`text` as phrases are matched — full-width folded (NFKC), lower case, only letters,
    digits and 汉字 — and, for each character kept, its index in `text`."""
    kept: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for folded in unicodedata.normalize("NFKC", char).lower():
            if unicodedata.category(folded)[0] in "LN":
                kept.append(folded)
                origin.append(index)
    return "".join(kept), tuple(origin)


def _parts(phrase: str) -> tuple[str, ...]:
    for mark in ELLIPSIS[1:]:
        phrase = phrase.replace(mark, ELLIPSIS[0])
    return tuple(normalise(part)[0] for part in phrase.split(ELLIPSIS[0]))


@lru_cache(maxsize=16384)
def _readings(char: str) -> frozenset[str]:
    """Every toneless reading of a 汉字 (the character itself for anything else)."""
    return frozenset(pinyin(char, style=Style.NORMAL, heteronym=True, errors=lambda x: x)[0])


@dataclass(frozen=True, slots=True)
class _Matcher:
    pinyin: bool
    same_chars: float

    def part_at(self, text: str, at: int, part: str) -> bool | None:
        """Whether `part` is at `at` of `text`: True exactly, False by pinyin, else None."""
        if text.startswith(part, at):
            return True
        if not self.pinyin or at + len(part) > len(text):
            return None
        same = 0
        for said, wanted in zip(text[at : at + len(part)], part, strict=True):
            if said == wanted:
                same += 1
            elif not _readings(said) & _readings(wanted):
                return None
        return False if same >= math.ceil(self.same_chars * len(part) - 1e-9) else None

    def spans(self, text: str, parts: Sequence[str]) -> list[tuple[int, int, bool]]:
        """Non-overlapping ``(start, end, exact)`` of the phrase `parts` in `text`."""
        found: list[tuple[int, int, bool]] = []
        at = 0
        while at < len(text):
            span = self._from(text, at, parts)
            if span is None:
                at += 1
                continue
            found.append(span)
            at = span[1]
        return found

    def _from(self, text: str, at: int, parts: Sequence[str]) -> tuple[int, int, bool] | None:
        exact = self.part_at(text, at, parts[0])
        if exact is None:
            return None
        end = at + len(parts[0])
        for part in parts[1:]:
            for start in range(end, min(end + GAP, len(text) - len(part)) + 1):
                got = self.part_at(text, start, part)
                if got is not None:
                    exact, end = exact and got, start + len(part)
                    break
            else:
                return None
        return at, end, exact


@dataclass(frozen=True, slots=True)
class Found:
    """Where a phrase was found in one text: `text` as written there, `start`/`end` the
    indexes of its first and last character plus one, and whether by pinyin only."""

    text: str
    start: int
    end: int
    by: Literal["characters", "pinyin"]


def find_phrase(
    text: str, phrase: str, *, pinyin: bool = True, same_chars: float = 0.5
) -> list[Found]:
    """Every non-overlapping occurrence of `phrase` in `text`, matched as the rules match."""
    plain, origin = normalise(text)
    found = []
    for start, end, exact in _Matcher(pinyin, same_chars).spans(plain, _parts(phrase)):
        first, last = origin[start], origin[end - 1] + 1
        found.append(Found(text[first:last], first, last, "characters" if exact else "pinyin"))
    return found


# --- rules over a transcript -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PhraseHit:
    """A rule's phrase said on a channel: `text` as transcribed, with the time of the
    segment(s) it was said in."""

    rule: str
    kind: Kind
    channel: Channel
    phrase: str
    text: str
    start: float
    end: float
    by: Literal["characters", "pinyin"]


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    """One rule over one call: whether a phrase was `said` (in the window), whether that
    `passed` the rule, and whether the channel was `heard` at all (a silent or missing
    channel proves nothing, so it makes no suggestion)."""

    rule: str
    kind: Kind
    question: str | None
    said: bool
    passed: bool
    heard: bool
    hits: tuple[PhraseHit, ...]


@dataclass(frozen=True, slots=True)
class PhraseReport:
    """The rules over one call, and the answer each named form question is suggested."""

    outcomes: tuple[RuleOutcome, ...]
    suggestions: Mapping[str, Suggestion]

    @property
    def hits(self) -> list[PhraseHit]:
        """Every hit in time order."""
        return sorted((h for o in self.outcomes for h in o.hits), key=lambda h: (h.start, h.rule))

    @property
    def failed(self) -> list[RuleOutcome]:
        """Forbidden phrases said and required ones not said, on channels that were heard."""
        return [o for o in self.outcomes if o.heard and not o.passed]


@dataclass(frozen=True, slots=True)
class _Rule:
    id: str
    kind: Kind
    channel: Channel
    phrases: tuple[tuple[str, tuple[str, ...]], ...]
    unless: tuple[tuple[str, ...], ...]
    within_first_s: float | None
    within_last_s: float | None
    question: str | None


@dataclass(frozen=True, slots=True)
class _Joined:
    """A channel's segments joined into one normalised text, each character traced back."""

    segments: tuple[Segment, ...]
    text: str
    origin: tuple[tuple[int, int], ...]  # (segment index, index in its text)

    @classmethod
    def of(cls, segments: Iterable[Segment]) -> _Joined:
        ordered = tuple(sorted(segments, key=lambda s: (s.start, s.end)))
        chars: list[str] = []
        origin: list[tuple[int, int]] = []
        for si, segment in enumerate(ordered):
            plain, where = normalise(segment.text)
            chars.append(plain)
            origin.extend((si, i) for i in where)
        return cls(ordered, "".join(chars), tuple(origin))

    def said(self, start: int, end: int) -> tuple[str, float, float]:
        """The transcribed text of characters `start` … `end` - 1 and its time."""
        (s0, i0), (s1, i1) = self.origin[start], self.origin[end - 1]
        pieces = [self.segments[s0].text[i0 : (i1 + 1 if s0 == s1 else None)]]
        pieces += [self.segments[si].text for si in range(s0 + 1, s1)]
        if s1 > s0:
            pieces.append(self.segments[s1].text[: i1 + 1])
        return "".join(pieces), self.segments[s0].start, self.segments[s1].end


class PhraseRules:
    """The checked rules of a ``phrases:`` section, applied to a call's transcript."""

    def __init__(self, model: PhraseRulesModel) -> None:
        self.model = model
        self._matcher = _Matcher(model.pinyin, model.same_chars)
        self._rules = tuple(
            _Rule(
                r.id,
                r.kind,
                r.channel,
                tuple((p, _parts(p)) for p in r.phrases),
                tuple(_parts(p) for p in r.unless),
                r.within_first_s,
                r.within_last_s,
                r.question,
            )
            for r in model.rules
        )

    @property
    def questions(self) -> dict[str, list[str]]:
        """Each form question the rules answer, with the rules answering it (for the
        caller to check against its form: they must be yes/no questions of it)."""
        out: dict[str, list[str]] = {}
        for rule in self._rules:
            if rule.question is not None:
                out.setdefault(rule.question, []).append(rule.id)
        return out

    def check(self, segments: Sequence[Segment], *, duration: float | None = None) -> PhraseReport:
        """Every rule over the call's `segments` (both channels).

        `duration` is the recording's length, where ``within_last_s`` counts back from (by
        default the end of the last segment). A question's suggestion is "no" when any of
        its rules failed — a forbidden phrase said, a required one not said in its window —
        else "yes"; rules on a channel with no speech at all suggest nothing.
        """
        end_of_call = (
            duration if duration is not None else max((s.end for s in segments), default=0.0)
        )
        outcomes = tuple(self._outcome(rule, segments, end_of_call) for rule in self._rules)
        suggestions: dict[str, Suggestion] = {}
        for outcome in outcomes:
            if outcome.question is None or not outcome.heard:
                continue
            answer: Suggestion = "yes" if outcome.passed else "no"
            if suggestions.get(outcome.question) != "no":
                suggestions[outcome.question] = answer
        return PhraseReport(outcomes, suggestions)

    def _outcome(self, rule: _Rule, segments: Sequence[Segment], end_of_call: float) -> RuleOutcome:
        mine = [s for s in segments if s.channel == rule.channel]
        heard = any(normalise(s.text)[0] for s in mine)
        if rule.within_first_s is not None:
            mine = [s for s in mine if s.start < rule.within_first_s]
        if rule.within_last_s is not None:
            mine = [s for s in mine if s.end > end_of_call - rule.within_last_s]
        joined = _Joined.of(mine)
        spared = [span for parts in rule.unless for span in self._matcher.spans(joined.text, parts)]
        found: list[tuple[int, int, str, bool]] = []
        for phrase, parts in rule.phrases:
            for start, end, exact in self._matcher.spans(joined.text, parts):
                if not any(s <= start and end <= e for s, e, _ in spared):
                    found.append((start, end, phrase, exact))
        found.sort(key=lambda f: (f[0], f[0] - f[1]))  # by start, the longest first
        hits: list[PhraseHit] = []
        reach = -1
        for start, end, phrase, exact in found:
            if end <= reach:
                continue  # inside a longer phrase of the same rule already hit
            reach = max(reach, end)
            said, t0, t1 = joined.said(start, end)
            by: Literal["characters", "pinyin"] = "characters" if exact else "pinyin"
            hits.append(PhraseHit(rule.id, rule.kind, rule.channel, phrase, said, t0, t1, by))
        said_any = bool(hits)
        passed = not said_any if rule.kind == "forbidden" else said_any
        return RuleOutcome(rule.id, rule.kind, rule.question, said_any, passed, heard, tuple(hits))
