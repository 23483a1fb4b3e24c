"""The ROADEF 2005 format and objective: parsing with clear errors, and the sequencer's
cost agreeing with the challenge's score computed by separate code."""

import pytest

from orders.planning import roadef
from orders.planning.sequencer import sequence

# 10 cars, 2 options (high 1/2, low 1/3), 3 classes; paint limit 3; order high > colour >
# low; 2 fixed cars from yesterday; then Renault's sequence of today's 8 cars.
TINY = """10 2 3 3 2 2
1 2 1
1 3 0
0 4 1 0
1 4 0 1
2 2 1 1
0 1 0 0 0 2 1 1 1 2
"""


def test_a_tiny_instance_is_read_with_yesterdays_cars_fixed():
    instance = roadef.parse(TINY, "tiny")

    assert instance.fixed == [0, 1]
    assert len(instance.renault) == 8
    assert instance.weights() == {"high": 1_000_000, "colour": 1_000, "low": 1}


def test_the_sequencer_cost_is_the_challenge_score_and_beats_renaults_sequence():
    instance = roadef.parse(TINY, "tiny")

    found = sequence(instance.problem(), seed=2, moves=200_000)
    ours = roadef.score(instance, found.order.tolist())
    theirs = roadef.score(instance, instance.renault)

    assert ours["objective"] == found.cost
    assert ours["paint_ok"]
    assert ours["objective"] <= theirs["objective"]
    assert sorted(found.order.tolist()) == sorted(instance.renault)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1 2", "header"),
        ("10 2 3 3 9 2\n", "objective order 9"),
        (TINY.replace("1 1 1 2\n", "1 1 1\n"), "10 cars announced, 9 listed"),
        (TINY.replace("0 4 1 0", "0 5 1 0"), "class 0 has 5 cars, the sequence 4"),
        (TINY.replace("1 2 1\n", "1 x 1\n"), "invalid literal"),
    ],
)
def test_a_broken_roadef_file_is_refused_naming_what_is_wrong(text, message):
    with pytest.raises(roadef.InstanceError, match=message):
        roadef.parse(text, "broken")
