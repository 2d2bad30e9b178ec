"""Leave-one-out evaluation in two protocols (the TypeScript `npm run eval` is the authoritative one;
this copy drives early stopping and records provenance, and the two must agree).

full: rank the target among all items; sampled: among the target + 100 uniformly sampled items the
user never interacted with. Both exclude the user's history items; ties count against the target.
"""
import math

import numpy as np
import torch

from sasrec_data import window

KS = (1, 5, 10, 20)


def _ranks(model, cases, item_count, protocol, seed, batch=256):
    """cases: [(user, input items, target)] → 0-based ranks [len(cases)]."""
    rng = np.random.default_rng(seed)
    ranks = []
    model.eval()
    with torch.no_grad():
        for start in range(0, len(cases), batch):
            chunk = cases[start: start + batch]
            seqs = torch.as_tensor(np.stack([window(c[1], model.max_len, model.positions) for c in chunk]))
            scores = model.all_scores(model.last_hidden(seqs))  # [b, N+1]
            for r, (_, hist, target) in enumerate(chunk):
                s = scores[r]
                t = s[target].item()
                if protocol == "full":
                    excluded = torch.zeros(item_count + 1, dtype=torch.bool)
                    excluded[torch.as_tensor(hist)] = True
                    excluded[0] = True
                    excluded[target] = True
                    ranks.append(int(((s >= t) & ~excluded).sum()))
                else:
                    seen = set(hist)
                    seen.add(target)
                    negs = []
                    while len(negs) < 100:
                        c = int(rng.integers(1, item_count + 1))
                        if c not in seen:
                            negs.append(c)
                    ranks.append(int((s[torch.as_tensor(negs)] >= t).sum()))
    return np.asarray(ranks)


def summarize(ranks):
    """0-based ranks → {HR@k, NDCG@k, MRR, users}."""
    out = {"users": int(len(ranks)), "MRR": float(np.mean(1.0 / (ranks + 1)))}
    for k in KS:
        hit = ranks < k
        out[f"HR@{k}"] = float(hit.mean())
        out[f"NDCG@{k}"] = float(np.where(hit, 1.0 / np.log2(ranks + 2), 0.0).mean())
    return out


def evaluate(model, cases, item_count, protocols=("full", "sampled"), seed=0):
    """→ {protocol: metrics}."""
    return {p: summarize(_ranks(model, cases, item_count, p, seed)) for p in protocols}


def ndcg_at_10(metrics):
    return metrics["NDCG@10"] if not math.isnan(metrics["NDCG@10"]) else 0.0
