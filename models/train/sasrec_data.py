"""Sequences, leave-one-out split, training windows and negative sampling for SASRec training.

Input file: `user item` per line (dense item ids 1..N), each user's lines in time order — the SASRec
format that the TypeScript data layer writes for every supported source.
"""
from collections import OrderedDict

import numpy as np
import torch


def read_sequences(path):
    """→ (list of per-user item lists in time order, item count N)."""
    users = OrderedDict()
    with open(path) as f:
        for line_no, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 2:
                raise ValueError(f"{path}:{line_no}: expected 'user item', got {line.strip()!r}")
            users.setdefault(parts[0], []).append(int(parts[1]))
    seqs = list(users.values())
    return seqs, max(max(s) for s in seqs)


def leave_one_out(seqs):
    """train = s[:-2]; valid: input s[:-2] → s[-2]; test: input s[:-1] → s[-1]. Users with < 3 items are
    kept for training only (their whole sequence), with no valid/test case."""
    train, valid, test = [], [], []
    for u, s in enumerate(seqs):
        if len(s) < 3:
            train.append(s)
            continue
        train.append(s[:-2])
        valid.append((u, s[:-2], s[-2]))
        test.append((u, s[:-1], s[-1]))
    return train, valid, test


def window(seq, max_len, positions):
    """Last max_len items of `seq` as a padded row [max_len]: from_start → left-aligned, right_aligned → right."""
    s = seq[-max_len:]
    row = np.zeros(max_len, dtype=np.int64)
    if positions == "from_start":
        row[: len(s)] = s
    else:
        row[max_len - len(s):] = s
    return row


class TrainWindows:
    """One training example per user per epoch: inputs s[e-L-1:e-1], targets s[e-L:e] for a window end e.

    mode 'last' uses the end of the sequence (the paper); 'random' picks e uniformly among the ends that
    keep at least 2 items (more varied windows for long histories)."""

    def __init__(self, train_seqs, max_len, positions, mode="last"):
        self.seqs = [np.asarray(s, dtype=np.int64) for s in train_seqs if len(s) >= 2]
        self.max_len, self.positions, self.mode = max_len, positions, mode

    def __len__(self):
        return len(self.seqs)

    def batch(self, user_idx, rng):
        """user_idx [B] → (inputs [B, L], targets [B, L], user rows [B] of the full train sequences)."""
        inputs = np.zeros((len(user_idx), self.max_len), dtype=np.int64)
        targets = np.zeros_like(inputs)
        for r, u in enumerate(user_idx):
            s = self.seqs[u]
            end = len(s) if self.mode == "last" else int(rng.integers(2, len(s) + 1))
            chunk = s[max(0, end - self.max_len - 1): end]
            inputs[r] = window(chunk[:-1].tolist(), self.max_len, self.positions)
            targets[r] = window(chunk[1:].tolist(), self.max_len, self.positions)
        return torch.from_numpy(inputs), torch.from_numpy(targets)


def sample_negatives(user_rows, targets, item_count, gen):
    """One negative per target position, uniform over items the user never interacted with.

    user_rows: list of B full train sequences; targets [B, L] → negatives [B, L] (0 where target is padding)."""
    B, L = targets.shape
    seen = torch.zeros(B, item_count + 1, dtype=torch.bool)  # [B, N+1]
    for r, s in enumerate(user_rows):
        seen[r, torch.as_tensor(s)] = True
    seen[:, 0] = True
    neg = torch.randint(1, item_count + 1, (B, L), generator=gen)
    for _ in range(100):
        bad = seen.gather(1, neg)
        if not bad.any():
            break
        neg[bad] = torch.randint(1, item_count + 1, (int(bad.sum()),), generator=gen)
    return neg * (targets > 0)
