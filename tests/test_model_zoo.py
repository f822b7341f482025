"""The model zoo: every checkpoint of configs/*/metafile.yml is the file its
sha256 names, `mim test` reproduces its recorded metrics, and it loads by
name through mmpretrain's get_model and ImageClassificationInferencer."""

import hashlib
import os
import os.path as osp
import re

import pytest
from modelindex.load_model_index import load

from conftest import REPO, mim_test

MODELS = list(load(osp.join(REPO, 'model-index.yml')).models)
METRICS = {
    'Top 1 Accuracy': 'lt/top1',
    'Many-shot Accuracy': 'lt/many',
    'Medium-shot Accuracy': 'lt/medium',
    'Few-shot Accuracy': 'lt/few',
}


def test_the_zoo_has_models():
    assert {m.name for m in MODELS} >= {
        'ldam-drw_resnet8_100e_mnist-lt',
        'ce_resnet8_100e_mnist-lt',
        'ldam-drw_resnet8_15e_fashion-mnist-lt',
        'ce_resnet8_15e_fashion-mnist-lt',
        'cb-sampling_resnet8_15e_fashion-mnist-lt',
    }


ZOO = [m for m in MODELS if m.weights]


@pytest.mark.parametrize('model', ZOO, ids=lambda m: m.name)
def test_mim_test_reproduces_the_recorded_metrics(tmp_path, model):
    weights = osp.join(REPO, model.weights)
    with open(weights, 'rb') as f:
        sha256 = hashlib.sha256(f.read()).hexdigest()
    assert sha256 == model.metadata.data['SHA256']
    assert weights.endswith(f'_{sha256[:8]}.pth')
    proc = mim_test(model.config, weights, tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    logged = dict(re.findall(r'(lt/\w+): ([\d.]+)', proc.stdout + proc.stderr))
    recorded = model.results[0].metrics
    for name, key in METRICS.items():
        assert float(logged[key]) == pytest.approx(recorded[name], abs=0.005)


def test_zoo_models_load_by_name_and_infer():
    import torch
    from mmpretrain import ImageClassificationInferencer, get_model

    from mmlt.datasets import MNISTLT

    test = MNISTLT(split='test')
    picks = range(0, 1000, 25)
    images = [test.get_data_info(i)['img'] for i in picks]
    labels = [test.get_data_info(i)['gt_label'] for i in picks]
    name = 'ldam-drw_resnet8_100e_mnist-lt'
    inferencer = ImageClassificationInferencer(name, pretrained=True)
    predicted = [r['pred_label'] for r in inferencer(images)]
    # the zoo model is 93.5% accurate: most of 40 test digits are right
    assert sum(p == y for p, y in zip(predicted, labels)) >= 34
    model = get_model(name, pretrained=True).eval()
    inputs = [torch.from_numpy(img).permute(2, 0, 1) for img in images]
    data = model.data_preprocessor(dict(inputs=inputs), False)
    with torch.no_grad():
        direct = model(data['inputs'], mode='predict')
    assert [int(s.pred_label) for s in direct] == predicted


def test_every_config_has_one_metafile_entry():
    import glob

    # every config of a method's folder; the entry points configs/*.py
    # are the same models under the card's old paths
    configs = {
        osp.relpath(p, REPO)
        for p in glob.glob(osp.join(REPO, 'configs', '*', '*.py'))
        if '_base_' not in p
    }
    listed = [m.config for m in MODELS]
    assert sorted(listed) == sorted(configs)
    names = [m.name for m in MODELS]
    assert len(set(names)) == len(names)
    # mmpretrain's convention: a model's name is its config's file name
    for model in MODELS:
        assert model.name == osp.splitext(osp.basename(model.config))[0]
        # each method folder documents its recipes beside its metafile
        readme = osp.join(REPO, osp.dirname(model.config), 'README.md')
        assert osp.isfile(readme), readme
    # the zoo's entries are the ones with weights, and with results
    with_weights = {m.name for m in MODELS if m.weights}
    assert with_weights == {
        'ldam-drw_resnet8_100e_mnist-lt',
        'ce_resnet8_100e_mnist-lt',
        'ldam-drw_resnet8_15e_fashion-mnist-lt',
        'ce_resnet8_15e_fashion-mnist-lt',
        'cb-sampling_resnet8_15e_fashion-mnist-lt',
    }
    assert all(m.results for m in MODELS if m.weights)


def test_a_config_loads_by_its_name():
    from mmpretrain import get_model, list_models

    assert 'cam-cb-stage2_resnet32_40e_cifar100-lt' in list_models()
    model = get_model('lws_resnet32_10e_cifar10-lt')
    assert type(model.head).__name__ == 'LWSLinearClsHead'


def test_every_zoo_file_the_docs_name_exists():
    docs = [osp.join(REPO, 'README.md')]
    for folder in ('docs', 'configs'):
        for root, _, files in os.walk(osp.join(REPO, folder)):
            docs += [osp.join(root, f) for f in files if f.endswith('.md')]
    named = set()
    for doc in docs:
        with open(doc, encoding='utf-8') as f:
            named |= set(re.findall(r'zoo/[\w.-]+_[0-9a-f]{8}\.pth', f.read()))
    assert len(named) >= 2
    missing = sorted(p for p in named if not osp.isfile(osp.join(REPO, p)))
    assert not missing, missing
