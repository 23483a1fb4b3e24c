import pytest

from catalog.services import version_new_draft, version_publish
from configurator.compiled import counter_for, forget_all, learn_variable_order
from configurator.models import CountingOrder
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db


def post(client, slug: str, action: str, body: dict):
    return client.post(f"/api/products/{slug}/{action}/", body, content_type="application/json")


def states(answer: dict) -> dict[str, dict]:
    return {s["code"]: s for s in answer["states"]}


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_can_evaluate_a_published_catalog(personas, maker_a, persona):
    response = post(personas[persona], "rover-a", "evaluate", {"options": ["WHITE"]})

    assert response.status_code == 200
    answer = response.json()
    assert answer["version"] == 1
    assert states(answer)["WHITE"]["state"] == "selected"
    assert answer["price"]["total"] == "100000.00"


def test_excluded_options_carry_the_rule_and_choice_in_words(client, maker_a):
    answer = post(client, "rover-a", "evaluate", {"options": ["TOWBAR"]}).json()

    red = states(answer)["RED"]
    assert red["state"] == "excluded"
    assert red["reason"] == {
        "rules": ["R2"],
        "choices": ["TOWBAR"],
        "text": "Not with Tow bar (Extras): No red tow cars.",
    }
    assert [m["field"] for m in answer["missing"]] == ["PAINT", "WHEELS"]
    assert answer["valid"] is True
    assert answer["complete"] is False


def test_counts_are_exact_before_and_after_the_order_is_learned(client, maker_a):
    first = post(client, "rover-a", "evaluate", {}).json()

    learn_variable_order(maker_a.published)
    forget_all()  # a new process compiles from the stored, sifted order
    second = post(client, "rover-a", "evaluate", {}).json()
    narrowed = post(client, "rover-a", "evaluate", {"options": ["RED"]}).json()

    # PAINT x WHEELS x EXTRAS (up to 2 of 3) under the rules R1-R5, counted by hand:
    # WHITE/W17 with {}, {COVERS}, {TOWBAR}, {COVERS, TOWBAR}; WHITE/W19 with those and
    # {SUNROOF}, {SUNROOF, COVERS}, {SUNROOF, TOWBAR}; RED/W19 with {}, {SUNROOF},
    # {COVERS}, {SUNROOF, COVERS}.
    assert first["remaining"] == second["remaining"] == "15"
    assert narrowed["remaining"] == "4"


@pytest.fixture
def asked_to_learn(settings, monkeypatch) -> list[int]:
    """The versions whose order-learning task is enqueued, with a broker configured."""
    from django.core.cache import cache

    from configurator.tasks import version_learn_order_task

    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache.clear()
    forget_all()
    asked: list[int] = []
    monkeypatch.setattr(
        version_learn_order_task, "apply_async", lambda args, **kwargs: asked.append(args[0])
    )
    return asked


def test_an_order_stored_before_groups_were_kept_together_is_learned_again(
    client, maker_a, asked_to_learn
):
    version = maker_a.published
    learn_variable_order(version)
    stored = CountingOrder.objects.get(version=version)
    paint = [name for name in stored.variables if name in ("option:WHITE", "option:RED")]
    split = [n for n in stored.variables if n != paint[0]] + [paint[0]]
    CountingOrder.objects.filter(pk=stored.pk).update(variables=split)
    forget_all()

    answer = post(client, "rover-a", "evaluate", {"options": ["RED"]}).json()

    assert asked_to_learn == [version.pk]
    assert answer["remaining"] == "4"  # still exact, from the heuristic order meanwhile


def test_learning_an_order_does_not_ask_for_itself_again(maker_a, asked_to_learn):
    CountingOrder.objects.filter(version=maker_a.published).delete()

    learn_variable_order(maker_a.published)

    assert asked_to_learn == []
    assert CountingOrder.objects.filter(version=maker_a.published).exists()


def test_the_open_configurations_different_prices_are_counted(client, maker_a):
    answer = post(client, "rover-a", "evaluate", {"options": ["RED"]}).json()

    # RED/W19 alone 108,000; with the sunroof and its bundle saving 113,000; with seat
    # covers and their 5% off the options 107,790; with both 112,490.
    assert answer["remaining"] == "4"
    assert answer["distinct_prices"] == 4
    page = client.get("/configure/rover-a/", {"o": "RED"})
    assert "at 4 different prices" in page.content.decode()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"options": ["NOPE"]}, "NOPE", "There is no option NOPE in this catalog."),
        ({"options": ["WHITE", "RED"]}, "PAINT", "Paint: choose one option."),
        (
            {"texts": {"NICKNAME": "R2-D2"}},
            "NICKNAME",
            "Nickname: contains characters that are not allowed.",
        ),
        (
            {"texts": {"NICKNAME": "idiot"}},
            "NICKNAME",
            "Nickname: contains a word that is not allowed.",
        ),
        (
            {"numbers": {"SEAT_COUNT": "9"}},
            "SEAT_COUNT",
            "Seats: choose a value from 2 to 7 in steps of 1.",
        ),
        (
            {"numbers": {"WHEELS": "1"}},
            "WHEELS",
            "There is no number field WHEELS in this catalog.",
        ),
        (
            {"texts": {"SEAT_COUNT": "5"}},
            "SEAT_COUNT",
            "There is no text field SEAT_COUNT in this catalog.",
        ),
    ],
)
def test_input_the_catalog_cannot_hold_gets_a_400_naming_the_field(
    client, maker_a, body, field, message
):
    response = post(client, "rover-a", "evaluate", body)

    assert response.status_code == 400
    assert response.json() == {field: [message]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"options": "WHITE"}, "options"),
        ({"numbers": {"SEAT_COUNT": "many"}}, "numbers"),
        ({"texts": {"NICKNAME": "x" * 201}}, "texts"),
        ({"version": 0}, "version"),
    ],
)
def test_malformed_bodies_get_a_400_naming_the_field(client, maker_a, body, field):
    response = post(client, "rover-a", "evaluate", body)

    assert response.status_code == 400
    assert field in response.json()


def test_a_selection_from_an_older_version_gets_409_with_the_current_one(client, maker_a):
    version_publish(version=maker_a.draft)

    response = post(client, "rover-a", "evaluate", {"version": 1, "options": ["WHITE"]})

    assert response.status_code == 409
    assert response.json()["current_version"] == 2


def test_unknown_products_are_not_found(client, maker_a):
    assert post(client, "nothing", "evaluate", {}).status_code == 404


def test_choosing_an_excluded_option_gives_up_the_fewest_choices(client, maker_a):
    response = post(client, "rover-a", "choose", {"options": ["TOWBAR", "W17"], "option": "RED"})

    answer = response.json()
    assert response.status_code == 200
    assert sorted(answer["gave_up"]) == ["TOWBAR", "W17"]
    chosen = states(answer["evaluation"])
    assert chosen["RED"]["state"] == "selected"
    assert chosen["TOWBAR"]["state"] == "excluded"


def test_choosing_an_unknown_option_is_a_400(client, maker_a):
    response = post(client, "rover-a", "choose", {"option": "NOPE"})

    assert response.status_code == 400
    assert response.json() == {"option": ["There is no option NOPE in this catalog."]}


def test_complete_it_for_me_picks_the_cheapest_valid_configuration(client, maker_a):
    answer = post(client, "rover-a", "complete", {"prefer": "cheapest"}).json()

    assert answer["complete"] is True
    assert answer["price"]["total"] == "100000.00"
    assert answer["selection"]["options"] == ["W17", "WHITE"]


def test_complete_it_for_me_can_start_from_the_defaults(client, maker_a):
    answer = post(client, "rover-a", "complete", {"prefer": "default"}).json()

    assert answer["complete"] is True
    assert "WHITE" in answer["selection"]["options"]  # the catalog's default paint


def test_complete_keeps_the_consumers_choices(client, maker_a):
    answer = post(client, "rover-a", "complete", {"options": ["SUNROOF"]}).json()

    assert answer["complete"] is True
    assert {"SUNROOF", "W19"} <= set(answer["selection"]["options"])


def test_publishing_learns_the_counting_order_after_commit(
    maker_a, django_capture_on_commit_callbacks, eager_celery
):
    with django_capture_on_commit_callbacks(execute=True):
        published = version_publish(version=version_new_draft(source=maker_a.published))

    stored = CountingOrder.objects.get(version=published)
    forget_all()  # another process: it compiles from the stored order
    assert counter_for(published).count() == 15
    assert stored.nodes > 0


def test_the_configurator_answers_when_the_broker_cannot_take_work(
    client, maker_a, settings, monkeypatch
):
    from django.core.cache import cache

    from configurator.tasks import version_learn_order_task

    settings.CELERY_TASK_ALWAYS_EAGER = False

    def broker_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(version_learn_order_task, "apply_async", broker_down)
    CountingOrder.objects.all().delete()
    forget_all()

    answer = post(client, "rover-a", "evaluate", {"options": []})

    assert answer.status_code == 200
    assert answer.json()["remaining"] == "15"
    # not remembered as asked: the next compile asks again
    assert cache.get(f"configurator:bdd-order-asked:{maker_a.published.pk}") is None
