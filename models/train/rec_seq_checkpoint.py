"""Checkpoint and resume for rec_seq.py (a session's background jobs end with it; a run must survive that).

At every check rec_seq.py writes <out>/checkpoint.pt: the step, the model's trainable state, the optimiser and
learning-rate schedule, every random stream the next steps draw from (torch's global generator: dropout; the
window sampler's numpy generator; each side task's pass order), the states kept for --swa, the best state
so far, the log and the training seconds spent. `--resume` continues from it; the resumed run takes the same
steps as an uninterrupted one (test/train/rec-seq.test.ts compares the two), and --max-minutes counts the
seconds of both parts. The file is replaced atomically, so a run killed while writing keeps the previous one.
"""
import os

import torch

from rec_llama import trainable_state

NAME = "checkpoint.pt"


class CheckpointMismatchError(Exception):
    """--resume found a checkpoint written with other options than this run's."""


def save(out, step, seconds, model, opt, schedule, rng, tasks, recent, best, log, options):
    """Writes <out>/checkpoint.pt after `step` (atomic: a temporary file, then a rename)."""
    state = {"step": step, "seconds": seconds, "model": trainable_state(model), "opt": opt.state_dict(),
             "schedule": schedule.state_dict(), "torchRng": torch.get_rng_state(), "rng": rng.bit_generator.state,
             "tasks": {name: task.state() for name, (_, task) in tasks.items()}, "recent": recent, "best": best, "log": log,
             "options": options}
    path = os.path.join(out, NAME)
    torch.save(state, path + ".tmp")
    os.replace(path + ".tmp", path)


def load(out, model, opt, schedule, rng, tasks, options):
    """Restores a run from <out>/checkpoint.pt → (step, seconds, recent, best, log), or None if there is none."""
    path = os.path.join(out, NAME)
    if not os.path.exists(path):
        return None
    state = torch.load(path)
    if state["options"] != options:
        changed = sorted(k for k in set(options) | set(state["options"]) if options.get(k) != state["options"].get(k))
        raise CheckpointMismatchError(f"{path} was written with other options ({', '.join(changed)}): resume "
                                      "with the same options, or pass another --out to start afresh")
    model.load_state_dict(state["model"], strict=False)
    opt.load_state_dict(state["opt"])
    schedule.load_state_dict(state["schedule"])
    torch.set_rng_state(state["torchRng"])
    rng.bit_generator.state = state["rng"]
    for name, (_, task) in tasks.items():
        task.restore(state["tasks"][name])
    return state["step"], state["seconds"], state["recent"], state["best"], state["log"]
