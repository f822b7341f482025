"""Turns a Runner checkpoint into a model-zoo file: the weights and the
config name only (no optimizer state or logs), named with the first 8 hex
digits of its sha256, as mmpretrain's model zoo names its files.

Example::

    python tools/publish_checkpoint.py work_dirs/ldam/epoch_100.pth \\
        zoo/ldam-drw_resnet8_100e_mnist-lt.pth
    # -> zoo/ldam-drw_resnet8_100e_mnist-lt_<sha256[:8]>.pth and its sha256
"""

import argparse
import hashlib
import os
import os.path as osp

import torch

import mmlt  # noqa: F401  lets torch.load read mmengine checkpoints
from mmlt.checkpoint import load_from_local


def sha256sum(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def publish(checkpoint: str, out: str) -> str:
    """Writes the stripped checkpoint; returns its final path."""
    # weights_only, through mmlt's checks; errors name the file
    ckpt = load_from_local(checkpoint, map_location='cpu')
    meta = ckpt.get('meta', {})
    slim = dict(
        state_dict=ckpt['state_dict'],
        meta=dict(
            mmlt_version=mmlt.__version__,
            experiment_name=meta.get('experiment_name'),
            epoch=meta.get('epoch'),
            seed=meta.get('seed'),
        ),
    )
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    tmp = out + '.tmp'
    torch.save(slim, tmp)
    final = f'{osp.splitext(out)[0]}_{sha256sum(tmp)[:8]}.pth'
    os.replace(tmp, final)
    return final


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('checkpoint')
    parser.add_argument('out')
    args = parser.parse_args()
    final = publish(args.checkpoint, args.out)
    print(f'{final}\nsha256 {sha256sum(final)}')


if __name__ == '__main__':
    main()
