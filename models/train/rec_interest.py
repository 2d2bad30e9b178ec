"""TALLRec interest classification with stories260K + LoRA + item tokens (PyTorch, CPU).

For each training-set size (16 / 64 / 256) and seed: draw that many samples from the time-ordered train
pool (rec_interest_data.py), tune LoRA (q, k, v, o, gate, up, down) and the item-token projection (an MLP
of the item's features, rec_interest_features.py: genre flags, optionally + like-rate / count statistics
of the train pool or of ml-latest-small's ratings of the same titles) with binary cross-entropy on logit(Yes) - logit(No) (rec_interest_tune.py), and report
test AUC. --valid-cap N > 0: early stopping on a fixed draw of N samples of the validation period (the
step count is then picked on validation, never on test). --evaluate valid: everything reported as "test"
is computed on --test-cap other validation samples instead (for choosing a recipe; the test period is
not read at all). --stage1 DIR: before the few-shot step, tune the
same task on ml-latest-small (other users and years; never ML-100K labels), then continue from that model.
Baselines in the same run: SASRec trained on the same samples (rec_interest_sasrec.py, as in TALLRec's
table), the untuned base, the history's liked fraction (the user's recent mean taste), the target item's
like rate in the whole train pool (popularity; it sees more data than the few-shot models), and with
--stage1 the stage-1 model with no ML-100K sample. --export DIR writes the last size/seed's adapter,
extended base, tokenizer and the test prompts with PyTorch's P(yes) (for npm run eval:interest).

usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 models/train/rec_interest.py --data ../shared/data/ml-100k
  --base <stories260K.bin> --tokenizer <tok512.bin> --out results.json [--sizes 16,64,256 --seeds 3]
  [--layout grouped|marked --features genres|genres+stats|genres+external --external <ml-latest-small>
   --valid-cap 500 --stage1 <ml-latest-small>]
"""
import argparse
import json
import os
import time

import numpy as np
import torch

from llama_ref import load
from rec_interest_data import (ANSWERS, FRAMES, LAYOUTS, LIKED, auc, disjoint_draws, draw, interest_samples,
                               labels_of, prompt_tokens, read_genres, read_ml100k, split_by_time, synthetic_users)
from rec_interest_features import (FEATURE_SETS, FeatureSetError, external_stats, item_features, item_stats,
                                   read_ml100k_titles)
from rec_interest_sasrec import sasrec_interest
from rec_interest_stage1 import stage1_states
from rec_interest_tune import predict, tune
from rec_llama import RecLlama, add_lora_args, adapter_tensors, encode, read_tokenizer, write_extended_base, write_tokenizer
from sasrec_export import write_safetensors

def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="", help="MovieLens-100K directory (u.data, u.item)")
    p.add_argument("--synthetic", action="store_true", help="a seeded toy log instead of --data (tests)")
    for name in ("--base", "--tokenizer", "--out"):
        p.add_argument(name, required=True)
    p.add_argument("--sizes", default="16,64,256")
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--steps", type=int, default=60, help="(most) Adam steps of the few-shot tuning")
    add_lora_args(p, batch=16)
    p.add_argument("--layout", choices=LAYOUTS, default="grouped", help="prompt layout (rec_interest_data.py)")
    p.add_argument("--features", choices=FEATURE_SETS, default="genres", help="item-token projection input")
    p.add_argument("--external", default="", help="ml-latest-small directory for --features genres+external")
    p.add_argument("--valid-cap", type=int, default=0, help="validation samples for early stopping (0 = none)")
    p.add_argument("--eval-every", type=int, default=10, help="steps between validation reads")
    p.add_argument("--stage1", default="", help="ml-latest-small directory: stage-1 tuning before the few shots")
    p.add_argument("--stage1-steps", type=int, default=600)
    p.add_argument("--stage1-batch", type=int, default=32)
    p.add_argument("--stage1-lr", type=float, default=3e-3)
    p.add_argument("--stage1-state", default="", help="file prefix: reuse its stage-1 models when the stage-1 "
                   "options match, else train stage 1 and write them there")
    p.add_argument("--stage1-each-seed", action="store_true", help="one stage-1 model per run seed (else seed 0's)")
    p.add_argument("--test-cap", type=int, default=1000, help="test samples (seeded draw, same for every run)")
    p.add_argument("--evaluate", choices=("test", "valid"), default="test",
                   help="valid: report on validation samples disjoint from the early-stopping ones (no test read)")
    p.add_argument("--export", default="", help="directory for the last run's adapter + test prompts")
    return p.parse_args(argv)


def baselines(pool, test):
    """Test AUC of the history liked fraction and of the target's like rate over the train pool."""
    liked = [np.mean([r > LIKED for _, r in h]) for _, h, _, _ in test]
    counts = {}
    for _, h, t, y in pool:
        c = counts.setdefault(t, [0, 0])
        c[0], c[1] = c[0] + y, c[1] + 1
    prior = np.mean([y for _, _, _, y in pool])
    rate = [(counts.get(t, [0, 0])[0] + prior) / (counts.get(t, [0, 0])[1] + 1) for _, _, t, _ in test]
    labels = [y for _, _, _, y in test]
    return {"historyLikedFraction": auc(liked, labels), "itemLikeRate": auc(rate, labels)}


def load_samples(args):
    """(samples, genre flags [N+1, 19]) from MovieLens-100K or the synthetic log (parity flag in column 0)."""
    if args.synthetic:
        users = synthetic_users(60, 40, 30, seed=3)
        genres = np.zeros((41, 19), dtype=np.float32)  # [N+1, 19]
        genres[1:, 0] = np.arange(1, 41) % 2
        return interest_samples(users), genres
    users = read_ml100k(os.path.join(args.data, "u.data"))
    item_count = max(i for rows in users.values() for _, i, _ in rows)
    return interest_samples(users), read_genres(os.path.join(args.data, "u.item"), item_count)


def ml100k_stats(args, pool, item_count):
    """(item statistics [N+1, 2] or None, matched item count or None) for --features."""
    if args.features == "genres+stats":
        return item_stats(pool, item_count), None
    if args.features != "genres+external":
        return None, None
    if not args.external or args.synthetic:
        raise FeatureSetError("--features genres+external needs --external <ml-latest-small dir> and --data")
    return external_stats(read_ml100k_titles(os.path.join(args.data, "u.item")), args.external)


def no_shot(args, cfg, w, item_feats, states, test_set, valid_set):
    """Test (and validation) AUC of each distinct stage-1 model on ML-100K with no ML-100K sample: runs
    [{seed, auc, validAuc}] and the mean / sd of auc over them."""
    runs = []
    for seed in sorted(states) if args.stage1_each_seed else [0]:
        model = RecLlama(cfg, w, item_feats, r=args.r, alpha=args.alpha)
        model.load_state_dict(states[seed], strict=False)
        run = {"size": 0, "seed": seed, "auc": auc(predict(model, test_set[0], args.answer_ids).tolist(), test_set[1])}
        if valid_set:
            run["validAuc"] = auc(predict(model, valid_set[0], args.answer_ids).tolist(), valid_set[1])
        runs.append(run)
    out = {"runs": runs, **summarise(runs)["0"]}
    print(json.dumps({"stage1NoShot": out}), flush=True)
    return out


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(1)
    samples, genres = load_samples(args)
    pool, valid_all, test_all = split_by_time(samples)
    valid, selection = disjoint_draws(valid_all, (args.valid_cap, args.test_cap), seed=1)
    test = draw(test_all, args.test_cap, seed=0) if args.evaluate == "test" else selection
    cfg, w = load(args.base)
    max_len, pieces = read_tokenizer(args.tokenizer)
    frames = {f: encode(pieces, f) for f in FRAMES}
    args.answer_ids = [encode(pieces, a)[0] for a in ANSWERS]
    assert args.answer_ids[0] != args.answer_ids[1], "Yes and No must start with different tokens"
    base_vocab = w["emb"].shape[0]
    rows_of = lambda ss: [prompt_tokens(frames, h, t, base_vocab, args.layout, args.answer_ids) for _, h, t, _ in ss]
    test_rows, test_labels = rows_of(test), labels_of(test)
    valid_set = (rows_of(valid), labels_of(valid)) if valid else None
    stats, matched = ml100k_stats(args, pool, len(genres) - 1)
    item_feats = torch.from_numpy(item_features(args.features, genres, stats))  # [N+1, F]
    torch.manual_seed(0)  # the untuned projection's initialisation
    untuned = RecLlama(cfg, w, item_feats, r=args.r, alpha=args.alpha)
    results = {"protocol": "TALLRec ML-100K: 10 most recent items, rating > 3 liked, time split 8:1:1",
               "evaluatedOn": args.evaluate, "externalMatchedItems": matched,
               "poolSize": len(pool), "validSize": len(valid), "testSize": len(test),
               "testPositiveRate": float(np.mean(test_labels)), "baselines": baselines(pool, test),
               "untunedBase": auc(predict(untuned, test_rows, args.answer_ids).tolist(), test_labels),
               "config": {k: getattr(args, k) for k in ("steps", "batch", "lr", "r", "alpha", "layout", "features",
                                                         "valid_cap", "eval_every", "stage1_steps", "stage1_batch",
                                                         "stage1_lr", "stage1_each_seed")},
               "runs": []}
    results["config"]["stage1"] = os.path.basename(os.path.normpath(args.stage1)) if args.stage1 else None
    if args.features == "genres+external":  # the matched ml-latest-small like rate alone (no training)
        results["baselines"]["externalItemLikeRate"] = auc([float(stats[t, 0]) for _, _, t, _ in test], test_labels)
    print(json.dumps({k: results[k] for k in ("poolSize", "testSize", "baselines", "untunedBase")}), flush=True)
    states = {}
    if args.stage1:
        states, results["stage1"] = stage1_states(args, cfg, w, rows_of)
        results["stage1NoShot"] = no_shot(args, cfg, w, item_feats, states, (test_rows, test_labels), valid_set)
    model = None
    for size in [int(s) for s in args.sizes.split(",")]:
        for seed in range(args.seeds):
            torch.manual_seed(seed)
            train = draw(pool, size, seed=1000 + seed)
            model = RecLlama(cfg, w, item_feats, r=args.r, alpha=args.alpha)
            if seed in states:
                model.load_state_dict(states[seed], strict=False)
            started = time.time()
            log = tune(model, rows_of(train), labels_of(train), args, seed, valid=valid_set)
            p = predict(model, test_rows, args.answer_ids)
            seconds = round(time.time() - started, 1)
            sas = sasrec_interest(train, test, len(item_feats) - 1, seed)
            run = {"size": size, "seed": seed, "auc": auc(p.tolist(), test_labels), "sasrecAuc": auc(sas, test_labels),
                   **log, "seconds": seconds}
            results["runs"].append(run)
            print(json.dumps(run), flush=True)
    results["summary"] = summarise(results["runs"])
    results["sasrecSummary"] = summarise(results["runs"], "sasrecAuc")
    if valid_set:
        results["validSummary"] = summarise(results["runs"], "validAuc")
    json.dump(results, open(args.out, "w"), indent=1)
    if args.export:
        export(model, args, test, test_rows, predict(model, test_rows, args.answer_ids), frames)


def summarise(runs, key="auc"):
    """{size: {mean, sd, n}} of the runs' `key` (test AUC) over seeds."""
    out = {}
    for size in sorted({r["size"] for r in runs}):
        a = np.array([r[key] for r in runs if r["size"] == size])
        out[str(size)] = {"mean": float(a.mean()), "sd": float(a.std(ddof=1)) if len(a) > 1 else 0.0, "n": len(a)}
    return out


def export(model, args, test, rows, p_yes, frames):
    """adapter.safetensors, base-items.bin, tokenizer.bin and interest.json (test samples, their prompts and
    labels, PyTorch P(yes))."""
    labels = labels_of(test)
    os.makedirs(args.export, exist_ok=True)
    write_safetensors(os.path.join(args.export, "adapter.safetensors"), adapter_tensors(model))
    with torch.no_grad():
        items = model.item_rows()  # [N, dim]
        write_extended_base(os.path.join(args.export, "base-items.bin"), args.base, items)
        max_len, pieces = read_tokenizer(args.tokenizer)
        write_tokenizer(os.path.join(args.export, "tokenizer.bin"), max_len, pieces, items.shape[0])
    json.dump({"r": model.r, "alpha": model.alpha, "baseVocab": model.base_vocab, "itemCount": items.shape[0],
               "layout": args.layout,
               "frames": frames, "answerIds": args.answer_ids, "prompts": rows,
               "samples": [{"history": h, "target": t} for _, h, t, _ in test], "labels": labels,
               "pYes": [float("%.7g" % v) for v in p_yes.tolist()], "auc": auc(p_yes.tolist(), labels)},
              open(os.path.join(args.export, "interest.json"), "w"), separators=(",", ":"))


if __name__ == "__main__":
    main()
