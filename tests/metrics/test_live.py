"""The live wallboard (`hotline.live.board.Board`, folded event by event as they are
published) and the historical figures (SQL over the stored log, `live_figures`) give the
same numbers for the same period, at several moments of a simulated weekday."""

from __future__ import annotations

from hotline.live.board import Board
from hotline.sim.run import Simulation, load_scenario
from hotline.store.analytics import live_figures
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
    short = hotline.model.wallboard.short_abandon
    try:
        for hours in MOMENTS:
            now = sim.start + hours * 3600
            sim.clock.run(until=now)
            writer.flush(timeout=30)
            snap = board.snapshot(now)
            options = {"sl_threshold": 20.0, "short_abandon": short}
            halves = live_figures(db, now, hotline.timezone, by="interval", **options)
            queues = live_figures(db, now, hotline.timezone, by="queue", **options)
            total, board_totals = halves.total.values, snap["totals"]
            assert board_totals["offered"] > 100
            assert total["offered"] == board_totals["offered"]
            assert total["answered"] == board_totals["answered"]
            assert total["abandoned"] == board_totals["abandoned"]
            assert total["service_level"] == board_totals["service_level"]["value"]
            rows = {r.key[-5:]: r.values for r in halves.rows}
            for slot in snap["intervals"]:
                row = rows[slot["start"]]
                assert (row["offered"], row["answered"], row["abandoned"]) == (
                    slot["offered"], slot["answered"], slot["abandoned"],
                ), slot  # fmt: skip
            by_queue = {r.key: r.values for r in queues.rows}
            for queue in snap["queues"]:
                if not queue["offered"]:
                    continue
                row = by_queue[queue["name"]]
                assert row["answered"] == queue["answered"], queue["name"]
                assert row["abandoned"] == queue["abandoned"], queue["name"]
                assert row["service_level"] == queue["service_level"]["value"], queue["name"]
    finally:
        writer.close()
        db.close()
