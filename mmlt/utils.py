"""Small helpers shared by mmlt's layers."""

import difflib
import inspect
from typing import Iterable, List, Mapping, Optional, Union

import torch.nn as nn
from mmengine.model import is_model_wrapper

#: the label of an image of a class outside the training set (OLTR's
#: open set: ``OpenSetSplit`` gives it, ``OpenSetFMeasure`` scores it)
UNKNOWN_LABEL = -1

_NAMED = (
    inspect.Parameter.POSITIONAL_OR_KEYWORD,
    inspect.Parameter.KEYWORD_ONLY,
)


def unwrap_model(model: nn.Module) -> nn.Module:
    """The model inside a DDP (or other mmengine) wrapper."""
    return model.module if is_model_wrapper(model) else model


def closest_name(name: str, candidates: Iterable[str]) -> Optional[str]:
    """The candidate ``name`` was most likely meant to be, or None.

    A match that differs only in case wins (``LDAMloss`` -> ``LDAMLoss``);
    otherwise difflib's closest match with a ratio of at least 0.6.
    """
    candidates = list(dict.fromkeys(candidates))
    same_case = [c for c in candidates if c.lower() == name.lower()]
    if same_case:
        return same_case[0]
    matches = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return matches[0] if matches else None


def init_parameters(cls: type) -> List[str]:
    """The keyword arguments ``cls(...)`` takes: those its ``__init__``
    names and, as long as an ``__init__`` passes ``**kwargs`` on, those of
    the ``__init__`` of the next class in its MRO."""
    names: List[str] = []
    for klass in cls.__mro__:
        init = klass.__dict__.get('__init__')
        if init is None:
            continue
        try:
            params = inspect.signature(init).parameters.values()
        except (TypeError, ValueError):  # a builtin without a signature
            break
        names += [
            p.name for p in params if p.kind in _NAMED and p.name != 'self'
        ]
        if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
            break
    return list(dict.fromkeys(names))


def check_kwargs(
    owner: Union[type, object],
    kwargs: Mapping,
    valid: Optional[Iterable[str]] = None,
) -> None:
    """Raises a TypeError naming the class the user wrote when ``kwargs``
    holds a keyword argument it does not take, with the closest valid one.

    Python's own error names the ``__init__`` that refused the argument,
    often a base class the user never wrote. Call it first thing in an
    ``__init__`` that passes ``**kwargs`` on (``check_kwargs(self,
    kwargs)``), or from a base class's ``__new__`` with all the keyword
    arguments.

    Args:
        owner: The class, or an instance of it.
        kwargs: The keyword arguments to check.
        valid (Iterable[str], optional): The names it takes; defaults to
            :func:`init_parameters` of the class.
    """
    cls = owner if isinstance(owner, type) else type(owner)
    valid = list(init_parameters(cls) if valid is None else valid)
    unknown = [k for k in kwargs if k not in valid]
    if not unknown:
        return
    hints = []
    for key in unknown:
        match = closest_name(key, valid)
        hints.append(
            f'{key!r}' + (f' (did you mean {match!r}?)' if match else '')
        )
    raise TypeError(
        f'{cls.__name__} got unexpected keyword argument'
        f'{"s" if len(unknown) > 1 else ""} {", ".join(hints)}; '
        f'it takes: {", ".join(valid)}'
    )
