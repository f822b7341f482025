"""mmlt's model zoo, in mmpretrain's model index.

``model-index.yml`` (at the repository's root, mim's convention) imports
the metafiles of ``configs/``. Registering it into mmpretrain's
``ModelHub`` lets ``mmpretrain.get_model`` and
``ImageClassificationInferencer`` take mmlt's model names, with
``pretrained=True`` loading the zoo checkpoint that the metafile names.
"""

import os.path as osp
from typing import List

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
MODEL_INDEX = osp.join(REPO_ROOT, 'model-index.yml')


def register_model_zoo(model_index: str = MODEL_INDEX) -> List[str]:
    """Registers the models of ``model_index`` into mmpretrain's
    ``ModelHub``; returns their names.

    Config and weight paths in the metafiles are relative to the
    repository's root and are made absolute. Nothing happens when the file
    is absent (mmlt installed without its repository) or already
    registered.
    """
    if not osp.isfile(model_index):
        return []
    from mmpretrain.apis import ModelHub
    from modelindex.load_model_index import load

    names = [m.name.lower() for m in load(model_index).models]
    if names and all(n in ModelHub._models_dict for n in names):
        return names
    ModelHub.register_model_index(model_index, config_prefix=REPO_ROOT)
    for name in names:
        metainfo = ModelHub._models_dict[name]
        weights = metainfo.weights
        if weights and '://' not in weights and not osp.isabs(weights):
            metainfo.weights = osp.join(REPO_ROOT, weights)
    return names
