"""The explanation task inside rec_seq.py's training (issue 5): one model that re-ranks AND explains.

With `--explain-data <dir>` (train.jsonl / valid.jsonl / probes.jsonl from `npm run eval:explain-targets`,
training-split users only), every rec_seq step adds `--explain-weight` × the explanation task's loss
(explain_tune.target_loss: next-token cross-entropy on the target tokens after the verbaliser's prompt) on
`--explain-batch` targets to the next-item loss: the same LoRA and the same item-token model learn both.
The targets are drawn in shuffled passes over train.jsonl (seeded). Every rec_seq check also logs the
validation target loss and LLM2ER concept consistency (explain_tune.concept_consistency on the first
`--probes` validation probes); they are reported, not used to pick the checkpoint (rec_seq's --select is).
"""
import os

import numpy as np
import torch

from explain_tune import concept_consistency, mean_loss, read_jsonl, target_loss


def add_explain_args(parser):
    """--explain-data, --explain-weight, --explain-batch, --probes (rec_seq.py's joint-training options)."""
    parser.add_argument("--explain-data", default="", help="dir of npm run eval:explain-targets output: mixes "
                        "the explanation task into training (rec_joint.py); empty = next-item task only")
    parser.add_argument("--explain-weight", type=float, default=1.0, help="weight of the explanation loss")
    parser.add_argument("--explain-batch", type=int, default=4, help="explanation targets per step")
    parser.add_argument("--probes", type=int, default=30, help="validation concept probes scored per check")


class ExplainDataError(Exception):
    """The --explain-data directory lacks a file eval:explain-targets writes, or a file is empty."""


class ShuffledPasses:
    """A seeded order over a pool of `size` elements, pass after pass (each element once per pass), that a
    checkpoint can save and restore (rec_seq_checkpoint.py)."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.order, self.at = [], 0

    def take(self, size, count):
        """The next `count` indices into the pool (a new shuffled pass when one runs out)."""
        out = []
        while len(out) < count:
            if self.at >= len(self.order):
                self.order, self.at = self.rng.permutation(size).tolist(), 0
            step = self.order[self.at:self.at + count - len(out)]
            out += step
            self.at += len(step)
        return out

    def state(self):
        """Where the seeded order stands."""
        return {"rng": self.rng.bit_generator.state, "order": list(self.order), "at": self.at}

    def restore(self, state):
        """Continues the order from a `state()`."""
        self.rng.bit_generator.state = state["rng"]
        self.order, self.at = list(state["order"]), state["at"]


class ExplainTask(ShuffledPasses):
    """The explanation task's data, its seeded batch order, its loss and its per-check figures."""

    def __init__(self, data_dir, batch, probes, seed):
        parts = {}
        for name in ("train", "valid", "probes"):
            path = os.path.join(data_dir, f"{name}.jsonl")
            if not os.path.exists(path):
                raise ExplainDataError(f"{path} does not exist: run npm run eval:explain-targets -- --out {data_dir}")
            parts[name] = read_jsonl(path)
            if not parts[name]:
                raise ExplainDataError(f"{path} is empty")
        super().__init__(seed)
        self.train, self.valid, self.probes = parts["train"], parts["valid"], parts["probes"][:probes]
        self.batch = batch

    @classmethod
    def from_args(cls, args):
        """The task rec_seq.py's options ask for, or None without --explain-data."""
        if not args.explain_data:
            return None
        return cls(args.explain_data, args.explain_batch, args.probes, args.seed + 1)

    def next_rows(self):
        """The next `batch` training targets of the current shuffled pass (a new pass when one runs out)."""
        return [self.train[i] for i in self.take(len(self.train), self.batch)]

    def loss(self, model):
        """Explanation loss [scalar, with grad] on the next batch of training targets."""
        return target_loss(model, self.next_rows())

    @torch.no_grad()
    def check(self, model):
        """{"explainValidLoss", "consistency"} on the validation targets and probes (model left in eval mode)."""
        model.eval()
        return {"explainValidLoss": round(mean_loss(model, self.valid, 32), 4),
                "consistency": round(concept_consistency(model, self.probes), 4)}

    def summary(self, untuned, final):
        """rec.json's "explain" entry: data sizes, the untuned and the kept state's figures."""
        return {"task": "explanation targets (npm run eval:explain-targets), training-split users only",
                "trainTargets": len(self.train), "validTargets": len(self.valid), "probes": len(self.probes),
                "untuned": untuned, "kept": final,
                "selection": "not used to pick the state (reported); consistency = LLM2ER concept consistency"}
