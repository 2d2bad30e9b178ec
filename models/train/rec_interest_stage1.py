"""Stage 1 of the interest recipe (rec_interest.py --stage1): the same interest task tuned on
MovieLens ml-latest-small (other users and years than ML-100K; no ML-100K label), before the few-shot
ML-100K step. Item features come from its own first samples in time (rec_interest_features.py), the
tuning samples are the rest; early stopping reads its own last STAGE1_VALID samples. One stage-1 model
per run seed (--stage1-each-seed) or one (seed 0) shared by every run; --stage1-state caches them.
"""
import argparse
import json
import os
import time

import torch

from rec_interest_data import interest_samples, labels_of
from rec_interest_features import item_features, item_stats, read_ml_latest, stage1_split
from rec_interest_tune import tune
from rec_llama import RecLlama, trainable_state

STAGE1_VALID = 1000  # stage-1 early stopping: the last samples of ml-latest-small


def stage1(args, cfg, w, rows_of, seed):
    """Tune LoRA + projection on ml-latest-small interest samples; returns (trainable state, log)."""
    users, genres, _ = read_ml_latest(args.stage1)
    earlier, later = stage1_split(interest_samples(users))
    stats = item_stats(earlier, len(genres) - 1)  # [N+1, 2] its own earlier samples, for both stats kinds
    feats = torch.from_numpy(item_features(args.features, genres, stats))  # [N+1, F]
    train, valid = later[:-STAGE1_VALID], later[-STAGE1_VALID:]
    torch.manual_seed(seed)
    model = RecLlama(cfg, w, feats, r=args.r, alpha=args.alpha)
    opts = argparse.Namespace(steps=args.stage1_steps, batch=args.stage1_batch, lr=args.stage1_lr,
                              answer_ids=args.answer_ids, eval_every=50)
    started = time.time()
    log = tune(model, rows_of(train), labels_of(train), opts, seed=seed, valid=(rows_of(valid), labels_of(valid)))
    log.update(seed=seed, samples=len(train), featureSamples=len(earlier), seconds=round(time.time() - started, 1))
    print(json.dumps({"stage1": log}), flush=True)
    return trainable_state(model), log


def cached_stage1(args, cfg, w, rows_of, seed):
    """stage1(), or its saved result in the --stage1-state file of that seed when trained with the same options."""
    key = {k: getattr(args, k) for k in ("stage1_steps", "stage1_batch", "stage1_lr", "layout", "r", "alpha", "base")}
    key.update(stats=args.features != "genres", seed=seed)  # both stats kinds use ml-latest-small's own samples
    path = f"{args.stage1_state}.seed{seed}" if args.stage1_state else ""
    if path and os.path.exists(path):
        saved = torch.load(path)
        if saved["key"] == key:
            return saved["state"], {**saved["log"], "reused": True}
    state, log = stage1(args, cfg, w, rows_of, seed)
    if path:
        torch.save({"key": key, "state": state, "log": log}, path)
    return state, log


def stage1_states(args, cfg, w, rows_of):
    """{run seed: stage-1 trainable state} and the stage-1 logs."""
    seeds = range(args.seeds) if args.stage1_each_seed else [0]
    trained = {s: cached_stage1(args, cfg, w, rows_of, s) for s in seeds}
    states = {s: trained[s if args.stage1_each_seed else 0][0] for s in range(args.seeds)}
    return states, [log for _, log in trained.values()]
