# LFME's student settings, written once (xiangly55/LFME,
# config/ImageNet_LT/LFME.py): cross-entropy with each expert's distillation at
# T = 2, class-aware sampling of 4 images a class visit (its CurricSampler)
# with the epoch as long as the training set, and the self-paced schedules
# (LFMEHook, decay_thresh 0.3). A recipe adds the experts, the thresholds of
# its shot groups and the split LFMEHook measures on.
lfme_loss = dict(_delete_=True, type='LFMELoss', temperature=2.0)
lfme_sampler = dict(_delete_=True, type='ClassAwareSampler', num_samples_cls=4)
# LFMEHook's loaders: a split in order, without augmentation
lfme_eval_set = dict(pipeline=[dict(type='PackInputs')])
lfme_eval_loader = dict(batch_size=500, num_workers=0)
