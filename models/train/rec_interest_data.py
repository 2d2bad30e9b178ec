"""TALLRec interest samples (MovieLens-100K protocol) and their item-token prompts.

Protocol (TALLRec, movie setting): each user's ratings in time order; a sample is (the 10 most recent
earlier items with their ratings, target item, label = target rating > 3). All samples are ordered by
the target's timestamp and split 8:1:1 (train pool / validation / test), so the test set lies after
every training sample in time. Training sets of 16 / 64 / 256 samples are drawn (seeded) from the pool.

Prompt (token ids, docs/PROMPTS.md "TALLRec interest, item tokens"), two layouts:
  grouped: BOS + ids("liked:") + liked history item tokens + ids("disliked:") + disliked history item
           tokens + ids("target:") + target item token + ids("answer:");
  marked:  BOS + ids("history:") + per history item, oldest first: its item token + the yes token if
           liked else the no token + ids("target:") + target item token + ids("answer:").
P(yes) = sigmoid(logit(yes) - logit(no)) at the last position (the first tokens of " yes" / " no" in
the base vocabulary).
"""
import numpy as np

HISTORY = 10
LIKED = 3  # ratings > LIKED are "liked"
FRAMES = ("liked:", "disliked:", "history:", "target:", "answer:")
LAYOUTS = ("grouped", "marked")
ANSWERS = ("yes", "no")  # first tokens " y" / " n" in tok512 ("Yes"/"No" both start with " ")


def read_ml100k(path):
    """u.data (user item rating time, tab-separated) → {user: [(time, item, rating)] in time order}."""
    users = {}
    for line in open(path):
        u, i, r, t = (int(x) for x in line.split())
        users.setdefault(u, []).append((t, i, r))
    return {u: sorted(rows) for u, rows in users.items()}


def read_genres(path, item_count):
    """u.item → [item_count + 1, 19] float genre flags (row 0 = padding, zeros)."""
    out = np.zeros((item_count + 1, 19), dtype=np.float32)  # [N+1, 19]
    for line in open(path, encoding="latin-1"):
        parts = line.rstrip("\n").split("|")
        out[int(parts[0])] = [float(x) for x in parts[-19:]]
    return out


def interest_samples(users):
    """{user: rows} → samples (time, history [(item, rating)] x HISTORY, target item, label 0/1), time order."""
    out = []
    for rows in users.values():
        for k in range(HISTORY, len(rows)):
            t, item, rating = rows[k]
            history = [(i, r) for _, i, r in rows[k - HISTORY:k]]
            out.append((t, history, item, int(rating > LIKED)))
    out.sort(key=lambda s: s[0])
    return out


def labels_of(samples):
    """[n] 0/1 labels of samples."""
    return [y for _, _, _, y in samples]


def split_by_time(samples):
    """Time-ordered samples → (train pool, validation, test) at 80% / 90%."""
    a, b = int(len(samples) * 0.8), int(len(samples) * 0.9)
    return samples[:a], samples[a:b], samples[b:]


def draw(samples, count, seed):
    """`count` samples drawn without replacement with numpy seed `seed`."""
    idx = np.random.default_rng(seed).choice(len(samples), size=min(count, len(samples)), replace=False)
    return [samples[i] for i in sorted(idx)]


def disjoint_draws(samples, counts, seed):
    """Disjoint seeded draws of `counts` samples each (time order inside each draw)."""
    idx = np.random.default_rng(seed).permutation(len(samples))
    out, at = [], 0
    for c in counts:
        out.append([samples[i] for i in sorted(idx[at:at + c])])
        at += c
    return out


def prompt_tokens(frames, history, target, base_vocab, layout="grouped", marks=None):
    """One interest prompt as token ids (see the module comment); item id i → token base_vocab + i - 1;
    `marks` = [yes token, no token] (layout "marked")."""
    tok = lambda i: base_vocab + int(i) - 1
    tail = frames["target:"] + [tok(target)] + frames["answer:"]
    if layout == "marked":
        body = [t for i, r in history for t in (tok(i), marks[0] if r > LIKED else marks[1])]
        return [1] + frames["history:"] + body + tail
    liked = [tok(i) for i, r in history if r > LIKED]
    disliked = [tok(i) for i, r in history if r <= LIKED]
    return [1] + frames["liked:"] + liked + frames["disliked:"] + disliked + tail


def auc(scores, labels):
    """ROC AUC with ties counted half (Mann-Whitney); 0.5 when one class is absent."""
    s, y = np.asarray(scores, dtype=np.float64), np.asarray(labels)
    pos, neg = s[y == 1], s[y == 0]
    if len(pos) == 0 or len(neg) == 0:
        return 0.5
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    ranks = np.empty(len(order))
    allv = np.concatenate([pos, neg])[order]
    i = 0
    while i < len(allv):  # average ranks over ties
        j = i
        while j + 1 < len(allv) and allv[j + 1] == allv[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def synthetic_users(user_count, item_count, per_user, seed):
    """Seeded toy log for tests: every user likes the even items (rating 5) and not the odd ones (1)."""
    rng = np.random.default_rng(seed)
    users = {}
    for u in range(1, user_count + 1):
        items = rng.choice(np.arange(1, item_count + 1), size=per_user, replace=False)
        users[u] = [(u * 1000 + k, int(i), 5 if int(i) % 2 == 0 else 1) for k, i in enumerate(items)]
    return users
