"""Asterisk's queue_log read into Hotline's event log (`hotline import queue-log`).

`read_file` gives the records, `convert` the events (pure), `import_queue_log`
writes them to a database in one transaction. The mapping is in docs/metrics.md
("Asterisk queue_log import").
"""

from hotline.interop.queue_log.convert import Conversion, convert
from hotline.interop.queue_log.lines import Line, Problem, parse_lines, read_file
from hotline.interop.queue_log.load import already_imported, import_queue_log, write
from hotline.interop.queue_log.report import ImportReport
from hotline.interop.queue_log.settings import KeyExit, Settings

__all__ = [
    "Conversion",
    "ImportReport",
    "KeyExit",
    "Line",
    "Problem",
    "Settings",
    "already_imported",
    "convert",
    "import_queue_log",
    "parse_lines",
    "read_file",
    "write",
]
