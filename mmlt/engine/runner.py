"""mmlt's Runner: one live run per work dir, ``--resume`` that never
restarts from scratch silently, and checkpoints that must fit the model.

mmengine's Runner lets two runs share a work dir (both exit 0; the folder
keeps one's checkpoints and the other's config), and its auto-resume reads
only ``last_checkpoint``: without that file it logs "resumed from the latest
checkpoint None" and trains from epoch 1, and a torn checkpoint is never
passed over for the one before. Its ``load_checkpoint`` only warns about
weights of another shape (a head for another class count) and trains or
tests on with the model's initialisation in their place
(:mod:`mmlt.checkpoint_fit`). A config's ``batch_path = True`` moves its
loaders onto the batch-level data path when the Runner is built
(:func:`mmlt.datasets.to_batch_path`). The default runtime selects this Runner
(``runner_type = 'mmpretrain.WorkDirGuardRunner'``), which mmpretrain's
``tools/train.py`` and ``tools/test.py`` build from the registry.
"""

import fcntl
import json
import os
import os.path as osp
import re
import socket
import time
import weakref
import zipfile
from typing import List, Optional, Tuple

from mmengine.runner import Runner
from mmengine.runner.checkpoint import (
    _load_checkpoint,
    _load_checkpoint_to_model,
)
from mmpretrain.registry import RUNNERS

from mmlt.checkpoint_fit import fit_checkpoint, partial_prefixes
from mmlt.utils import unwrap_model

LOCK_FILE = '.mmlt_run.lock'
CHECKPOINT_NAME = re.compile(r'^(epoch|iter)_(\d+)\.pth$')


class WorkDirInUseError(RuntimeError):
    """Another live run holds the work dir."""


class WorkDirLock:
    """An ``flock`` on ``work_dir/.mmlt_run.lock`` held by this process.

    The system drops it when the holder exits, however it exits, so a
    crashed run never leaves the folder locked. The file says who holds it.

    Args:
        work_dir (str): the folder to hold.

    Raises:
        WorkDirInUseError: naming the holder's pid, host and start time.
    """

    def __init__(self, work_dir: str) -> None:
        os.makedirs(work_dir, exist_ok=True)
        path = osp.join(work_dir, LOCK_FILE)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise WorkDirInUseError(
                f'work_dir {work_dir} is in use by a live run '
                f'({self.holder(path)}); two runs in one work dir mix their '
                'checkpoints, configs and logs. Give this run another '
                '--work-dir, or wait for that one to end.'
            ) from None
        info = dict(
            pid=os.getpid(),
            host=socket.gethostname(),
            start=time.strftime('%Y-%m-%d %H:%M:%S %Z'),
        )
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(info).encode())
        self.fd: Optional[int] = fd

    @staticmethod
    def holder(path: str) -> str:
        with open(path) as f:
            text = f.read().strip()
        try:
            info = json.loads(text)
            return (
                f'pid {info["pid"]} on {info["host"]}, started {info["start"]}'
            )
        except (ValueError, KeyError, TypeError):
            return f'a run that wrote {text!r:.200}'

    def release(self) -> None:
        """Drops the lock (closing the file drops the flock); idempotent."""
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)


def is_intact(path: str) -> Tuple[bool, str]:
    """Whether a checkpoint file is whole (not torn while being written)."""
    size = osp.getsize(path)
    if size == 0:
        return False, 'empty (0 bytes)'
    if not zipfile.is_zipfile(path):
        # torch's legacy format has no index to check; loading will tell
        with open(path, 'rb') as f:
            head = f.read(2)
        if head[:1] == b'\x80':
            return True, ''
        if head == b'PK':
            return False, f'torn (a zip cut short at {size} bytes)'
        return False, f'not a checkpoint ({size} bytes)'
    try:
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        return False, f'torn ({e})'
    if bad is not None:
        return False, f'torn (record {bad} fails its CRC)'
    return True, ''


def numbered_checkpoints(work_dir: str) -> List[str]:
    """``epoch_N.pth`` / ``iter_N.pth`` in ``work_dir``, newest (largest
    N) first."""
    found = []
    for name in os.listdir(work_dir):
        match = CHECKPOINT_NAME.match(name)
        if match:
            found.append((int(match.group(2)), name))
    return [osp.join(work_dir, name) for _, name in sorted(found)[::-1]]


def find_resume_checkpoint(work_dir: str, logger) -> Optional[str]:
    """The checkpoint ``--resume`` (without a path) continues from.

    ``last_checkpoint`` when it names a whole file; otherwise the newest
    whole ``epoch_N.pth``/``iter_N.pth``, with a warning naming what was
    passed over. ``None`` only when the work dir has no checkpoint at all.

    Raises:
        FileNotFoundError: checkpoints exist but none is whole.
    """
    skipped = []
    record = osp.join(work_dir, 'last_checkpoint')
    if osp.exists(record):
        with open(record) as f:
            named = f.read().strip()
        if not named:
            skipped.append(f'{record} (empty)')
        elif not osp.isfile(named):
            skipped.append(f'{record} names {named}, which does not exist')
        else:
            ok, why = is_intact(named)
            if ok:
                return named
            skipped.append(f'{named} ({why})')
    candidates = numbered_checkpoints(work_dir) if osp.isdir(work_dir) else []
    for path in candidates:
        ok, why = is_intact(path)
        if ok:
            if skipped:
                logger.warning(
                    f'--resume: continuing from {path}, the newest whole '
                    'checkpoint; passed over: ' + '; '.join(skipped)
                )
            return path
        skipped.append(f'{path} ({why})')
    if skipped:
        raise FileNotFoundError(
            f'--resume: no whole checkpoint to resume from in {work_dir}: '
            + '; '.join(skipped)
            + '. Resume from a checkpoint of your choice with --resume '
            'PATH, or train from scratch in another work dir.'
        )
    return None


@RUNNERS.register_module()
class WorkDirGuardRunner(Runner):
    """mmengine's Runner that holds its work dir and resumes soundly.

    - It refuses a work dir that a live run holds (saying which: pid, host,
      start time) before writing anything there. Rank 0 holds the lock for
      a distributed run.
    - ``resume=True`` without a checkpoint path continues from
      ``last_checkpoint``, or else from the newest whole ``epoch_N.pth`` /
      ``iter_N.pth`` with a warning naming the files passed over (torn,
      empty), or stops with an error if none is whole. With no checkpoint
      in the work dir at all it warns that training starts from scratch.
    - ``load_from``, ``resume`` and ``mim test --checkpoint`` refuse a
      checkpoint whose weights do not fit the model (another class count,
      a missing or extra weight), naming each parameter and both shapes,
      except under the prefixes of the config's ``load_partial``, whose
      misfits keep the model's own values and are logged
      (:mod:`mmlt.checkpoint_fit`).
    - A config with ``batch_path = True`` runs on the batch-level data path
      (:func:`mmlt.datasets.to_batch_path`): its per-sample loaders, as
      the config file has them, are converted as the Runner is built, so
      ``--cfg-options batch_path=False`` runs the same recipe per sample.

    Takes the arguments of :class:`mmengine.runner.Runner`.
    """

    @classmethod
    def from_cfg(cls, cfg) -> 'WorkDirGuardRunner':
        batch_path = cfg.get('batch_path', False)
        if not isinstance(batch_path, bool):
            raise TypeError(
                f'batch_path must be True or False, got {batch_path!r}'
            )
        if batch_path:
            from mmlt.datasets import to_batch_path

            cfg = to_batch_path(cfg)
        return super().from_cfg(cfg)

    def __init__(self, *args, **kwargs):
        work_dir = kwargs.get('work_dir', args[1] if len(args) > 1 else None)
        self._work_dir_lock = None
        if work_dir is not None and self._env_rank(kwargs) == 0:
            self._work_dir_lock = WorkDirLock(osp.abspath(work_dir))
            # a Runner dropped without running lets the folder go too
            weakref.finalize(self, self._work_dir_lock.release)
        try:
            super().__init__(*args, **kwargs)
            # a misspelt value fails here, not after the first epoch
            self._load_partial = partial_prefixes(self.cfg.get('load_partial'))
        except BaseException:
            self.release_work_dir()
            raise

    @staticmethod
    def _env_rank(kwargs) -> int:
        # the lock is taken before mmengine sets up the process group
        launcher = kwargs.get('launcher', 'none')
        if launcher == 'slurm':
            return int(os.environ.get('SLURM_PROCID', 0))
        if launcher == 'mpi':
            return int(os.environ.get('OMPI_COMM_WORLD_RANK', 0))
        return int(os.environ.get('RANK', 0))

    def release_work_dir(self) -> None:
        """Lets another run use the work dir (done when a run ends)."""
        if self._work_dir_lock is not None:
            self._work_dir_lock.release()

    def load_checkpoint(
        self,
        filename: str,
        map_location='cpu',
        strict: bool = False,
        revise_keys: Optional[list] = None,
    ) -> dict:
        """mmengine's ``load_checkpoint``, checking that the weights fit
        the model (after the ``after_load_checkpoint`` hooks, which may
        change them) before any is copied.

        Raises:
            CheckpointMismatchError: for weights that do not fit, outside
                ``load_partial`` (all of them when ``strict``).
        """
        if revise_keys is None:
            revise_keys = [(r'^module.', '')]  # mmengine's default
        checkpoint = _load_checkpoint(filename, map_location=map_location)
        self.call_hook('after_load_checkpoint', checkpoint=checkpoint)
        model = unwrap_model(self.model)
        partial = () if strict else self._load_partial
        fitted = fit_checkpoint(
            model, checkpoint, filename, partial, revise_keys, self.logger
        )
        # keys already revised: applying revise_keys twice could strip more
        checkpoint = _load_checkpoint_to_model(
            model, fitted, strict, revise_keys=[]
        )
        self._has_loaded = True
        self.logger.info(f'Load checkpoint from {filename}')
        return checkpoint

    def load_or_resume(self) -> None:
        if self._has_loaded or not self._resume or self._load_from:
            return super().load_or_resume()
        resume_from = find_resume_checkpoint(self.work_dir, self.logger)
        if resume_from is None:
            self.logger.warning(
                f'--resume: {self.work_dir} holds no checkpoint; training '
                'starts from scratch.'
            )
            return None
        self.logger.info(f'--resume: continuing from {resume_from}.')
        self.resume(resume_from)
        self._has_loaded = True
        self._report_finished(resume_from)

    def _report_finished(self, checkpoint: str) -> None:
        """Says so when the resumed checkpoint ends the schedule, with the
        last validation metrics it holds."""
        loop = self._train_loop
        if not hasattr(loop, 'max_iters'):  # testing: no train loop built
            return
        done = (
            loop.epoch >= loop.max_epochs
            if hasattr(loop, 'max_epochs') and loop.max_epochs is not None
            else loop.iter >= loop.max_iters
        )
        if not done:
            return
        scalars = self.message_hub.log_scalars
        metrics = ', '.join(
            f'{name[len("val/") :]}: {buffer.current():.4f}'
            for name, buffer in scalars.items()
            if name.startswith('val/')
        )
        self.logger.warning(
            f"--resume: {checkpoint} ends this run's schedule (epoch "
            f'{loop.epoch}, iteration {loop.iter} of {loop.max_iters}): '
            'nothing is left to train. Its last validation: '
            + (metrics or 'none recorded')
        )

    def train(self):
        try:
            return super().train()
        finally:
            self.release_work_dir()

    def val(self):
        try:
            return super().val()
        finally:
            self.release_work_dir()

    def test(self):
        try:
            return super().test()
        finally:
            self.release_work_dir()


def build_runner(cfg) -> Runner:
    """The Runner mmpretrain's ``tools/train.py`` and ``tools/test.py``
    build for ``cfg``: its ``runner_type`` (mmlt's configs:
    :class:`WorkDirGuardRunner`) from the registry, else mmengine's."""
    from mmengine.registry import RUNNERS as ROOT_RUNNERS

    if 'runner_type' in cfg:
        return ROOT_RUNNERS.build(cfg)
    return Runner.from_cfg(cfg)
