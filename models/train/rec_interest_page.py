"""The page's interest model (issue 4: interest(history, item) -> P(yes), run in the LLM worker): TALLRec's
interest task tuned on ml-latest-small, the data set the page ships, and exported with item rows for the
page's SASRec catalog, so that a page item id is the model's item token (as for the re-ranker).

Samples (rec_interest_data.interest_samples): for every rating in time order, the user's 10 earlier items with
their liked marks (rating > 3) and the question whether the user likes the target. All users' samples are cut
in time: the first 70 % only give the item statistics (rec_interest_features.stage1_split; "genres+stats"
item features), the rest are training samples, then --valid early-stopping samples, then the last --test
samples, which nothing is trained or chosen on. In the page the history holds only movies the user added as
liked, so the test AUC is also reported with every history item marked liked ("allLiked").

usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 models/train/rec_interest_page.py --data public/data/ml-latest-small
  --sasrec models/ml-latest-small-sasrec --base <stories260K.bin> --tokenizer <tok512.bin> --out <dir>
Then `npm run interest:package -- --run <dir> --out models/ml-latest-small-llama-interest --sasrec <SASRec id>`.
"""
import argparse
import json
import os
import time

import numpy as np
import torch

from llama_ref import load
from rec_interest_data import ANSWERS, FRAMES, LIKED, auc, interest_samples, labels_of, prompt_tokens
from rec_interest_features import item_features, item_stats, read_ml_latest, stage1_split
from rec_interest_tune import predict, tune
from rec_llama import (RecLlama, adapter_tensors, encode, read_tokenizer, write_adapter_config, write_extended_base,
                       write_tokenizer)
from rec_seq_select import read_movies
from sasrec_export import write_safetensors

LAYOUT = "marked"
FEATURES = "genres+stats"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("--data", "--sasrec", "--base", "--tokenizer", "--out"):
        p.add_argument(name, required=True)
    p.add_argument("--steps", type=int, default=600)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--r", type=int, default=8)
    p.add_argument("--alpha", type=float, default=16)
    p.add_argument("--eval-every", type=int, default=50)
    p.add_argument("--valid", type=int, default=1000, help="early-stopping samples (before the test samples)")
    p.add_argument("--test", type=int, default=2000, help="the last samples in time: test, read once")
    p.add_argument("--limit-train", type=int, default=0, help="training samples used (0: all; tests)")
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args(argv)


def catalog_index(sasrec_dir, data_dir):
    """[N + 1] ml-latest-small dense movie id (movies.csv order, read_ml_latest) of each page item id
    (SASRec items.json order; index 0 = padding -> 0)."""
    keys, rows = read_movies(sasrec_dir, os.path.join(data_dir, "movies.csv"))
    dense = {movie: i for i, movie in enumerate(rows, 1)}  # rows keep movies.csv's order
    return np.array([0] + [dense[k] for k in keys])


def baselines(test, stats):
    """AUC of the trivial scores on `test`: the liked share of the history, the target's earlier like rate."""
    return {"historyLikedFraction": auc([np.mean([r > LIKED for _, r in h]) for _, h, _, _ in test], labels_of(test)),
            "itemLikeRate": auc([float(stats[t, 0]) for _, _, t, _ in test], labels_of(test))}


def all_liked(samples):
    """The samples with every history rating set to 5 (liked): what the page's history looks like."""
    return [(t, [(i, 5.0) for i, _ in h], target, y) for t, h, target, y in samples]


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(1)
    users, genres, _ = read_ml_latest(args.data)
    earlier, later = stage1_split(interest_samples(users))
    stats = item_stats(earlier, len(genres) - 1)  # [M + 1, 2] from the earlier samples only
    feats = torch.from_numpy(item_features(FEATURES, genres, stats))  # [M + 1, F]
    train = later[:-(args.valid + args.test)]
    valid, test = later[-(args.valid + args.test):-args.test], later[-args.test:]
    if args.limit_train:
        train = train[:args.limit_train]
    cfg, w = load(args.base)
    max_len, pieces = read_tokenizer(args.tokenizer)
    frames = {f: encode(pieces, f) for f in FRAMES}
    answer_ids = [encode(pieces, a)[0] for a in ANSWERS]
    vocab = w["emb"].shape[0]
    rows_of = lambda ss: [prompt_tokens(frames, h, t, vocab, LAYOUT, answer_ids) for _, h, t, _ in ss]
    torch.manual_seed(args.seed)
    model = RecLlama(cfg, w, feats, r=args.r, alpha=args.alpha)
    opts = argparse.Namespace(steps=args.steps, batch=args.batch, lr=args.lr, answer_ids=answer_ids,
                              eval_every=args.eval_every)
    started = time.time()
    log = tune(model, rows_of(train), labels_of(train), opts, seed=args.seed,
               valid=(rows_of(valid), labels_of(valid)))
    p_test = predict(model, rows_of(test), answer_ids)
    p_liked = predict(model, rows_of(all_liked(test)), answer_ids)
    result = {"sampleCounts": {"statistics": len(earlier), "train": len(train), "valid": len(valid), "test": len(test)},
              "testPositiveRate": float(np.mean(labels_of(test))), **log,
              "testAuc": auc(p_test.tolist(), labels_of(test)),
              "testAucAllLiked": auc(p_liked.tolist(), labels_of(test)),
              "testBaselines": baselines(test, stats), "validBaselines": baselines(valid, stats),
              "seconds": round(time.time() - started, 1)}
    print(json.dumps(result), flush=True)
    export(model, args, feats, test, p_test, (max_len, pieces), frames, answer_ids, result)


def export(model, args, feats, test, p_test, tokenizer, frames, answer_ids, result):
    """adapter.safetensors, base-items.bin + tokenizer.bin with one item row per PAGE item, interest.json
    (manifest fields, figures, and the test samples whose items all are page items, in page ids, with
    PyTorch's P(yes) for the runtime parity check)."""
    index = catalog_index(args.sasrec, args.data)  # [N + 1] page id -> ml-latest-small dense id
    page_of = {int(m): i for i, m in enumerate(index) if i > 0}
    os.makedirs(args.out, exist_ok=True)
    write_safetensors(os.path.join(args.out, "adapter.safetensors"), adapter_tensors(model))
    write_adapter_config(os.path.join(args.out, "adapter_config.json"), model.r, model.alpha)
    with torch.no_grad():
        model.sasrec_items = feats[torch.from_numpy(index[1:])]  # [N, F]: the projection's input per page item
        items = model.item_rows()  # [N, dim]
    write_extended_base(os.path.join(args.out, "base-items.bin"), args.base, items)
    write_tokenizer(os.path.join(args.out, "tokenizer.bin"), *tokenizer, items.shape[0])
    kept = [k for k, (_, h, t, _) in enumerate(test) if t in page_of and all(i in page_of for i, _ in h)]
    json.dump({"r": model.r, "alpha": model.alpha, "baseVocab": model.base_vocab, "itemCount": items.shape[0],
               "layout": LAYOUT, "features": FEATURES, "frames": frames, "answerIds": answer_ids,
               "historyItems": len(test[0][1]), "likedAbove": LIKED, **result,
               "samples": [{"history": [[page_of[i], r] for i, r in test[k][1]], "target": page_of[test[k][2]]}
                           for k in kept],
               "labels": [test[k][3] for k in kept], "pYes": [float("%.7g" % float(p_test[k])) for k in kept],
               "auc": auc([float(p_test[k]) for k in kept], [test[k][3] for k in kept])},
              open(os.path.join(args.out, "interest.json"), "w"), separators=(",", ":"))


if __name__ == "__main__":
    main()
