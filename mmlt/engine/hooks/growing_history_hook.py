"""The message hub's scalar histories in growing buffers.

mmengine's message hub creates a ``HistoryBuffer`` for each scalar the
first time it is logged, and each update of one copies its whole history
(:mod:`mmlt.engine.growing_history`). This hook replaces each buffer by a
:class:`~mmlt.engine.growing_history.GrowingHistoryBuffer` with the same
history as soon as it appears: after the iteration that logged it first,
or for the buffers a resumed checkpoint restored, after the first
iteration. From then on an update appends without copying. Checkpoints
keep mmengine's plain buffers.
"""

from mmengine.hooks import Hook
from mmengine.logging import HistoryBuffer
from mmpretrain.registry import HOOKS

from ..growing_history import GrowingHistoryBuffer


@HOOKS.register_module()
class GrowingHistoryHook(Hook):
    """Keeps the message hub's scalar histories in
    :class:`~mmlt.engine.growing_history.GrowingHistoryBuffer`\\ s, whose
    updates append in amortised O(1) instead of copying the history.

    It takes no arguments; ``default_hooks.growing_history=None`` leaves
    mmengine's buffers.
    """

    # after every hook that logs a scalar in the same iteration
    priority = 'LOWEST'

    def __init__(self) -> None:
        # how many buffers the hub held at the last replacement: within a
        # run a new key is the only way a plain buffer appears
        self.seen = 0

    def _after_iter(
        self, runner, batch_idx, data_batch=None, outputs=None, mode='train'
    ) -> None:
        # mmengine's Hook calls this after every train, val and test
        # iteration
        if len(runner.message_hub.log_scalars) != self.seen:
            self.replace_plain_buffers(runner)

    def replace_plain_buffers(self, runner) -> None:
        scalars = runner.message_hub.log_scalars
        for key, buffer in scalars.items():
            if type(buffer) is HistoryBuffer:
                scalars[key] = GrowingHistoryBuffer.from_buffer(buffer)
        self.seen = len(scalars)
