"""The live wallboard (`hotline.live.board.Board`) counts from the stored log with the
reports' own SQL and formulas: at several moments of a simulated weekday, what the board
shows for today equals the historical figures of the same period (`figures` over the
same database), and the board's rolling window equals the figures of its window."""

from __future__ import annotations

import dataclasses
import datetime

from hotline.core.customer import Tier
from hotline.live.board import Board
from hotline.metrics.query import Query
from hotline.sim.run import Simulation, load_scenario
from hotline.store.analytics import figures, live_figures
from hotline.store.db import Database, EventLog
from tests.metrics.simday import WEEKDAY

MOMENTS = (9.512_3, 14.251_7, 23.987_1)  # hours after midnight (no event falls exactly there)


def test_the_wallboard_and_the_history_agree_through_the_day(tmp_path):
    scenario, hotline = load_scenario(WEEKDAY)
    sim = Simulation(scenario, hotline)
    board = Board(hotline, lambda: sim.acd)
    board.attach(sim.bus)
    db = Database.open(f"sqlite:///{tmp_path / 'live.db'}")
    writer = EventLog(db).writer()
    sim.subscribe(writer.append)
    settings = hotline.model.wallboard
    short, tz = settings.short_abandon, hotline.timezone
    targets = {q.name: q.service_level_target for q in hotline.queues}
    try:
        for hours in MOMENTS:
            now = sim.start + hours * 3600
            sim.clock.run(until=now)
            writer.flush(timeout=30)
            assert board.stale(now)
            board.refresh(db, now)
            assert not board.stale(now)
            snap = dataclasses.asdict(board.snapshot(now))
            assert snap["figures_at"] == datetime.datetime.fromtimestamp(now, tz).strftime(
                "%H:%M:%S"
            )
            options = {"sl_threshold": 20.0, "short_abandon": short}
            halves = live_figures(db, now, tz, by="interval", **options)
            total, board_totals = halves.total.values, snap["totals"]
            assert board_totals["offered"] > 100
            assert total["offered"] == board_totals["offered"]
            assert total["answered"] == board_totals["answered"]
            assert total["abandoned"] == board_totals["abandoned"]
            assert total["service_level"] == board_totals["service_level"]["value"]
            rows = {r.key[-5:]: r.values for r in halves.rows}
            assert len(snap["intervals"]) == sum(1 for r in rows.values() if r["offered"])
            for slot in snap["intervals"]:
                row = rows[slot["start"]]
                assert (row["offered"], row["answered"], row["abandoned"]) == (
                    slot["offered"], slot["answered"], slot["abandoned"],
                ), slot  # fmt: skip
            tiers = {r.key: r.values for r in live_figures(db, now, tz, by="tier", **options).rows}
            for tier in Tier:
                shown = board_totals["service_level"]["by_tier"][tier.value]["value"]
                assert shown == tiers.get(tier.value, {}).get("service_level"), tier
            for queue in snap["queues"]:
                options = {"sl_threshold": targets[queue["name"]], "short_abandon": short}
                table = live_figures(db, now, tz, by="queue", **options)
                by_queue = {r.key: r.values for r in table.rows}
                row = by_queue.get(queue["name"])
                if row is None:
                    assert queue["offered"] == queue["answered"] == queue["abandoned"] == 0
                    continue
                assert row["offered"] == queue["offered"], queue["name"]
                assert row["answered"] == queue["answered"], queue["name"]
                assert row["abandoned"] == queue["abandoned"], queue["name"]
                assert row["service_level"] == queue["service_level"]["value"], queue["name"]
            # the rolling window: the figures of its own period
            end = datetime.datetime.fromtimestamp(now, tz)
            begin = end - datetime.timedelta(seconds=settings.window)
            window = figures(
                db, Query(begin, end, by="total", sl_threshold=20.0, short_abandon=short)
            )
            shown = board_totals["window"]
            assert shown["offered"] == window.total.values["offered"]
            assert shown["answered"] == window.total.values["answered"]
            assert shown["service_level"] == window.total.values["service_level"]
            assert shown["offered"] < board_totals["offered"]
        # events after the mark a count began with leave the board stale for the next count
        mark, now = board.changes, sim.clock.now()
        sim.clock.run(until=now + 600)
        assert board.changes > mark
        board.refresh(db, now, mark)
        assert board.stale(now)
    finally:
        writer.close()
        db.close()
