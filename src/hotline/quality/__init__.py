"""Quality inspection (录音质检): evaluation forms and their scoring (`hotline.quality.forms`).

The rest of the feature — sampling, the inspector's queue, scoring while listening,
disputes, calibration, the case library and training — builds on these forms.
"""
