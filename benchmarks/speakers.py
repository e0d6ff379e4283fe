"""Speakers: how well the offline voice grouping (transcription/voices.py) tells voices apart.

On the synthetic meetings (transcription/testing/recordings.py: espeak-ng voices with the exact
script, who said what from when to when), the script's lines are used as the segments, so the
figures measure the voices alone, not Whisper's segmentation. For each meeting it prints:

- voices found against the true number;
- purity (the share of segments, weighted by their length, whose group's main speaker said them:
  1.0 means no group mixes people) and coverage (the share whose speaker's main group holds
  them: 1.0 means nobody is split over groups);
- B-cubed precision, recall and F1 (per segment, unweighted);
- the share of speech time attributed to the right person when each group is mapped to its main
  speaker (one group per person; what an officer mapping "Speaker 2 is Cllr Roche" would get);
- seconds taken (decoding and features, then grouping) and the real-time factor.

    .venv/bin/python benchmarks/speakers.py [--threshold 1.0] [--sweep] [--looped-minutes 0]

`--sweep` prints the figures for a range of thresholds (to tune `DISTANCE_THRESHOLD`);
`--looped-minutes 60` also times an hour of audio (the long meeting repeated; no figures of
accuracy, as the same voices repeat) and reports peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "governance.settings.dev")

from transcription import voices  # noqa: E402
from transcription.testing import recordings  # noqa: E402


def score(truth: list[str], found: list[int | None], lengths: list[float]) -> dict:
    """Purity, coverage, B-cubed and time attributed rightly, for segments' true and found
    labels (None counts as a group of its own per segment)."""
    found = [f if f is not None else f"none-{i}" for i, f in enumerate(found)]
    total = sum(lengths)
    by_group: dict = defaultdict(Counter)
    by_person: dict = defaultdict(Counter)
    for person, group, length in zip(truth, found, lengths, strict=True):
        by_group[group][person] += length
        by_person[person][group] += length
    purity = sum(max(c.values()) for c in by_group.values()) / total
    coverage = sum(max(c.values()) for c in by_person.values()) / total
    # B-cubed, each segment counted once.
    count = len(truth)
    precision = recall = 0.0
    for i in range(count):
        same_group = [j for j in range(count) if found[j] == found[i]]
        same_person = [j for j in range(count) if truth[j] == truth[i]]
        both = sum(1 for j in same_group if truth[j] == truth[i])
        precision += both / len(same_group)
        recall += both / len(same_person)
    precision, recall = precision / count, recall / count
    f1 = 2 * precision * recall / (precision + recall)
    # Map each group to a person, greedily by shared time, one group per person.
    pairs = sorted(
        ((length, group, person) for group, c in by_group.items() for person, length in c.items()),
        reverse=True,
    )
    mapped: dict = {}
    taken: set = set()
    for _length, group, person in pairs:
        if group not in mapped and person not in taken:
            mapped[group] = person
            taken.add(person)
    right = sum(
        length
        for person, group, length in zip(truth, found, lengths, strict=True)
        if mapped.get(group) == person
    )
    return {
        "groups": len(by_group),
        "purity": purity,
        "coverage": coverage,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "attributed": right / total,
    }


def analyse(recording) -> tuple[list, float]:
    started = time.perf_counter()
    stretches = [voices.Stretch(i, line.start, line.end) for i, line in enumerate(recording.lines)]
    found = voices.voices_of(recording.path, stretches)
    return [found[i] for i in range(len(stretches))], time.perf_counter() - started


def report(name, recording, threshold, sweep):
    truth = [line.speaker for line in recording.lines]
    lengths = [line.end - line.start for line in recording.lines]
    segment_voices, feature_seconds = analyse(recording)
    started = time.perf_counter()
    labels = voices.group_segments(segment_voices, threshold=threshold)
    group_seconds = time.perf_counter() - started
    figures = score(truth, labels, lengths)
    elapsed = feature_seconds + group_seconds
    print(
        f"{name}: {recording.duration / 60:.1f} min, {len(truth)} segments, "
        f"{len(set(truth))} voices; found {figures['groups']} at threshold {threshold}"
    )
    print(
        f"  purity {figures['purity']:.2f}  coverage {figures['coverage']:.2f}  "
        f"B-cubed P {figures['precision']:.2f} R {figures['recall']:.2f} "
        f"F1 {figures['f1']:.2f}  time rightly attributed {figures['attributed']:.0%}"
    )
    print(
        f"  {elapsed:.1f} s ({feature_seconds:.1f} s reading and features, "
        f"{group_seconds:.2f} s grouping); real-time factor {elapsed / recording.duration:.3f}"
    )
    if sweep:
        print("  threshold  groups  purity  coverage  F1    attributed")
        for step in range(4, 21):
            value = step / 10
            figures = score(truth, voices.group_segments(segment_voices, threshold=value), lengths)
            print(
                f"  {value:9.2f}  {figures['groups']:6d}  {figures['purity']:6.2f}  "
                f"{figures['coverage']:8.2f}  {figures['f1']:.2f}  {figures['attributed']:.0%}"
            )


def looped(minutes):
    recording = recordings.long_meeting()
    path = recordings.looped_recording(recording, minutes)
    # Script lines repeated at each loop, as segments.
    stretches = []
    loop = 0
    while loop * recording.duration < minutes * 60:
        offset = loop * recording.duration
        stretches += [
            voices.Stretch((loop, i), offset + line.start, offset + line.end)
            for i, line in enumerate(recording.lines)
            if offset + line.end <= minutes * 60
        ]
        loop += 1
    started = time.perf_counter()
    found = voices.voices_of(path, stretches)
    labels = voices.group_segments([found[s.key] for s in stretches])
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"looped {minutes} min: {len(stretches)} segments, {len(set(labels))} groups, "
        f"{elapsed:.1f} s (real-time factor {elapsed / (minutes * 60):.3f}), "
        f"peak memory of this process {peak:.0f} MB"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threshold", type=float, default=voices.DISTANCE_THRESHOLD)
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--looped-minutes", type=int, default=0)
    options = parser.parse_args()
    report("short meeting", recordings.short_meeting(), options.threshold, options.sweep)
    report("long meeting", recordings.long_meeting(), options.threshold, options.sweep)
    if options.looped_minutes:
        looped(options.looped_minutes)


if __name__ == "__main__":
    main()
