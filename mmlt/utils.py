"""Small helpers shared by mmlt's layers."""

import difflib
import inspect
from typing import Any, Dict, List

import torch.nn as nn
from mmengine.model import is_model_wrapper


def unwrap_model(model: nn.Module) -> nn.Module:
    """The model inside a DDP (or other mmengine) wrapper."""
    return model.module if is_model_wrapper(model) else model


def init_parameters(cls: type) -> List[str]:
    """The keyword parameters of ``cls.__init__`` and its bases'."""
    names = set()
    for klass in cls.__mro__:
        init = klass.__dict__.get('__init__')
        if init is None or klass is object:
            continue
        for param in inspect.signature(init).parameters.values():
            if param.kind in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY):
                names.add(param.name)
    names.discard('self')
    return sorted(names)


def reject_unknown_kwargs(obj, unknown: Dict[str, Any]) -> None:
    """Raises a TypeError naming ``obj``'s own class (not the base that
    received ``**kwargs``) and the nearest valid parameter name."""
    if not unknown:
        return
    cls = obj if isinstance(obj, type) else type(obj)
    valid = init_parameters(cls)
    name = sorted(unknown)[0]
    close = difflib.get_close_matches(name, valid, n=1)
    hint = f'did you mean {close[0]!r}?' if close else f'valid: {valid}'
    raise TypeError(
        f'{cls.__name__} got an unexpected keyword argument {name!r}; {hint}'
    )
