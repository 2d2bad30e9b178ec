"""Item features and the second (stage-1) data set of the TALLRec interest task (rec_interest.py).

Item features (the input of the item-token projection), one row per item, row 0 = padding:
  - "genres": the 19 MovieLens-100K genre flags (u.genre order);
  - "genres+stats": those + 2 columns computed from a set of EARLIER samples only (for ML-100K the
    train pool, whose targets all lie before the validation and test periods): the item's like rate
    smoothed toward the samples' mean, and log(1 + its sample count), each standardised over items;
  - "genres+external": the same 2 columns, but for ML-100K items computed from OTHER people's ratings:
    all of ml-latest-small, matched by title and year (no ML-100K rating enters; unmatched items get 0,
    the mean) — the kind of item reputation a large LLM brings from pretraining.
Stage-1 data set: MovieLens ml-latest-small (610 other users, 1996-2018, half-star ratings; > 3 liked),
its genres mapped onto the ML-100K order ("Children" → "Children's", "(no genres listed)" → "unknown",
IMAX dropped). Its samples are cut in time: the first STAGE1_FEATURE_SHARE give the item statistics,
the rest are stage-1 training samples (the same past → future arrangement as ML-100K's pool → test).
"""
import csv
import os
import re

import numpy as np

from rec_interest_data import interest_samples

GENRES = ("unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
          "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western")
LATEST_ALIASES = {"Children": "Children's", "(no genres listed)": "unknown"}
FEATURE_SETS = ("genres", "genres+stats", "genres+external")
STAGE1_FEATURE_SHARE = 0.7
PRIOR_WEIGHT = 10  # pseudo-samples pulling an item's like rate toward the mean


class FeatureSetError(ValueError):
    """An unknown --features value."""


def read_ml_latest(path):
    """ml-latest-small dir → (users {user: [(time, item, rating)] time order} with dense item ids 1..N,
    genre flags [N+1, 19] in GENRES order, titles [N+1] ("" at 0))."""
    ids, rows, titles = {}, [np.zeros(len(GENRES), dtype=np.float32)], [""]
    with open(os.path.join(path, "movies.csv"), newline="", encoding="utf-8") as f:
        for rec in csv.DictReader(f):
            ids[rec["movieId"]] = len(rows)
            titles.append(rec["title"])
            flags = np.zeros(len(GENRES), dtype=np.float32)  # [19]
            for g in rec["genres"].split("|"):
                g = LATEST_ALIASES.get(g, g)
                if g in GENRES:
                    flags[GENRES.index(g)] = 1
            rows.append(flags)
    users = {}
    with open(os.path.join(path, "ratings.csv"), newline="") as f:
        for rec in csv.DictReader(f):
            users.setdefault(int(rec["userId"]), []).append(
                (int(rec["timestamp"]), ids[rec["movieId"]], float(rec["rating"])))
    return {u: sorted(r) for u, r in users.items()}, np.stack(rows), titles  # genres [N+1, 19]


def read_ml100k_titles(path):
    """u.item → titles [N+1] ("" at 0)."""
    out = [""]
    for line in open(path, encoding="latin-1"):
        out.append(line.split("|")[1])
    return out


def title_keys(title):
    """Match keys of a MovieLens title: (name, year) with parenthesised parts, a trailing or leading article
    and punctuation dropped; the second key keeps only the part before a colon."""
    m = re.search(r"\((\d{4})\)\s*$", title.strip())
    year = m.group(1) if m else ""
    name = re.sub(r"\([^)]*\)", " ", title).lower().strip()
    name = re.sub(r",\s*(the|a|an|il|la|le|les|l')$", "", name).strip()
    name = re.sub(r"^(the|a|an)\s+", "", name)
    return [(re.sub(r"[^a-z0-9]", "", n), year) for n in (name, name.split(":")[0])]


def external_stats(titles, latest_dir):
    """[N+1, 2] item_stats of all ml-latest-small samples, moved onto the items of `titles` [N+1] by
    title_keys (unmatched → 0); returns (stats, matched item count)."""
    users, _, latest_titles = read_ml_latest(latest_dir)
    stats = item_stats(interest_samples(users), len(latest_titles) - 1)  # [M+1, 2]
    index = {}
    for i, t in enumerate(latest_titles[1:], 1):
        for k in title_keys(t):
            index.setdefault(k, i)
    out = np.zeros((len(titles), 2), dtype=np.float32)  # [N+1, 2]
    matched = 0
    for i, t in enumerate(titles[1:], 1):
        hit = next((index[k] for k in title_keys(t) if k in index), None)
        if hit is not None:
            out[i], matched = stats[hit], matched + 1
    return out, matched


def item_stats(samples, item_count):
    """[N+1, 2] (standardised smoothed like rate, standardised log(1 + count)) of each item as a target in
    `samples` (time, history, target, label); rows of unseen items and row 0 are 0 (= the mean)."""
    likes = np.zeros(item_count + 1)
    counts = np.zeros(item_count + 1)
    for _, _, t, y in samples:
        likes[t] += y
        counts[t] += 1
    prior = likes.sum() / max(counts.sum(), 1)
    rate = (likes + PRIOR_WEIGHT * prior) / (counts + PRIOR_WEIGHT)  # [N+1]
    logc = np.log1p(counts)  # [N+1]
    out = np.zeros((item_count + 1, 2), dtype=np.float32)  # [N+1, 2]
    seen = counts > 0
    for col, v in enumerate((rate, logc)):
        sd = v[seen].std() or 1.0
        out[seen, col] = (v[seen] - v[seen].mean()) / sd
    return out


def item_features(kind, genres, stats):
    """[N+1, F] projection input for feature set `kind` (FEATURE_SETS): genres [N+1, 19], then for the
    stats kinds the item statistics `stats` [N+1, 2] (item_stats or external_stats)."""
    if kind not in FEATURE_SETS:
        raise FeatureSetError(f"--features {kind!r}: use one of {', '.join(FEATURE_SETS)}")
    return genres if kind == "genres" else np.concatenate([genres, stats], 1)


def stage1_split(samples):
    """Time-ordered samples → (feature samples: the first STAGE1_FEATURE_SHARE, stage-1 training samples)."""
    cut = int(len(samples) * STAGE1_FEATURE_SHARE)
    return samples[:cut], samples[cut:]
