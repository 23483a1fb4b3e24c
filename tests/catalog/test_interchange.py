import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalog.demo import laptop, purifier, suv
from catalog.interchange import CatalogImportError, catalog_export, catalog_import
from catalog.models import CatalogVersion, Manufacturer, Option, OptionGroup, Part, ProductModel
from tests.factories import ManufacturerFactory, ProductModelFactory, catalog_document

pytestmark = pytest.mark.django_db


def problems_of(document) -> list[str]:
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(document=document)
    return [str(problem) for problem in caught.value.problems]


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Manufacturer, ProductModel, CatalogVersion, OptionGroup, Option, Part)
    }


@pytest.mark.parametrize("module", [suv, purifier, laptop], ids=["suv", "purifier", "laptop"])
def test_export_then_import_gives_back_the_same_catalog(module):
    first = catalog_import(document=module.document())

    exported = catalog_export(version=first)
    second = catalog_import(document=json.loads(json.dumps(exported)))

    assert second.number == first.number + 1
    assert catalog_export(version=second) == exported


def test_import_creates_a_draft_with_everything_in_the_document():
    version = catalog_import(document=catalog_document())

    assert version.status == CatalogVersion.Status.DRAFT
    assert list(version.groups.values_list("code", flat=True)) == [
        "PAINT", "WHEELS", "EXTRAS", "SEAT_COUNT", "NICKNAME",
    ]  # fmt: skip
    covers = version.options.get(code="COVERS").parts.get()
    assert (covers.part.number, covers.per_group.code) == ("P-COVER", "SEAT_COUNT")
    assert version.rules.count() == 5
    assert version.price_rules.get(code="LOYAL").kind == "percent"


def test_structural_problems_are_all_reported_with_json_paths():
    document = catalog_document()
    document["version"]["base_price"] = 100000.5  # a float, not a decimal string
    document["groups"][0]["kind"] = "many"
    document["groups"][1]["options"][0]["price_delta"] = "12.345"
    del document["groups"][2]["name"]
    document["surprise"] = True
    before = row_counts()

    problems = problems_of(document)

    assert problems == [
        "$: Additional properties are not allowed ('surprise' was unexpected)",
        "$.groups[0].kind: 'many' is not one of ['one', 'several', 'text', 'number']",
        "$.groups[1].options[0].price_delta: '12.345' does not match "
        "'^-?\\\\d{1,10}(\\\\.\\\\d{1,2})?$'",
        "$.groups[2]: 'name' is a required property",
        "$.version.base_price: 100000.5 is not of type 'string'",
    ]
    assert row_counts() == before


def test_a_document_that_is_not_an_object_is_rejected():
    assert problems_of([1, 2]) == ["$: [1, 2] is not of type 'object'"]


def test_semantic_problems_are_all_reported_and_nothing_is_kept():
    document = catalog_document()
    groups = document["groups"]
    groups[1]["options"][1]["code"] = "WHITE"  # duplicate option code
    groups[2]["options"][2]["code"] = "EXTRAS"  # same code as its group
    groups[2]["min_choices"], groups[2]["max_choices"] = 3, 1
    groups[0]["options"][1]["parts"][0]["part"] = "P-NOPE"
    groups[2]["options"][1]["parts"][0]["per"] = "PAINT"  # not a number field
    groups[3]["step"] = "0.00"
    groups[4]["allowed_pattern"] = "[unclosed"
    document["rules"][0]["expression"] = "SUNROOF -> W21"
    document["rules"][1]["code"] = "R1"
    document["price_rules"][1]["value"] = "-150.00"
    before = row_counts()

    problems = problems_of(document)

    assert problems == [
        "$.groups[1].options[1].code: code WHITE is already used at $.groups[0].options[0].code",
        "$.groups[2].options[2].code: code EXTRAS is already used at $.groups[2].code",
        "$.rules[1].code: code R1 is already used at $.rules[0]",
        "$.groups[2].max_choices: Must be at least the minimum number of choices.",
        "$.groups[3].step: The step must be positive.",
        "$.groups[4].allowed_pattern: Not a valid regular expression: "
        "unterminated character set at position 0.",
        "$.groups[0].options[1].parts[0].part: part P-NOPE is not listed in $.parts",
        "$.groups[2].options[1].parts[0].per: The quantity can only follow a number field.",
        "$.rules[0].expression: line 1, column 12: unknown code 'W21'; did you mean 'W17'?",
        # The renamed codes leave these rules naming codes that no longer exist:
        "$.rules[1].expression: line 1, column 1: unknown code 'TOWBAR'",
        "$.rules[2].expression: line 1, column 42: unknown code 'W19'; did you mean 'W17'?",
        "$.price_rules[0].condition: line 1, column 11: unknown code 'W19'; did you mean 'W17'?",
        "$.price_rules[1].value: a percentage must lie between -100 and 100",
    ]
    assert row_counts() == before


def test_quantity_can_only_follow_a_number_field():
    document = catalog_document()
    document["groups"][2]["options"][1]["parts"][0]["per"] = "PAINT"

    assert problems_of(document) == [
        "$.groups[2].options[1].parts[0].per: The quantity can only follow a number field."
    ]


def test_text_and_number_groups_cannot_have_options():
    document = catalog_document()
    document["groups"][3]["options"] = [{"code": "SIX", "label": "Six"}]

    assert problems_of(document) == ["$.groups[3].options: a Number group has no options"]


def test_rule_naming_a_group_that_failed_its_checks_is_not_blamed_for_it():
    document = catalog_document()
    document["groups"][4]["max_length"] = None  # NICKNAME now invalid; R5 still names it

    assert problems_of(document) == [
        "$.groups[4].max_length: A free-text field needs a maximum length."
    ]


def test_importing_another_makers_product_is_refused():
    ProductModelFactory(slug="rover", manufacturer=ManufacturerFactory(slug="someone-else"))
    before = row_counts()

    assert problems_of(catalog_document()) == [
        "$.product.slug: product rover belongs to someone-else, not maker-a"
    ]
    assert row_counts() == before


def test_import_command_reports_every_problem_and_imports_nothing(tmp_path):
    document = catalog_document()
    document["rules"][0]["expression"] = "SUNROOF ->"
    document["rules"][1]["expression"] = "NOPE excludes RED"
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(document))
    stderr = StringIO()

    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_catalog", str(path), stderr=stderr)

    assert stderr.getvalue().splitlines() == [
        "$.rules[0].expression: line 1, column 11: the rule ends too early; it looks unfinished",
        "$.rules[1].expression: line 1, column 1: unknown code 'NOPE'",
    ]
    assert not CatalogVersion.objects.exists()


def test_import_command_explains_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "c2b-catalog/1",\n  "groups": [}')

    with pytest.raises(CommandError, match="not valid JSON at line 2, column 14"):
        call_command("import_catalog", str(path))


def test_import_command_explains_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read it"):
        call_command("import_catalog", str(tmp_path / "missing.json"))


def test_import_command_can_publish_and_export_command_writes_the_same_document(tmp_path):
    source = tmp_path / "in.json"
    source.write_text(json.dumps(catalog_document()))
    target = tmp_path / "out.json"

    call_command("import_catalog", str(source), "--publish", stdout=StringIO())
    call_command("export_catalog", "rover", "--output", str(target), stderr=StringIO())

    version = CatalogVersion.objects.get()
    assert version.status == CatalogVersion.Status.PUBLISHED
    assert json.loads(target.read_text()) == catalog_export(version=version)


def test_export_command_names_a_missing_version():
    with pytest.raises(CommandError, match="has no version 7"):
        call_command("export_catalog", "rover", "--number", "7")


def test_a_document_of_another_format_is_rejected():
    document = catalog_document()
    document["format"] = "c2b-catalog/2"

    assert problems_of(document) == ["$.format: 'c2b-catalog/1' was expected"]


def test_import_command_explains_a_file_that_is_not_text(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_bytes(b"\xff\xfe\x00binary")

    with pytest.raises(CommandError, match="not UTF-8 text"):
        call_command("import_catalog", str(path))


def test_import_command_explains_an_empty_file(tmp_path):
    path = tmp_path / "empty.json"
    path.write_text("")

    with pytest.raises(CommandError, match="not valid JSON at line 1, column 1"):
        call_command("import_catalog", str(path))
