"""Drops known mmengine notices that say nothing about the run from its log.

mmengine's ``CheckpointHook`` builds a ``FileClient`` at the start of every
training, and ``FileClient`` logs two deprecation warnings of mmengine's
own API; nothing in a config can avoid them. A ``logging.Filter`` on the
Runner's logger drops exactly those messages; everything else, warnings
included, is logged as before.
"""

import logging
from typing import Optional, Sequence

from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from ...quiet import KNOWN_LOG_MESSAGES


class MessageStartFilter(logging.Filter):
    """Drops records whose message starts with one of ``starts``."""

    def __init__(self, starts: Sequence[str]) -> None:
        super().__init__()
        self.starts = tuple(starts)

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.starts)


@HOOKS.register_module()
class LogFilterHook(Hook):
    """Drops log messages that start with one of ``messages``.

    Args:
        messages (Sequence[str], optional): Starts of the messages to drop;
            defaults to mmengine's ``FileClient`` and ``HardDiskBackend``
            deprecation notices (``mmlt.quiet.KNOWN_LOG_MESSAGES``).
    """

    priority = 'VERY_HIGH'

    def __init__(self, messages: Optional[Sequence[str]] = None) -> None:
        self.filter = MessageStartFilter(
            KNOWN_LOG_MESSAGES if messages is None else messages
        )

    def before_run(self, runner) -> None:
        runner.logger.addFilter(self.filter)

    def after_run(self, runner) -> None:
        runner.logger.removeFilter(self.filter)
