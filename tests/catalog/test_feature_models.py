"""Feature models (SPLOT SXFM, FeatureIDE XML) imported as catalogs: the catalog's count of
complete configurations equals the model's number of valid products."""

import functools
import itertools
import operator
from pathlib import Path

import pytest
from dd import autoref
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from catalog.featuremodels import (
    NAME_PATTERN,
    Feature,
    FeatureModel,
    FeatureModelError,
    Group,
    read_featureide,
    read_sxfm,
    to_catalog_document,
)
from catalog.rulelang import And, Excludes, Iff, Implies, Not, Or, Ref, evaluate, parse_rule
from configurator.engine.counting import ConfigurationCounter
from configurator.engine.spec import spec_from_document

# A small phone, written for these tests: optional, mandatory, alternative and or-groups,
# and cross-tree constraints.
SXFM = """<feature_model name="Phone">
<feature_tree>
:r Phone (phone)
\t:m Screen (screen)
\t\t:g (screen_group) [1,1]
\t\t\t: Basic (basic)
\t\t\t: Colour (colour)
\t\t\t: High resolution (hires)
\t:o GPS (gps)
\t:o Media (media)
\t\t:g (media_group) [1,*]
\t\t\t: Camera (camera)
\t\t\t: MP3 (mp3)
</feature_tree>
<constraints>
c1: ~gps or ~basic
c2: ~camera or hires
</constraints>
</feature_model>"""

FEATUREIDE = """<featureModel>
<struct>
  <and abstract="true" mandatory="true" name="Phone">
    <alt mandatory="true" name="Screen">
      <feature name="Basic"/><feature name="Colour"/><feature name="High resolution"/>
    </alt>
    <feature name="GPS"/>
    <or name="Media"><feature name="Camera"/><feature name="MP3"/></or>
  </and>
</struct>
<constraints>
  <rule><imp><var>GPS</var><not><var>Basic</var></not></imp></rule>
  <rule><imp><var>Camera</var><var>High resolution</var></imp></rule>
</constraints>
</featureModel>"""


def products(model: FeatureModel) -> int:
    """Brute force over every feature being true or false."""
    features = []

    def walk(feature, parent):
        features.append((feature, parent))
        for child in feature.all_children():
            walk(child, feature)

    walk(model.root, None)
    names = [f.name for f, _ in features]
    constraints = [
        parse_rule(NAME_PATTERN.sub(lambda m: "F" + str(names.index(m.group(1))), c))
        for c in model.constraints
    ]
    count = 0
    for bits in itertools.product([False, True], repeat=len(names)):
        on = dict(zip(names, bits, strict=True))
        if not on[model.root.name]:
            continue
        ok = all(not on[f.name] or on[p.name] for f, p in features if p is not None)
        for feature, _ in features:
            ok = ok and all(
                not on[feature.name] or on[c.name] for c in feature.children if c.mandatory
            )
            for group in feature.groups:
                chosen = sum(on[m.name] for m in group.members)
                high = len(group.members) if group.high is None else group.high
                ok = ok and (not on[feature.name] or group.low <= chosen <= high)
        truths = {f"F{i}" for i, name in enumerate(names) if on[name]}
        ok = ok and all(evaluate(c, truths) for c in constraints)
        count += ok
    return count


def catalog_count(model: FeatureModel) -> int:
    document = to_catalog_document(model, manufacturer="maker", product="phone")
    return ConfigurationCounter(spec_from_document(document)).count()


def test_sxfm_and_featureide_versions_of_one_model_count_the_same_products():
    sxfm, featureide = read_sxfm(SXFM), read_featureide(FEATUREIDE)

    # 3 screens x GPS or not x media none/camera/MP3/both = 24; minus 4 with GPS and the
    # basic screen; minus 6 more with a camera but no high-resolution screen.
    assert products(sxfm) == 14
    assert catalog_count(sxfm) == 14
    assert catalog_count(featureide) == 14


def test_a_feature_model_imports_as_a_draft_catalog(db):
    from catalog.interchange import catalog_import

    document = to_catalog_document(
        read_featureide(FEATUREIDE), manufacturer="maker", product="phone"
    )
    version = catalog_import(document=document)

    assert version.status == "draft"
    assert version.groups.count() == 8  # every feature but the root
    assert version.options.get(code="HIGH_RESOLUTION").label == "High resolution"


@pytest.mark.parametrize(
    ("reader", "text", "message"),
    [
        (read_sxfm, "<feature_model", "not well-formed XML"),
        (
            read_sxfm,
            "<feature_model><feature_tree>\n\t: orphan (o)\n</feature_tree></feature_model>",
            "a feature before the root",
        ),
        (
            read_sxfm,
            "<feature_model><feature_tree>\n:r R (r)\n</feature_tree>"
            "<constraints>c1: a and b</constraints></feature_model>",
            "constraint line 1",
        ),
        (read_featureide, "<featureModel><struct/></featureModel>", "one root"),
        (
            read_featureide,
            "<featureModel><struct><feature/></struct></featureModel>",
            "without a name",
        ),
    ],
)
def test_bad_feature_model_files_are_explained(reader, text, message):
    with pytest.raises(FeatureModelError, match=message):
        reader(text)


def test_a_constraint_on_an_unknown_feature_is_refused():
    model = read_sxfm(SXFM.replace("c2: ~camera or hires", "c2: ~camera or nothing"))

    with pytest.raises(FeatureModelError, match="'nothing', not a feature of the model"):
        to_catalog_document(model, manufacturer="maker", product="phone")


@st.composite
def feature_models(draw):
    counter = itertools.count()

    def feature(depth):
        node = Feature(f"f{next(counter)}", mandatory=draw(st.booleans()))
        if depth < 2:
            for _ in range(draw(st.integers(0, 2))):
                node.children.append(feature(depth + 1))
            if draw(st.booleans()):
                members = [feature(depth + 1) for _ in range(draw(st.integers(2, 3)))]
                low = draw(st.integers(0, 1))
                high = draw(st.sampled_from([1, None, len(members)]))
                node.groups.append(Group(low, high, members))
        return node

    root = feature(0)
    names = []

    def collect(f):
        names.append(f.name)
        for c in f.all_children():
            collect(c)

    collect(root)
    # the brute force tries 2^features assignments: a full tree of depth 2 (31 features)
    # would take hours, so trees are kept to what it checks in well under a second
    assume(len(names) <= 16)
    literal = st.sampled_from(names).flatmap(lambda n: st.sampled_from([f"⟨{n}⟩", f"!⟨{n}⟩"]))
    clauses = st.lists(st.lists(literal, min_size=1, max_size=3).map(" | ".join), max_size=3)
    return FeatureModel("random", root, draw(clauses))


@settings(max_examples=120, deadline=None)
@given(feature_models())
def test_imported_count_equals_the_number_of_valid_products(model):
    assert catalog_count(model) == products(model)


def test_import_catalog_reads_feature_models_into_a_draft(db, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    from catalog.models import CatalogVersion

    path = tmp_path / "phone.xml"
    path.write_text(FEATUREIDE)

    call_command(
        "import_catalog",
        str(path),
        "--manufacturer",
        "maker",
        "--product",
        "phone",
        stdout=StringIO(),
    )

    version = CatalogVersion.objects.get(product_model__slug="phone")
    assert version.rules.count() > 0
    assert version.groups.filter(code="GPS_G").exists()


def test_import_catalog_needs_slugs_for_a_feature_model(db, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "phone.sxfm"
    path.write_text(SXFM)

    with pytest.raises(CommandError, match="needs --manufacturer and --product"):
        call_command("import_catalog", str(path))


UCLIBC = Path(__file__).parents[1] / "data" / "feature_models" / "uclibc.xml"


def products_by_bdd(model: FeatureModel) -> int:
    """The model's valid products counted straight from the usual semantics (every feature
    true or false; the root chosen; child implies parent; mandatory children; group bounds;
    cross-tree constraints) in a separate, pure-Python BDD whose counts are exact: no
    catalog, no option groups, none of the engine's code."""
    bdd = autoref.BDD()
    features = []

    def walk(feature, parent):
        features.append((feature, parent))
        bdd.declare(feature.name)
        for child in feature.all_children():
            walk(child, feature)

    walk(model.root, None)

    def var(name):
        return bdd.var(name)

    def at_least(literals, k):
        if k <= 0:
            return bdd.true
        if len(literals) < k:
            return bdd.false
        first, rest = literals[0], literals[1:]
        return (first & at_least(rest, k - 1)) | (~first & at_least(rest, k))

    valid = var(model.root.name)
    for feature, parent in features:
        here = var(feature.name)
        if parent is not None:
            valid &= bdd.apply("->", here, var(parent.name))
        for child in feature.children:
            if child.mandatory:
                valid &= bdd.apply("->", here, var(child.name))
        for group in feature.groups:
            members = [var(m.name) for m in group.members]
            high = len(members) if group.high is None else group.high
            bounds = at_least(members, group.low) & ~at_least(members, high + 1)
            valid &= bdd.apply("->", here, bounds)

    names = [f.name for f, _ in features]

    def formula(node):
        """A constraint, its features written F<index> for the rule parser, as a BDD."""
        match node:
            case Ref(code=code):
                return var(names[int(code[1:])])
            case Not(operand=operand):
                return ~formula(operand)
            case And(operands=operands):
                return functools.reduce(operator.and_, map(formula, operands), bdd.true)
            case Or(operands=operands):
                return functools.reduce(operator.or_, map(formula, operands), bdd.false)
            case Implies(condition=a, consequence=b):
                return bdd.apply("->", formula(a), formula(b))
            case Iff(left=a, right=b):
                return bdd.apply("<->", formula(a), formula(b))
            case Excludes(left=a, right=b):
                return ~(formula(a) & formula(b))
        raise TypeError(node)

    index = {name: i for i, name in enumerate(names)}
    for constraint in model.constraints:
        text = NAME_PATTERN.sub(lambda m: f"F{index[m.group(1)]}", constraint)
        valid &= formula(parse_rule(text))
    return bdd.count(valid, nvars=len(names))


def test_the_reference_bdd_counts_as_brute_force_does():
    for text, reader in ((SXFM, read_sxfm), (FEATUREIDE, read_featureide)):
        model = reader(text)
        assert products_by_bdd(model) == products(model)


def test_the_real_uclibc_model_imports_with_its_exact_number_of_products():
    """313 features and 56 cross-tree constraints of a real C library; the number of
    products is far beyond what a double holds exactly."""
    model = read_featureide(UCLIBC.read_text())

    expected = products_by_bdd(model)

    assert expected > 10**18
    assert catalog_count(model) == expected
