# Weight balancing, stage 2 on every data set: the decoupled 10-epoch
# schedule (cosine) and runtime, with ./_base_wb.py's stage-2 optimiser
# (lr 0.01, weight decay 0.1) and hooks (the classifier fine-tuned on the
# frozen model, MaxNorm after every step) as real keys. A data set's stage 2
# is its model and data set pieces with this file, and the class-balanced
# loss: model = dict(head=dict(loss=_base_.stage2_loss)).
_base_ = [
    '../_base_/schedules/classifier_retraining_10e.py',
    '../_base_/default_runtime.py',
    './_base_wb.py',
]

optim_wrapper = _base_.stage2_optim_wrapper
custom_hooks = _base_.stage2_hooks
