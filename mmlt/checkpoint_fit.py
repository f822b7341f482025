"""Refuses a checkpoint whose weights do not fit the model they load into.

mmengine's Runner loads with ``strict=False``: a checkpoint whose head has
another class count, or that lacks or adds weights, only earns a "size
mismatch" warning, and the run trains or tests on with those weights left
at their initialisation (``mim test`` once scored an untrained head, exit
0). mmlt's Runner and tools check the fit before copying any weight, and
refuse a checkpoint that does not fit with one error naming each
parameter and both shapes.

A run whose model is meant to differ from the checkpoint (a stage 2 that
adds per-class scales, say) opts in with the top-level config key
``load_partial``: a list of parameter-name prefixes under which weights
may be missing from the checkpoint, extra in it or of another shape. Those
are not loaded (the model keeps its own values) and each one is listed in
the log at WARNING level; everything outside the prefixes must still fit.
"""

import logging
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import (
    Any,
    Callable,
    Dict,
    List,
    Optional,
    Sequence,
    Tuple,
    Union,
)

import torch.nn as nn
from mmengine.logging import print_log
from mmengine.model import BaseTTAModel, is_model_wrapper
from mmengine.runner.checkpoint import (
    _load_checkpoint,
    _load_checkpoint_to_model,
)

#: the default of mmengine's ``load_checkpoint``: a DDP model's prefix
REVISE_KEYS = [(r'^module\.', '')]
#: offending parameters an error lists before it counts the rest
MAX_LISTED = 10

#: a tensor's shape; None for a value that is no tensor
Shape = Optional[Tuple[int, ...]]


class CheckpointMismatchError(RuntimeError):
    """A checkpoint's weights do not fit the model it is loaded into."""


def partial_prefixes(load_partial: Any) -> Tuple[str, ...]:
    """The prefixes of a ``load_partial`` config value (None: none).

    Args:
        load_partial: None, or a list or tuple of non-empty strings.

    Raises:
        ValueError: naming ``load_partial``, for any other value.
    """
    if load_partial is None:
        return ()
    if not isinstance(load_partial, (list, tuple)) or not all(
        isinstance(p, str) and p.strip('.') for p in load_partial
    ):
        raise ValueError(
            'load_partial must be a list of parameter-name prefixes (e.g. '
            f"load_partial = ['head']), got {load_partial!r}"
        )
    return tuple(p.strip('.') for p in load_partial)


def under(name: str, prefixes: Sequence[str]) -> bool:
    """Whether ``name`` is one of ``prefixes`` or inside one of them."""
    return any(name == p or name.startswith(p + '.') for p in prefixes)


def loaded_module(model: nn.Module) -> nn.Module:
    """The module whose ``state_dict()`` the weights load into: mmengine's
    ``load_state_dict`` looks through model wrappers (DDP) and test-time
    augmentation (``mim test --tta``) to the model inside."""
    while is_model_wrapper(model) or isinstance(model, BaseTTAModel):
        model = model.module
    return model


def revised_state_dict(
    checkpoint: Dict, revise_keys: Sequence[Tuple[str, str]] = REVISE_KEYS
) -> 'OrderedDict[str, Any]':
    """The weights as mmengine's ``_load_checkpoint_to_model`` loads them:
    ``checkpoint['state_dict']`` (or the checkpoint itself), each
    ``(pattern, replacement)`` of ``revise_keys`` applied to every key in
    turn, and torch's ``_metadata`` kept."""
    state_dict = checkpoint.get('state_dict', checkpoint)
    metadata = getattr(state_dict, '_metadata', OrderedDict())
    for pattern, replacement in revise_keys:
        state_dict = OrderedDict(
            (re.sub(pattern, replacement, k), v) for k, v in state_dict.items()
        )
    state_dict = OrderedDict(state_dict)
    state_dict._metadata = metadata
    return state_dict


def shape_of(value: Any) -> Shape:
    shape = getattr(value, 'shape', None)
    return None if shape is None else tuple(shape)


@dataclass
class StateDictFit:
    """How a checkpoint's weights fit a model's: what does not.

    Attributes:
        mismatched (list): ``(name, checkpoint shape, model shape)``.
        missing (list): ``(name, model shape)`` the checkpoint lacks.
        unexpected (list): ``(name, checkpoint shape)`` the model lacks.
    """

    mismatched: List[Tuple[str, Shape, Shape]] = field(default_factory=list)
    missing: List[Tuple[str, Shape]] = field(default_factory=list)
    unexpected: List[Tuple[str, Shape]] = field(default_factory=list)

    def __bool__(self) -> bool:
        """True when anything does not fit."""
        return bool(self.mismatched or self.missing or self.unexpected)

    def select(self, keep: Callable[[str], bool]) -> 'StateDictFit':
        """The misfits whose names ``keep`` accepts."""
        return StateDictFit(
            [m for m in self.mismatched if keep(m[0])],
            [m for m in self.missing if keep(m[0])],
            [m for m in self.unexpected if keep(m[0])],
        )

    def lines(self) -> List[str]:
        """One line per misfit: the name and the shapes."""
        return (
            [
                f'{name}: checkpoint {_shape(c)}, model {_shape(m)}'
                for name, c, m in self.mismatched
            ]
            + [
                f'{name}: not in the checkpoint (model {_shape(m)})'
                for name, m in self.missing
            ]
            + [
                f'{name}: not in the model (checkpoint {_shape(c)})'
                for name, c in self.unexpected
            ]
        )

    def class_counts(self) -> Optional[Tuple[int, int]]:
        """(checkpoint's, model's) class count when a ``head.*`` weight or
        bias differs in its class dimension, else None: the rows of a
        weight matrix (the second of three dimensions in a multi-expert
        head's (E, C, D)), a bias's only one."""
        for name, ckpt_shape, model_shape in self.mismatched:
            if not (
                name.startswith('head.')
                and name.endswith(('.weight', '.bias'))
                and ckpt_shape
                and model_shape
                and len(ckpt_shape) == len(model_shape)
            ):
                continue
            dim = max(len(model_shape) - 2, 0)
            if ckpt_shape[dim] != model_shape[dim]:
                return ckpt_shape[dim], model_shape[dim]
        return None


def compare_state_dicts(
    checkpoint_state: Dict[str, Any], model_state: Dict[str, Any]
) -> StateDictFit:
    """What of ``checkpoint_state`` (keys revised) does not fit a model's
    ``state_dict()``: other shapes, missing and unexpected names."""
    fit = StateDictFit()
    for name, value in model_state.items():
        if name in checkpoint_state:
            ckpt_shape = shape_of(checkpoint_state[name])
            if ckpt_shape != shape_of(value):
                fit.mismatched.append((name, ckpt_shape, shape_of(value)))
        # batch norm's step counter is no weight; mmengine passes over its
        # absence too (older checkpoints lack it)
        elif not name.endswith('num_batches_tracked'):
            fit.missing.append((name, shape_of(value)))
    fit.unexpected = [
        (name, shape_of(value))
        for name, value in checkpoint_state.items()
        if name not in model_state
    ]
    return fit


def _shape(shape: Shape) -> str:
    return 'no tensor' if shape is None else str(list(shape))


def mismatch_message(
    filename: str, misfit: StateDictFit, prefixes: Sequence[str]
) -> str:
    """The error for the weights of ``filename`` that do not fit: the
    class counts in words when the head's differ, the first
    :data:`MAX_LISTED` misfits, a count of the rest and the way out."""
    lines = misfit.lines()
    text = f'checkpoint {filename} does not fit the model'
    counts = misfit.class_counts()
    if counts is not None:
        text += (
            f": its head is for {counts[0]} classes, the model's for "
            f'{counts[1]}'
        )
    text += f'. {len(lines)} parameter(s) do not fit:\n  ' + '\n  '.join(
        lines[:MAX_LISTED]
    )
    if len(lines) > MAX_LISTED:
        text += f'\n  ... and {len(lines) - MAX_LISTED} more'
    allowed = f' (now {list(prefixes)})' if prefixes else ''
    return text + (
        '\nLoad the checkpoint of this model (its num_classes and '
        'backbone). Only if the model is meant to differ from it (a stage 2 '
        "that trains a new head, say), set load_partial = ['head'] "
        f'in the config{allowed}: the parameters under those prefixes then '
        "keep the model's own values."
    )


def fit_checkpoint(
    model: nn.Module,
    checkpoint: Dict,
    filename: str,
    load_partial: Sequence[str] = (),
    revise_keys: Sequence[Tuple[str, str]] = REVISE_KEYS,
    logger: Union[logging.Logger, str, None] = 'current',
) -> Dict:
    """The checkpoint to load into ``model``, checked to fit it.

    Its weights are mmengine's (:func:`revised_state_dict`), less those
    under ``load_partial`` that the model lacks or holds in another shape,
    plus the model's own values of those under ``load_partial`` that the
    checkpoint lacks, so that it fits exactly and mmengine does not warn
    again; each such name is logged at WARNING level. Load the result with
    ``revise_keys=[]``: its keys are revised already.

    Args:
        model (nn.Module): The model to load into (a wrapper or a
            test-time augmentation model is looked through).
        checkpoint (dict): The loaded checkpoint file.
        filename (str): Its path, for the messages.
        load_partial (Sequence[str]): Prefixes of the parameters that may
            be missing, extra or mis-shaped. Defaults to none.
        revise_keys (Sequence[tuple]): ``(pattern, replacement)`` applied
            to the checkpoint's keys. Defaults to stripping ``module.``.
        logger: Where the dropped parameters are logged.

    Returns:
        dict: ``checkpoint`` (a shallow copy) with the fitted weights.

    Raises:
        CheckpointMismatchError: naming each parameter outside
            ``load_partial`` that does not fit, with both shapes.
    """
    state_dict = revised_state_dict(checkpoint, revise_keys)
    model_state = loaded_module(model).state_dict()
    fit = compare_state_dicts(state_dict, model_state)
    misfit = fit.select(lambda name: not under(name, load_partial))
    if misfit:
        raise CheckpointMismatchError(
            mismatch_message(filename, misfit, load_partial)
        )
    allowed = fit.select(lambda name: under(name, load_partial))
    if allowed:
        drop_misfits(state_dict, model_state, allowed)
        print_log(
            f'load_partial={list(load_partial)}: '
            f'{len(allowed.lines())} parameter(s) of {filename} not '
            'loaded, the model keeps its own:\n  '
            + '\n  '.join(allowed.lines()),
            logger=logger,
            level=logging.WARNING,
        )
    if 'state_dict' not in checkpoint:
        return state_dict
    return dict(checkpoint, state_dict=state_dict)


def drop_misfits(
    state_dict: Dict[str, Any],
    model_state: Dict[str, Any],
    misfits: StateDictFit,
) -> None:
    """Takes ``misfits`` out of ``state_dict`` in place: the model's own
    value stands in for a missing or mis-shaped weight (loading it changes
    nothing, and mmengine, finding nothing missing, does not warn again),
    and a weight the model lacks goes."""
    for name, _, _ in misfits.mismatched:
        state_dict[name] = model_state[name]
    for name, _ in misfits.missing:
        state_dict[name] = model_state[name]
    for name, _ in misfits.unexpected:
        del state_dict[name]


def load_fitting_checkpoint(
    model: nn.Module,
    filename: str,
    map_location: Any = 'cpu',
    load_partial: Sequence[str] = (),
    logger: Union[logging.Logger, str, None] = 'current',
) -> Dict:
    """mmengine's ``load_checkpoint(model, filename)`` that refuses weights
    that do not fit (:func:`fit_checkpoint`), for tools that build a
    model without a Runner.

    Args:
        model (nn.Module): The model to load into.
        filename (str): The checkpoint file (or URL, as mmengine's).
        map_location: As ``torch.load``'s. Defaults to 'cpu'.
        load_partial (Sequence[str]): As :func:`fit_checkpoint`'s.
        logger: Where the dropped parameters are logged.

    Returns:
        dict: The checkpoint, as mmengine's ``load_checkpoint``.
    """
    checkpoint = _load_checkpoint(filename, map_location, logger)
    if not isinstance(checkpoint, dict):
        raise CheckpointMismatchError(
            f'checkpoint {filename} holds no state_dict'
        )
    fitted = fit_checkpoint(
        model, checkpoint, filename, load_partial, logger=logger
    )
    # keys already revised
    return _load_checkpoint_to_model(
        model, fitted, logger=logger, revise_keys=[]
    )
