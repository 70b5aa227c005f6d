"""The hotline running live: the engine on a wall-time clock, for the API and the console."""

from hotline.live.board import Board
from hotline.live.driver import LiveDriver
from hotline.live.runtime import DemoSettings, LiveFeed, LiveHotline, NoCallError, NotASeatError

__all__ = [
    "Board",
    "DemoSettings",
    "LiveDriver",
    "LiveFeed",
    "LiveHotline",
    "NoCallError",
    "NotASeatError",
]
