"""Silences the warnings of mmlt's stack that say nothing about a run.

Each filter matches one known message, its category and the module that
issues it, and nothing else:

- mmcv-lite's ``Fail to import MultiScaleDeformableAttention`` (a
  UserWarning from ``mmcv.cnn.bricks.transformer``, raised when mmlt
  imports mmpretrain's models): mmlt uses no deformable attention.
- mmengine's ``"FileClient" will be deprecated`` and ``"HardDiskBackend"
  is the alias of "LocalBackend"`` (logged by the Runner's own
  ``CheckpointHook`` at every start): mmlt's
  :class:`~mmlt.engine.hooks.LogFilterHook` drops them from the run's log.

setuptools' ``pkg_resources is deprecated`` comes from the ``mim`` command
itself, before any config (and so mmlt) is read; setup.py pins setuptools
below 80.9, whose notice is a DeprecationWarning that Python shows only
for code run as ``__main__``.
"""

import warnings

#: (message start, category, issuing module) of each silenced warning
KNOWN_WARNINGS = (
    (
        'Fail to import ``MultiScaleDeformableAttention``',
        UserWarning,
        r'mmcv\.cnn\.bricks\.transformer',
    ),
)

#: Starts of the mmengine log messages LogFilterHook drops.
KNOWN_LOG_MESSAGES = (
    '"FileClient" will be deprecated in future.',
    '"HardDiskBackend" is the alias of "LocalBackend"',
)


def silence_known_warnings() -> None:
    """Installs a filter for each of :data:`KNOWN_WARNINGS`."""
    for message, category, module in KNOWN_WARNINGS:
        warnings.filterwarnings(
            'ignore', message=message, category=category, module=module
        )
