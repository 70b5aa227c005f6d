"""The hotline running live: the engine on a wall-time clock, for the API and the console."""

from hotline.live.board import Board
from hotline.live.build import DemoSettings
from hotline.live.driver import LiveDriver
from hotline.live.engine import AnswerOnPhoneError, Engine
from hotline.live.feed import LiveFeed
from hotline.live.recordings import Recording, Recordings
from hotline.live.runtime import LiveHotline, NoCallError, NotASeatError

__all__ = [
    "AnswerOnPhoneError",
    "Board",
    "DemoSettings",
    "Engine",
    "LiveDriver",
    "LiveFeed",
    "LiveHotline",
    "NoCallError",
    "NotASeatError",
    "Recording",
    "Recordings",
]
