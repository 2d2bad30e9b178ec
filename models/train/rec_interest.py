"""TALLRec interest classification with stories260K + LoRA + item tokens (PyTorch, CPU).

For each training-set size (16 / 64 / 256) and seed: draw that many samples from the time-ordered train
pool (rec_interest_data.py), tune LoRA (q, k, v, o, gate, up, down) and the item-token projection (an MLP
of the item's 19 MovieLens genre flags: the items' only features here) with binary cross-entropy on
logit(Yes) - logit(No), for a fixed number of steps (no tuning on test; nothing tuned on validation), and
report test AUC. Baselines in the same run: SASRec trained on the same samples (rec_interest_sasrec.py,
as in TALLRec's table), the untuned base, the history's liked fraction (the user's
recent mean taste), and the target item's like rate in the whole train pool (popularity; it sees more
data than the few-shot models). --export DIR writes the last size/seed's adapter, extended base,
tokenizer and the test prompts with PyTorch's P(yes) (for npm run eval:interest: our runtime's AUC).

usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 models/train/rec_interest.py --data ../shared/data/ml-100k
  --base <stories260K.bin> --tokenizer <tok512.bin> --out results.json [--sizes 16,64,256 --seeds 3]
"""
import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from llama_ref import load
from rec_data import pad
from rec_interest_data import (ANSWERS, FRAMES, LIKED, auc, draw, interest_samples, prompt_tokens, read_genres,
                               read_ml100k, split_by_time, synthetic_users)
from rec_interest_sasrec import sasrec_interest
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
    p.add_argument("--steps", type=int, default=60)
    add_lora_args(p, batch=16)
    p.add_argument("--test-cap", type=int, default=1000, help="test samples (seeded draw, same for every run)")
    p.add_argument("--export", default="", help="directory for the last run's adapter + test prompts")
    return p.parse_args(argv)


def yes_no_logit(model, rows, answer_ids):
    """token rows → [B] logit(Yes) - logit(No) at each row's last token."""
    tokens, lengths = pad(rows)
    hs = model.hidden(tokens)  # [B, T, dim]
    last = hs[torch.arange(tokens.shape[0]), lengths - 1]  # [B, dim]
    emb = model.base["emb"]  # [base vocab, dim] (tied classifier)
    return last @ (emb[answer_ids[0]] - emb[answer_ids[1]])


@torch.no_grad()
def predict(model, rows, answer_ids, batch=128):
    """[n] P(yes) for token rows."""
    model.eval()
    return torch.cat([yes_no_logit(model, rows[i:i + batch], answer_ids).sigmoid()
                      for i in range(0, len(rows), batch)])


def tune(model, rows, labels, args, seed):
    """LoRA + projection, BCE, `args.steps` Adam steps over seeded minibatches; returns the last loss."""
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=args.lr)
    rng = np.random.default_rng(seed)
    y = torch.tensor(labels, dtype=torch.float32)  # [n]
    loss = torch.tensor(0.0)
    for _ in range(args.steps):
        model.train()
        pick = rng.choice(len(rows), size=min(args.batch, len(rows)), replace=False)
        logit = yes_no_logit(model, [rows[i] for i in pick], args.answer_ids)  # [b]
        loss = F.binary_cross_entropy_with_logits(logit, y[torch.from_numpy(pick)])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return float(loss)


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
    """(samples, item features [N+1, 19]) from MovieLens-100K or the synthetic log (parity feature)."""
    if args.synthetic:
        users = synthetic_users(60, 40, 30, seed=3)
        feats = np.zeros((41, 19), dtype=np.float32)  # [N+1, 19]
        feats[1:, 0] = np.arange(1, 41) % 2
        return interest_samples(users), feats
    users = read_ml100k(os.path.join(args.data, "u.data"))
    item_count = max(i for rows in users.values() for _, i, _ in rows)
    return interest_samples(users), read_genres(os.path.join(args.data, "u.item"), item_count)


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(1)
    samples, feats = load_samples(args)
    pool, _, test_all = split_by_time(samples)
    test = draw(test_all, args.test_cap, seed=0)
    test_labels = [y for _, _, _, y in test]
    cfg, w = load(args.base)
    max_len, pieces = read_tokenizer(args.tokenizer)
    frames = {f: encode(pieces, f) for f in FRAMES}
    args.answer_ids = [encode(pieces, a)[0] for a in ANSWERS]
    assert args.answer_ids[0] != args.answer_ids[1], "Yes and No must start with different tokens"
    base_vocab = w["emb"].shape[0]
    rows_of = lambda ss: [prompt_tokens(frames, h, t, base_vocab) for _, h, t, _ in ss]
    test_rows = rows_of(test)
    item_feats = torch.from_numpy(feats)  # [N+1, 19]
    torch.manual_seed(0)  # the untuned projection's initialisation
    untuned = RecLlama(cfg, w, item_feats, r=args.r, alpha=args.alpha)
    results = {"protocol": "TALLRec ML-100K: 10 most recent items, rating > 3 liked, time split 8:1:1",
               "poolSize": len(pool), "testSize": len(test), "testPositiveRate": float(np.mean(test_labels)),
               "baselines": baselines(pool, test),
               "untunedBase": auc(predict(untuned, test_rows, args.answer_ids).tolist(), test_labels),
               "config": {k: getattr(args, k) for k in ("steps", "batch", "lr", "r", "alpha")}, "runs": []}
    print(json.dumps({k: results[k] for k in ("poolSize", "testSize", "baselines", "untunedBase")}), flush=True)
    model = None
    for size in [int(s) for s in args.sizes.split(",")]:
        for seed in range(args.seeds):
            torch.manual_seed(seed)
            train = draw(pool, size, seed=1000 + seed)
            model = RecLlama(cfg, w, item_feats, r=args.r, alpha=args.alpha)
            started = time.time()
            loss = tune(model, rows_of(train), [y for _, _, _, y in train], args, seed)
            p = predict(model, test_rows, args.answer_ids)
            seconds = round(time.time() - started, 1)
            sas = sasrec_interest(train, test, len(feats) - 1, seed)
            run = {"size": size, "seed": seed, "auc": auc(p.tolist(), test_labels), "sasrecAuc": auc(sas, test_labels),
                   "loss": round(loss, 4), "seconds": seconds}
            results["runs"].append(run)
            print(json.dumps(run), flush=True)
    results["summary"] = summarise(results["runs"])
    results["sasrecSummary"] = summarise(results["runs"], "sasrecAuc")
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
    labels = [y for _, _, _, y in test]
    os.makedirs(args.export, exist_ok=True)
    write_safetensors(os.path.join(args.export, "adapter.safetensors"), adapter_tensors(model))
    with torch.no_grad():
        items = model.item_rows()  # [N, dim]
        write_extended_base(os.path.join(args.export, "base-items.bin"), args.base, items)
        max_len, pieces = read_tokenizer(args.tokenizer)
        write_tokenizer(os.path.join(args.export, "tokenizer.bin"), max_len, pieces, items.shape[0])
    json.dump({"r": model.r, "alpha": model.alpha, "baseVocab": model.base_vocab, "itemCount": items.shape[0],
               "frames": frames, "answerIds": args.answer_ids, "prompts": rows,
               "samples": [{"history": h, "target": t} for _, h, t, _ in test], "labels": labels,
               "pYes": [float("%.7g" % v) for v in p_yes.tolist()], "auc": auc(p_yes.tolist(), labels)},
              open(os.path.join(args.export, "interest.json"), "w"), separators=(",", ":"))


if __name__ == "__main__":
    main()
