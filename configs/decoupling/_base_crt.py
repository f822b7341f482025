# cRT (classifier re-training, Kang et al.), stage 2 on every data set: the
# decoupled schedule (10 epochs, cosine) and runtime, and the hook that
# freezes the stage-1 model but its classifier, re-initialised. A data set's
# cRT config is its model and data set pieces with this file, and samples
# class-balanced:
#   _base_ = [MODEL, DATASET, './_base_crt.py']
#   train_dataloader = dict(
#       sampler=dict(_delete_=True, type='ClassBalancedSampler')
#   )
_base_ = [
    '../_base_/schedules/classifier_retraining_10e.py',
    '../_base_/default_runtime.py',
]

# A real key: no model or data set piece sets custom_hooks.
custom_hooks = [
    dict(type='ClassifierRetrainingHook', trainable=['head'], reinit=True)
]
