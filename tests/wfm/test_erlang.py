"""Erlang B, C and A against exact arithmetic, published values, limits and invariants."""

from __future__ import annotations

import math
import time
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.wfm.erlang import (
    ErlangAResult,
    agents_for_asa,
    agents_for_service_level,
    average_speed_of_answer,
    erlang_a,
    erlang_a_reported,
    erlang_b,
    erlang_c,
    occupancy,
    service_level,
)

# --- exact references -------------------------------------------------------------


def exact_erlang_b(servers: int, load: int) -> Fraction:
    """A^N / Σ_k A^k·N!/k!, in integers (S_n = n·S_{n-1} + A^n)."""
    total, power = 1, 1
    for n in range(1, servers + 1):
        power *= load
        total = n * total + power
    return Fraction(power, total)


def exact_erlang_c(servers: int, load: Fraction) -> Fraction:
    """The textbook M/M/N formula with factorials, in fractions."""
    terms = [load**k / math.factorial(k) for k in range(servers)]
    top = load**servers / math.factorial(servers) * servers / (servers - load)
    return top / (sum(terms) + top)


def as_decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def exact_erlang_a(
    servers: int, arrival_rate: Fraction, aht: Fraction, patience: Fraction, target: Fraction
) -> dict[str, float]:
    """Erlang A by partial fractions of each waiting caller's hypoexponential wait.

    Independent of the module's incomplete-beta method. Stationary probabilities
    are exact fractions, the queue truncated at 60 (tail ~1e-50 for the cases
    used); exp is taken in 60-digit decimals.
    """
    mu, theta = 1 / aht, 1 / patience
    weights = [(arrival_rate / mu) ** n / math.factorial(n) for n in range(servers + 1)]
    for j in range(1, 61):
        weights.append(weights[-1] * arrival_rate / (servers * mu + j * theta))
    total = sum(weights)
    p_below = sum(weights[:servers]) / total
    answered, asa_sum = p_below, Fraction(0)
    with localcontext() as ctx:
        ctx.prec = 60
        within = as_decimal(p_below)
        for j, weight in enumerate(weights[servers:]):
            rates = [servers * mu + i * theta for i in range(j + 1)]
            for k, r_k in enumerate(rates):
                others = (r_i / (r_i - r_k) for i, r_i in enumerate(rates) if i != k)
                share = weight / total * math.prod(others, start=Fraction(1)) * r_k / (r_k + theta)
                answered += share
                asa_sum += share / (r_k + theta)
                decay = (-as_decimal((r_k + theta) * target)).exp()
                within += as_decimal(share) * (1 - decay)
        return {
            "p_answered": float(answered),
            "asa": float(asa_sum / answered),
            "service_level": float(within),
        }


# --- the previous Erlang A: a walk of the birth–death chain, kept as a reference -------

_TAIL_TOLERANCE = 1e-17
_MAX_QUEUE_STATES = 5_000_000
_RESCALE_ABOVE = 1e250


def _log_erlang_b(servers: int, load: float) -> float:
    """log B(servers, load) for load > 0, exact even where B underflows."""
    log_load = math.log(load)
    log_b = 0.0
    for n in range(1, servers + 1):
        log_b = log_load + log_b - math.log(n + load * math.exp(log_b))
    return log_b


def _incomplete_beta(a: float, b: float, log_z: float, log_1mz: float) -> float:
    """Regularised incomplete beta I_z(a, b) by Lentz's continued fraction.

    Takes log z and log(1 − z) so that neither loses precision near 0 or 1.
    The fraction is evaluated on the side where it converges fast, in
    O(sqrt(max(a, b))) terms.
    """
    log_front = a * log_z + b * log_1mz + math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    if math.exp(log_z) < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_fraction(a, b, math.exp(log_z)) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, math.exp(log_1mz)) / b


def _beta_fraction(a: float, b: float, z: float) -> float:
    """The continued fraction of I_z(a, b) (modified Lentz), to relative 1e-15."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * z / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    fraction = d
    for m in range(1, 100_000):
        for numerator in (
            m * (b - m) * z / ((a + 2 * m - 1.0) * (a + 2 * m)),
            -(a + m) * (a + b + m) * z / ((a + 2 * m) * (a + 2 * m + 1.0)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            fraction *= c * d
        if abs(c * d - 1.0) < 1e-15:
            break
    return fraction


def erlang_a_by_states(
    servers: int, arrival_rate: float, aht: float, patience: float, target: float = 20.0
) -> ErlangAResult:
    """The previous `erlang_a`: a walk of the birth–death chain (the reference).

    The queue is truncated once its neglected tail is below 1e-17 of the sum; for
    a caller who finds j waiting, answered within t is a negative binomial sum of
    incomplete beta terms. Cost O(N + queue states).
    """
    load = arrival_rate * aht
    service_rate = servers / aht  # Nμ
    theta = 1.0 / patience
    shape = service_rate / theta + 1.0  # exp(−θV) given answered is Beta(shape, j + 1)
    # sum_{n<N} π_n / π_N = (N/A) / B(N-1, A)
    log_below = math.log(servers / load) - _log_erlang_b(servers - 1, load)

    # Queue states N + j, weights q_j = π_{N+j}/π_N · exp(-log_scale); each sum
    # below is Σ_j q_j·(the quantity for a caller who finds j waiting).
    log_scale = 0.0
    q = 1.0
    mass = queue_sum = served = abandon = asa_sum = wait_sum = within = late_head = 0.0
    inverse_rates = 0.0  # Σ_{i=1}^{j+1} 1/(Nμ + iθ)
    log_y = -theta * target
    timed = log_y < 0.0  # a target too small to matter counts as zero
    log_1my = math.log(-math.expm1(log_y)) if timed else 0.0
    log_term = shape * log_y  # log of T_j, the negative binomial pmf, at j = 0
    incomplete = 0.0  # I_y(shape, j + 1) = Σ_{b<=j} T_b = P(V' > target)
    j = 0
    while True:
        rate = service_rate + (j + 1) * theta
        answered = q * service_rate / rate
        inverse_rates += 1.0 / rate
        term = math.exp(log_term) if timed and log_term > -745.0 else 0.0
        incomplete += term
        mass += q
        queue_sum += j * q
        served += answered
        abandon += q * ((j + 1) * theta / rate)
        asa_sum += answered * inverse_rates
        wait_sum += q * ((j + 1) / rate)
        if timed and incomplete <= 0.5:
            within += answered * (1.0 - incomplete)
        elif timed:
            # 1 − I is small here: add the upper tail Σ_{b>j} T_b term by term as
            # later j arrive, the part beyond the last j after the loop.
            within += term * late_head
            late_head += answered

        j += 1
        if j > _MAX_QUEUE_STATES:
            raise ValueError(f"the queue does not settle within {_MAX_QUEUE_STATES} states")
        log_term += log_1my + math.log((shape - 1.0 + j) / j)
        q *= arrival_rate / (service_rate + j * theta)
        # Ratios of later weights only shrink, so the tail Σ_{k>=j}(k+1)q_k is
        # bounded by a geometric series with this ratio.
        ratio = arrival_rate / (service_rate + (j + 1) * theta)
        if ratio < 1.0:
            tail = q * ((j + 1) / (1.0 - ratio) + ratio / (1.0 - ratio) ** 2)
            if tail <= _TAIL_TOLERANCE * (mass + queue_sum):
                break
        if q > _RESCALE_ABOVE:
            q /= _RESCALE_ABOVE
            mass /= _RESCALE_ABOVE
            queue_sum /= _RESCALE_ABOVE
            served /= _RESCALE_ABOVE
            abandon /= _RESCALE_ABOVE
            asa_sum /= _RESCALE_ABOVE
            wait_sum /= _RESCALE_ABOVE
            within /= _RESCALE_ABOVE
            late_head /= _RESCALE_ABOVE
            log_scale += math.log(_RESCALE_ABOVE)
    if late_head > 0.0:
        within += late_head * _incomplete_beta(float(j), shape, log_1my, log_y)

    log_queue = math.log(mass) + log_scale
    top = max(log_below, log_queue)
    log_total = top + math.log(math.exp(log_below - top) + math.exp(log_queue - top))
    p_below = math.exp(log_below - log_total)
    scale = math.exp(log_scale - log_total)  # turns queue sums into probabilities
    p_answered = min(p_below + scale * served, 1.0)  # rounding can pass 1
    service = p_below + scale * within
    return ErlangAResult(
        servers=servers,
        arrival_rate=arrival_rate,
        aht=aht,
        patience=patience,
        target=target,
        p_wait=scale * mass,
        p_abandon=scale * abandon,
        p_answered=p_answered,
        asa=scale * asa_sum / p_answered,
        mean_wait=scale * wait_sum,
        mean_queue=scale * queue_sum,
        occupancy=min(load * p_answered / servers, 1.0),
        service_level=min(service, p_answered),
        service_level_answered=min(service / p_answered, 1.0),
    )


# --- Erlang B ------------------------------------------------------------------------


def test_erlang_b_matches_published_table_value() -> None:
    assert erlang_b(servers=10, load=5.0) == pytest.approx(0.018385, abs=5e-7)


@pytest.mark.parametrize(("servers", "load"), [(1, 1), (5, 3), (10, 5), (20, 25), (50, 40)])
def test_erlang_b_matches_exact_fractions(servers: int, load: int) -> None:
    exact = float(exact_erlang_b(servers, load))
    assert erlang_b(servers=servers, load=float(load)) == pytest.approx(exact, rel=1e-13)


@pytest.mark.parametrize(("servers", "load"), [(10_000, 10_000), (10_000, 9_000), (2_000, 3_000)])
def test_erlang_b_is_exact_for_ten_thousand_agents(servers: int, load: int) -> None:
    exact = float(exact_erlang_b(servers, load))
    assert erlang_b(servers=servers, load=float(load)) == pytest.approx(exact, rel=1e-11)


def test_erlang_b_edges() -> None:
    assert erlang_b(servers=0, load=3.0) == 1.0
    assert erlang_b(servers=4, load=0.0) == 0.0
    assert 0.0 <= erlang_b(servers=10_000, load=1.0) < 1e-300  # underflows, no error


@settings(max_examples=60, deadline=None)
@given(servers=st.integers(0, 300), load=st.floats(0.01, 400.0))
def test_blocking_falls_with_agents_and_rises_with_load(servers: int, load: float) -> None:
    blocking = erlang_b(servers=servers, load=load)
    assert 0.0 <= blocking <= 1.0
    assert erlang_b(servers=servers + 1, load=load) <= blocking
    assert erlang_b(servers=servers, load=load * 1.1) >= blocking


# --- Erlang C and its service level ----------------------------------------------------


@pytest.mark.parametrize(("servers", "load"), [(1, "0.5"), (10, "8"), (12, "10.5"), (30, "27.25")])
def test_erlang_c_matches_factorial_formula(servers: int, load: str) -> None:
    exact = float(exact_erlang_c(servers, Fraction(load)))
    assert erlang_c(servers=servers, load=float(load)) == pytest.approx(exact, rel=1e-13)


def test_erlang_c_worked_example() -> None:
    # 10 agents, 8 Erlangs, 180 s calls: C = 0.40918, SL(20 s) = 1 − C·e^(−2/9), ASA = 90·C/2.
    waiting = erlang_c(servers=10, load=8.0)
    assert waiting == pytest.approx(0.4091801507964, rel=1e-12)
    assert service_level(servers=10, load=8.0, aht=180.0, target=20.0) == pytest.approx(
        1 - waiting * math.exp(-2 / 9), rel=1e-14
    )
    assert average_speed_of_answer(servers=10, load=8.0, aht=180.0) == pytest.approx(
        waiting * 90.0, rel=1e-14
    )
    assert occupancy(servers=10, load=8.0) == pytest.approx(0.8)


def test_overloaded_erlang_c() -> None:
    assert erlang_c(servers=10, load=10.0) == 1.0
    assert service_level(servers=10, load=12.0, aht=60.0, target=20.0) == 0.0
    assert average_speed_of_answer(servers=10, load=10.0, aht=60.0) == math.inf
    assert occupancy(servers=10, load=12.0) == 1.0


def test_large_erlang_c_is_finite_probability() -> None:
    waiting = erlang_c(servers=2000, load=1950.0)
    exact_b = exact_erlang_b(2000, 1950)
    exact = exact_b * 2000 / (2000 - 1950 * (1 - exact_b))
    assert waiting == pytest.approx(float(exact), rel=1e-11)
    assert 0.0 <= service_level(servers=2000, load=1950.0, aht=180.0, target=20.0) <= 1.0


@settings(max_examples=60, deadline=None)
@given(load=st.floats(0.1, 300.0), extra=st.integers(1, 40), target=st.floats(0.0, 120.0))
def test_service_level_rises_with_agents(load: float, extra: int, target: float) -> None:
    servers = math.floor(load) + extra
    level = service_level(servers=servers, load=load, aht=120.0, target=target)
    assert 0.0 <= level <= 1.0
    assert service_level(servers=servers + 1, load=load, aht=120.0, target=target) >= level
    asa = average_speed_of_answer(servers=servers, load=load, aht=120.0)
    assert average_speed_of_answer(servers=servers + 1, load=load, aht=120.0) <= asa


# --- staffing --------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(load=st.floats(0.0, 500.0), level=st.floats(0.05, 0.99), target=st.floats(1.0, 60.0))
def test_agents_for_service_level_is_the_smallest_that_meets_it(
    load: float, level: float, target: float
) -> None:
    agents = agents_for_service_level(load=load, aht=180.0, target=target, level=level)
    assert service_level(servers=agents, load=load, aht=180.0, target=target) >= level
    assert service_level(servers=agents - 1, load=load, aht=180.0, target=target) < level


@settings(max_examples=40, deadline=None)
@given(load=st.floats(0.0, 500.0), asa=st.floats(0.5, 120.0))
def test_agents_for_asa_is_the_smallest_that_meets_it(load: float, asa: float) -> None:
    agents = agents_for_asa(load=load, aht=180.0, asa=asa)
    assert average_speed_of_answer(servers=agents, load=load, aht=180.0) <= asa
    assert average_speed_of_answer(servers=agents - 1, load=load, aht=180.0) > asa


def test_staffing_a_large_centre_is_fast() -> None:
    started = time.perf_counter()
    agents = agents_for_service_level(load=9_500.0, aht=180.0, target=20.0, level=0.8)
    assert time.perf_counter() - started < 0.5
    assert 9_500 < agents < 9_700


# --- Erlang A --------------------------------------------------------------------------

# Computed with mpmath at 25–60 digits: partial fractions (small N) or uniformisation of
# the tagged caller's chain (large N), both independent of the module's method.
MPMATH_SERVICE_LEVELS = [
    ((20, 0.2, 90.0, 60.0, 20.0), 0.90125661063575982),
    ((1000, 1000 / 80 * 1.05, 80.0, 120.0, 20.0), 0.95202511000409992),
    ((100, 100 / 60 * 1.3, 60.0, 90.0, 45.0), 0.76757486604561783),
    ((200, 200 / 300, 300.0, 30.0, 5.0), 0.86579602715016859),
    ((30, 1.0, 60.0, 20.0, 10.0), 0.16683685719289008),
    ((50, 50 / 30 * 1.5, 30.0, 600.0, 120.0), 6.5985937406704001e-12),
]


@pytest.mark.parametrize(("args", "expected"), MPMATH_SERVICE_LEVELS)
def test_erlang_a_service_level_matches_high_precision(
    args: tuple[int, float, float, float, float], expected: float
) -> None:
    assert erlang_a(*args).service_level == pytest.approx(expected, rel=1e-12)


def test_erlang_a_matches_exact_partial_fractions() -> None:
    reference = exact_erlang_a(3, Fraction(2), Fraction(1), Fraction(2), Fraction(1, 2))
    result = erlang_a(servers=3, arrival_rate=2.0, aht=1.0, patience=2.0, target=0.5)
    for name, value in reference.items():
        assert getattr(result, name) == pytest.approx(value, rel=1e-13), name
    assert result.p_abandon == pytest.approx(1 - reference["p_answered"], rel=1e-13)


def test_erlang_a_with_patience_equal_to_talk_time_is_poisson() -> None:
    # θ = μ makes the number in system Poisson(A) (it behaves as M/M/∞).
    load, servers = 8.0, 10
    result = erlang_a(servers=servers, arrival_rate=load / 60.0, aht=60.0, patience=60.0)
    pmf = [math.exp(-load) * load**n / math.factorial(n) for n in range(100)]
    assert result.p_wait == pytest.approx(1 - sum(pmf[:servers]), rel=1e-12)
    mean_queue = sum((n - servers) * p for n, p in enumerate(pmf) if n > servers)
    assert result.mean_queue == pytest.approx(mean_queue, rel=1e-12)


@pytest.mark.parametrize(("servers", "load"), [(10, 8.0), (50, 47.5), (300, 280.0)])
def test_erlang_a_tends_to_erlang_c_as_patience_grows(servers: int, load: float) -> None:
    result = erlang_a(servers=servers, arrival_rate=load / 180.0, aht=180.0, patience=1e9)
    assert result.p_wait == pytest.approx(erlang_c(servers=servers, load=load), rel=1e-5)
    assert result.asa == pytest.approx(
        average_speed_of_answer(servers=servers, load=load, aht=180.0), rel=1e-5
    )
    assert result.service_level == pytest.approx(
        service_level(servers=servers, load=load, aht=180.0, target=20.0), rel=1e-5
    )
    assert result.p_abandon < 1e-5


def test_erlang_a_for_two_thousand_agents_overloaded_or_not() -> None:
    for rate in (1950 / 180, 2000 / 180, 2400 / 180):
        result = erlang_a(servers=2000, arrival_rate=rate, aht=180.0, patience=120.0)
        for value in (result.p_wait, result.p_abandon, result.service_level, result.occupancy):
            assert 0.0 <= value <= 1.0
        assert math.isfinite(result.asa)
        assert math.isfinite(result.mean_wait)


def test_erlang_a_for_a_thousand_agents_takes_milliseconds() -> None:
    best = math.inf
    for _ in range(3):
        started = time.perf_counter()
        erlang_a(servers=1000, arrival_rate=1000 / 80 * 1.05, aht=80.0, patience=120.0)
        best = min(best, time.perf_counter() - started)
    assert best < 0.05


@settings(max_examples=60, deadline=None)
@given(
    servers=st.integers(1, 200),
    utilisation=st.floats(0.1, 2.5),
    aht=st.floats(10.0, 600.0),
    patience=st.floats(5.0, 2000.0),
    target=st.floats(0.0, 120.0),
)
def test_erlang_a_invariants(
    servers: int, utilisation: float, aht: float, patience: float, target: float
) -> None:
    rate = servers * utilisation / aht
    result = erlang_a(servers=servers, arrival_rate=rate, aht=aht, patience=patience, target=target)
    assert result.p_answered + result.p_abandon == pytest.approx(1.0, abs=1e-12)
    # Flow balance: abandonments per second = θ·E[queue]; Little: E[wait] = E[queue]/λ.
    assert result.p_abandon == pytest.approx(result.mean_queue / patience / rate, rel=1e-9)
    assert result.mean_wait == pytest.approx(result.mean_queue / rate, rel=1e-9)
    assert result.occupancy == pytest.approx(rate * result.p_answered * aht / servers, rel=1e-12)
    assert 0.0 <= result.service_level <= result.p_answered
    assert result.service_level == pytest.approx(
        result.service_level_answered * result.p_answered, rel=1e-12
    )
    more = erlang_a(
        servers=servers + 1, arrival_rate=rate, aht=aht, patience=patience, target=target
    )
    assert more.p_abandon <= result.p_abandon * (1 + 1e-12)
    assert more.service_level >= result.service_level * (1 - 1e-12)
    later = erlang_a(
        servers=servers, arrival_rate=rate, aht=aht, patience=patience, target=target + 5
    )
    assert later.service_level >= result.service_level * (1 - 1e-12)


def test_target_zero_counts_only_calls_answered_at_once() -> None:
    result = erlang_a(servers=10, arrival_rate=9 / 60, aht=60.0, patience=60.0, target=0.0)
    assert result.service_level == pytest.approx(1 - result.p_wait, rel=1e-14)


# --- validation ------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf])
def test_bad_numbers_are_rejected_by_name(bad: float) -> None:
    with pytest.raises(ValueError, match="load"):
        erlang_b(servers=3, load=bad)
    with pytest.raises(ValueError, match="aht"):
        service_level(servers=3, load=1.0, aht=bad, target=20.0)
    with pytest.raises(ValueError, match="target"):
        service_level(servers=3, load=1.0, aht=60.0, target=bad)
    with pytest.raises(ValueError, match="patience"):
        erlang_a(servers=3, arrival_rate=1.0, aht=60.0, patience=bad)
    with pytest.raises(ValueError, match="arrival_rate"):
        erlang_a(servers=3, arrival_rate=bad, aht=60.0, patience=60.0)
    with pytest.raises(ValueError, match="asa"):
        agents_for_asa(load=1.0, aht=60.0, asa=bad)


def test_bad_counts_and_levels_are_rejected_by_name() -> None:
    with pytest.raises(ValueError, match="servers"):
        erlang_b(servers=-1, load=1.0)
    with pytest.raises(ValueError, match="servers"):
        erlang_a(servers=0, arrival_rate=1.0, aht=60.0, patience=60.0)
    with pytest.raises(ValueError, match="level"):
        agents_for_service_level(load=1.0, aht=60.0, target=20.0, level=1.0)


# --- Erlang A: the closed form against the state walk, theory and limits ------------------

STATE_WALK_GRID = [
    (servers, utilisation, aht, patience, target)
    for servers in (1, 2, 10, 50, 300)
    for utilisation in (0.05, 0.7, 1.0, 1.3, 3.0)
    for aht in (30.0, 600.0)
    for patience in (1.0, 20.0, 600.0, 1e5)
    for target in (0.0, 20.0)
]
COMPARED = (
    "p_wait",
    "p_abandon",
    "p_answered",
    "asa",
    "mean_wait",
    "mean_queue",
    "occupancy",
    "service_level",
    "service_level_answered",
)


def test_closed_form_matches_the_state_walk_on_a_grid() -> None:
    # N = 1 and up, patience from 1 s (a = Nμ/θ ≪ 1) to 1e5 s, load below, at and above N.
    worst = 0.0
    for servers, utilisation, aht, patience, target in STATE_WALK_GRID:
        rate = servers * utilisation / aht
        walked = erlang_a_by_states(servers, rate, aht, patience, target)
        closed = erlang_a(servers, rate, aht, patience, target)
        for name in COMPARED:
            expected, got = getattr(walked, name), getattr(closed, name)
            if expected < 1e-290:  # the walk's underflowed tail; both are ~0
                assert got < 1e-280, (name, servers, utilisation, aht, patience, target)
                continue
            worst = max(worst, abs(got - expected) / expected)
    assert worst < 1e-9


def test_waiting_probability_matches_scipy_incomplete_gamma() -> None:
    # P(wait) = S/(L+S): L = e^A·A^-N·N!·Q(N, A), S = e^b·b^-a·Γ(a+1)·P(a, b).
    special = pytest.importorskip("scipy.special")
    for servers, load, aht, patience in [(5, 4.0, 60.0, 90.0), (40, 44.0, 200.0, 50.0)]:
        a, b = servers * patience / aht, load / aht * patience
        log_below = load - servers * math.log(load) + math.lgamma(servers + 1)
        log_below += math.log(special.gammaincc(servers, load))
        log_queue = b - a * math.log(b) + math.lgamma(a + 1) + math.log(special.gammainc(a, b))
        expected = 1.0 / (1.0 + math.exp(log_below - log_queue))
        result = erlang_a(servers, load / aht, aht, patience)
        assert result.p_wait == pytest.approx(expected, rel=1e-11)


def test_twenty_thousand_agents_with_long_patience_needs_no_cap() -> None:
    # The state walk refused this (over 5 M queue states); the closed form is Erlang C's
    # limit within the abandonment that patience of 1e6 s still allows.
    servers, load, aht = 20_000, 19_900.0, 180.0
    result = erlang_a(servers, load / aht, aht, patience=1e6)
    assert result.p_wait == pytest.approx(erlang_c(servers, load), rel=1e-3)
    assert result.service_level == pytest.approx(service_level(servers, load, aht, 20.0), rel=1e-3)
    overloaded = erlang_a(servers, 2 * servers / aht, aht, patience=1e6)
    assert overloaded.p_answered == pytest.approx(0.5, rel=1e-6)  # carried load -> N
    assert overloaded.p_wait == pytest.approx(1.0)


def test_no_nan_and_sane_figures_for_any_valid_input() -> None:
    for servers in (1, 3, 40, 700, 20_000):
        for utilisation in (0.01, 0.5, 0.99, 1.0, 1.5, 5.0):
            for patience in (1.0, 30.0, 900.0, 1e6):
                rate = servers * utilisation / 240.0
                result = erlang_a(servers, rate, 240.0, patience, 20.0)
                more = erlang_a(servers + 1, rate, 240.0, patience, 20.0)
                for name in result.__slots__:
                    assert math.isfinite(getattr(result, name)), name
                for p in (result.p_wait, result.p_abandon, result.p_answered, result.occupancy):
                    assert 0.0 <= p <= 1.0
                assert 0.0 <= result.service_level <= result.p_answered
                assert result.p_answered + result.p_abandon == pytest.approx(1.0, abs=1e-12)
                assert more.service_level >= result.service_level * (1 - 1e-9)
                assert more.p_abandon <= result.p_abandon * (1 + 1e-9) + 1e-300


def test_twenty_thousand_agents_take_under_a_millisecond() -> None:
    worst = 0.0
    for patience in (10.0, 3600.0):
        for utilisation in (0.8, 1.0, 1.3):
            args = (20_000, 20_000 * utilisation / 300.0, 300.0, patience)
            best = math.inf
            for _ in range(5):
                started = time.perf_counter()
                erlang_a(*args)
                best = min(best, time.perf_counter() - started)
            worst = max(worst, best)
    assert worst < 1e-3


# --- Erlang A as the reports count it ------------------------------------------------------


def exact_short_abandon(
    servers: int, arrival_rate: Fraction, aht: Fraction, patience: Fraction, within: Fraction
) -> float:
    """Fraction of arrivals who hang up within `within` s, by partial fractions.

    A caller who finds j waiting has offered wait V = Σ Exp(Nμ + iθ), i = 0..j, with
    P(V > t) = Σ_k c_k·e^(−r_k·t); he hangs up at rate θ while still waiting, so
    P(hang up by s) = Σ_k c_k·θ·(1 − e^(−(r_k+θ)s))/(r_k + θ).
    """
    mu, theta = 1 / aht, 1 / patience
    weights = [(arrival_rate / mu) ** n / math.factorial(n) for n in range(servers + 1)]
    for j in range(1, 61):
        weights.append(weights[-1] * arrival_rate / (servers * mu + j * theta))
    total = sum(weights)
    with localcontext() as ctx:
        ctx.prec = 60
        short = Decimal(0)
        for j, weight in enumerate(weights[servers:]):
            rates = [servers * mu + i * theta for i in range(j + 1)]
            for k, r_k in enumerate(rates):
                c_k = math.prod(
                    (r_i / (r_i - r_k) for i, r_i in enumerate(rates) if i != k), start=Fraction(1)
                )
                decay = (-as_decimal((r_k + theta) * within)).exp()
                short += as_decimal(weight / total * c_k * theta / (r_k + theta)) * (1 - decay)
        return float(short)


def test_short_abandons_match_partial_fractions() -> None:
    args = (3, Fraction(5, 2), Fraction(1), Fraction(3, 2))
    report = erlang_a_reported(3, 2.5, 1.0, 1.5, target=0.5, short_abandon=0.75)
    expected = exact_short_abandon(*args, Fraction(3, 4))
    assert report.p_short_abandon == pytest.approx(expected, rel=1e-12)
    counted = 1 - expected
    assert report.service_level == pytest.approx(report.model.service_level / counted, rel=1e-12)
    assert report.abandon_rate == pytest.approx(
        (report.model.p_abandon - expected) / counted, rel=1e-12
    )


def test_short_abandon_limits() -> None:
    none = erlang_a_reported(20, 0.15, 120.0, 60.0, short_abandon=0.0)
    assert none.p_short_abandon == 0.0
    assert none.service_level == none.model.service_level
    assert none.abandon_rate == pytest.approx(none.model.p_abandon, rel=1e-12)
    every = erlang_a_reported(20, 0.15, 120.0, 60.0, short_abandon=1e7)
    assert every.p_short_abandon == pytest.approx(every.model.p_abandon, rel=1e-12)
    assert every.abandon_rate == pytest.approx(0.0, abs=1e-15)
    with pytest.raises(ValueError, match="short_abandon"):
        erlang_a_reported(20, 0.15, 120.0, 60.0, short_abandon=-1.0)
