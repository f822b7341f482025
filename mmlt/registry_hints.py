"""A "did you mean" for misspelt ``type=`` names.

mmengine's registries answer ``type='LDAMloss'`` with ``LDAMloss is not in
the mmpretrain::model registry`` and no hint. :func:`add_registry_hints`
wraps the build function of the registries mmlt registers into (and of
their mmengine roots, through which the Runner builds) so that this
KeyError also names the closest registered name. Nothing else about
building changes.
"""

import functools
from typing import Callable, List

from mmengine.registry import Registry

from .utils import closest_name

_MARK = '_mmlt_hints'


def registered_names(registry: Registry, scope=None) -> List[str]:
    """Names a ``type=`` can take in ``registry`` under ``scope`` (the
    default scope when None): the scope's registry's and its parents'."""
    with registry.switch_scope_and_registry(scope) as reg:
        names = []
        while reg is not None:
            names += list(reg.module_dict)
            reg = reg.parent
    return names


def with_hint(build_func: Callable) -> Callable:
    """``build_func`` whose KeyError for an unknown type names the closest
    registered one."""

    @functools.wraps(build_func)
    def build(cfg, *args, registry: Registry, **kwargs):
        try:
            return build_func(cfg, *args, registry=registry, **kwargs)
        except KeyError as e:
            obj_type = cfg.get('type') if hasattr(cfg, 'get') else None
            message = str(e.args[0]) if e.args else ''
            # only the build that failed: an outer build sees the same error
            if not isinstance(obj_type, str) or not message.startswith(
                f'{obj_type} is not in the'
            ):
                raise
            match = closest_name(
                obj_type, registered_names(registry, cfg.get('_scope_'))
            )
            if match is None:
                raise
            first, _, rest = message.partition('. ')
            raise KeyError(f'{first}. Did you mean {match!r}? {rest}') from e

    setattr(build, _MARK, True)
    return build


def add_registry_hints() -> None:
    """Installs :func:`with_hint` on mmpretrain's registries that mmlt
    registers into and on their mmengine roots; idempotent."""
    import mmengine.registry as root
    import mmpretrain.registry as mmpretrain

    names = ('MODELS', 'DATASETS', 'DATA_SAMPLERS', 'HOOKS', 'METRICS')
    names += ('TRANSFORMS',)
    for module in (root, mmpretrain):
        for name in names:
            registry = getattr(module, name)
            if not getattr(registry.build_func, _MARK, False):
                registry.build_func = with_hint(registry.build_func)
