"""Selection set, weight averaging and item content for rec_seq.py (the LLM as a second next-item model).

Selection set (--holdout K): the last K positions of every user's TRAINING split (at most len - 2, so each
kept training sequence has >= 2 items) are removed from the LLM's training windows and become selection
targets (prefix -> held-out item), together with the validation case (s[:-2] -> s[-2]). The checkpoint
average and the fusion weight w are chosen on those K + 1 targets per user instead of the 610 validation
items alone. SASRec was trained on the held-out positions (its own training split is untouched); its
candidates and scores for them are computed from the same prefixes, so both systems are compared on the
same cases. The test split is never read here.

Item content (--genres movies.csv): the item-token projection's input becomes [SASRec item embedding,
genre flags of the item] (MovieLens genre list), so rare items whose SASRec embedding is weak still carry
a content signal; the projected rows are baked into the GGUF, so the page's runtime is unchanged.
--years movies.csv adds the release year from the title ("Heat (1995)") as one-hot 5-year bins (before 1940 in
one bin, unknown year in its own), a content signal SASRec's co-occurrence embedding has only for common items.
"""
import csv
import json
import os
import re

import numpy as np
import torch

from rec_tune import W_GRID, fused

LATEST_GENRES = ("(no genres listed)", "Action", "Adventure", "Animation", "Children", "Comedy", "Crime",
                 "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "IMAX", "Musical", "Mystery", "Romance",
                 "Sci-Fi", "Thriller", "War", "Western")


class ItemGenresError(ValueError):
    """The movies file does not cover the SASRec model's items."""


def hold_out(train_seqs, k):
    """train_seqs (per-user item lists) → (LLM training sequences, [(user, prefix, held-out item)]).

    Per user the last min(k, len - 2) positions are held out (oldest first in the returned list)."""
    kept, held = [], []
    for u, s in enumerate(train_seqs):
        n = max(0, min(k, len(s) - 2))
        kept.append(s[:len(s) - n])
        held.extend((u, s[:len(s) - j], s[len(s) - j]) for j in range(n, 0, -1))
    return kept, held


def read_movies(sasrec_dir, movies_csv):
    """(the SASRec model's item keys [N] (dense id i = keys[i - 1]), {movieId: movies.csv row})."""
    keys = json.load(open(os.path.join(sasrec_dir, "items.json")))
    with open(movies_csv, newline="", encoding="utf-8") as f:
        rows = {rec["movieId"]: rec for rec in csv.DictReader(f)}
    missing = [k for k in keys if k not in rows]
    if missing:
        raise ItemGenresError(f"{movies_csv} lacks {len(missing)} of the model's items (e.g. {missing[:3]}); "
                              "pass the movies.csv of the data set the SASRec model was trained on")
    return keys, rows


def genre_flags(sasrec_dir, movies_csv):
    """[N + 1, 20] float genre flags of the SASRec model's items (dense id i = items.json[i - 1]), row 0 = 0."""
    keys, rows = read_movies(sasrec_dir, movies_csv)
    out = np.zeros((len(keys) + 1, len(LATEST_GENRES)), dtype=np.float32)  # [N + 1, 20]
    for i, key in enumerate(keys, 1):
        for g in rows[key]["genres"].split("|"):
            if g in LATEST_GENRES:
                out[i, LATEST_GENRES.index(g)] = 1
    return torch.from_numpy(out)


YEAR_BINS = list(range(1940, 2020, 5))  # bin j: [YEAR_BINS[j - 1], YEAR_BINS[j]); 0: before 1940; last: 2015+


def year_flags(sasrec_dir, movies_csv):
    """[N + 1, len(YEAR_BINS) + 2] one-hot release-year bins of the SASRec model's items from the title's
    trailing "(YYYY)"; the last column flags an unknown year; row 0 (padding) = 0."""
    keys, rows = read_movies(sasrec_dir, movies_csv)
    out = np.zeros((len(keys) + 1, len(YEAR_BINS) + 2), dtype=np.float32)  # [N + 1, 18]
    for i, key in enumerate(keys, 1):
        found = re.search(r"\((\d{4})\)\s*$", rows[key]["title"].strip())
        out[i, int(np.searchsorted(YEAR_BINS, int(found.group(1)), side="right")) if found else -1] = 1
    return torch.from_numpy(out)


def item_inputs(sasrec_items, flags, scale):
    """The projection's input [N + 1, d + F]: SASRec item embeddings [N + 1, d] next to `scale` × content
    flags [N + 1, F] (genres, years; scale ≈ the embeddings' typical magnitude, so neither part dominates at
    the start)."""
    return torch.cat([sasrec_items, scale * flags], 1)


def average_states(states):
    """Element-wise mean of state dicts (same keys and shapes) — weight averaging along one run (SWA)."""
    return {k: sum(s[k] for s in states) / len(states) for k in states[0]}


def per_case_ndcg(scores, target_index):
    """NDCG@10 per case [n] when the target sits at target_index (-1: not retrieved → 0); scores [n, C]."""
    out = np.zeros(len(target_index))
    for i, (row, t) in enumerate(zip(scores, target_index)):
        if t >= 0:
            rank = int((row > row[t]).sum() + ((row == row[t]).sum() - 1))  # pessimistic ties
            out[i] = 1 / np.log2(rank + 2) if rank < 10 else 0.0
    return out


def weight_table(sas, logits, target_index, users, seed=0, draws=1000):
    """Fused NDCG@10 / HR@10 per w of W_GRID on one case set; sas, logits [n, C]; users [n] (cases of one
    user are resampled together in the paired bootstrap of best w minus w = 0).

    → (best w, {str(w): {"ndcg10", "hr10"}}, {"delta", "low", "high"} of NDCG@10 at best w − SASRec)."""
    per_w = {w: per_case_ndcg(fused(sas, logits, w), target_index) for w in W_GRID}
    table = {str(w): {"ndcg10": float(v.mean()), "hr10": float((v > 0).mean())} for w, v in per_w.items()}
    best = max(W_GRID, key=lambda w: (table[str(w)]["ndcg10"], -w))
    diff = per_w[best] - per_w[0.0]  # [n]
    ids, index = np.unique(users, return_inverse=True)
    sums = np.bincount(index, weights=diff, minlength=len(ids))  # [users]
    counts = np.bincount(index, minlength=len(ids))  # [users]
    rng = np.random.default_rng(seed)
    picks = [rng.integers(0, len(ids), len(ids)) for _ in range(draws)]
    low, high = np.percentile([sums[p].sum() / counts[p].sum() for p in picks], [2.5, 97.5])
    return best, table, {"delta": float(diff.mean()), "low": float(low), "high": float(high)}
