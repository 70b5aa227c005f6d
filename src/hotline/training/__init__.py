"""Training and assessment (培训与考核): the new-hire programme's stages and their exams,
targeted training for low QA scores, and the role checklists (KBI).

The configuration is ``training.yaml`` beside hotline.yaml (`hotline.training.config`);
exam papers are drawn and scored in `hotline.training.exam`; the rules live in
`hotline.training.service`.
"""
