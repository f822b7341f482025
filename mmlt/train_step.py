"""Which training step it is, for the losses that change with it.

Some losses are not a function of the logits and labels alone: a loss that
is plain cross-entropy until an epoch (deferred CDT, the influence-balanced
loss) must know the epoch, and a loss that draws a random mask per step
(softmax equalization) must draw the same mask for the same step whether
or not the run was resumed. ``TrainStepHook`` tells every such module the
run's seed, the epoch and the iteration before each training step; the
module derives its state from those three numbers alone, which is what
makes ``--resume`` exact (``docs/architecture.md``, epoch switches).
"""

from typing import List, Protocol, runtime_checkable

import numpy as np
import torch

from mmlt.utils import unwrap_model


@runtime_checkable
class TrainStepConsumer(Protocol):
    """A module whose behaviour depends on the training step."""

    def set_train_step(
        self, seed: int, epoch: int, iteration: int
    ) -> None: ...


def train_step_consumers(model: torch.nn.Module) -> List[torch.nn.Module]:
    """The modules of ``model`` (unwrapped) that take the training step."""
    return [
        m
        for m in unwrap_model(model).modules()
        if isinstance(m, TrainStepConsumer)
    ]


def step_seed(seed: int, epoch: int, iteration: int) -> int:
    """A 63-bit seed for one step of a run seeded ``seed``."""
    state = np.random.SeedSequence([seed, epoch, iteration]).generate_state(
        2, dtype=np.uint32
    )
    return int(state[0]) << 31 ^ int(state[1])


class TrainStepState:
    """The step a loss was last told, and a check that it was told one.

    Args:
        owner (str): The loss's name, for the error.
    """

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.seed = self.epoch = self.iteration = None

    def set(self, seed: int, epoch: int, iteration: int) -> None:
        for name, value in (
            ('seed', seed),
            ('epoch', epoch),
            ('iteration', iteration),
        ):
            if not isinstance(value, (int, np.integer)) or value < 0:
                raise ValueError(
                    f'{self.owner}: {name} must be an int >= 0, got {value!r}'
                )
        self.seed, self.epoch, self.iteration = seed, epoch, iteration

    def require(self, why: str) -> None:
        """Raises unless a step was set; ``why`` says what needs it."""
        if self.epoch is None:
            raise RuntimeError(
                f'{self.owner} {why}, and has not been told the training '
                "step: train from mmlt's default runtime "
                '(configs/_base_/default_runtime.py), whose TrainStepHook '
                'tells it, or call set_train_step(seed, epoch, iteration) '
                'before each step'
            )
