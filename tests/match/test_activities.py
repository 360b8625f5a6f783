"""Skills written as what the person does: "managing or supervising staff"."""

from __future__ import annotations

import pytest

from credgraph.match.activities import ACTIVITIES, written_activities
from credgraph.match.skill_text import Vocabulary, find_terms

VOCABULARY = Vocabulary.build(
    [
        ("onet:leadership", "Leadership", ()),
        ("esco:leadership", "leadership principles", ("leadership",)),
        ("onet:personnel", "Management of Personnel Resources", ()),
        ("onet:coaching", "Coaching and Developing Others", ()),
        ("esco:pm", "project management", ()),
        ("s:python", "Python", ()),
    ],
    [],
)


ACTIVITY_LABELS = [a.label for a in ACTIVITIES]


def named(text: str) -> list[tuple[str, list[str]]]:
    """Each phrase found, as written, with the ids it names."""
    return [(f.text, [t.id for t in f.terms]) for f in find_terms(VOCABULARY, text)]


@pytest.mark.parametrize(
    ("text", "written", "ids"),
    [
        (
            "- Experience leading a cross-functional team that delivers software",
            "leading a cross-functional team",
            ["onet:leadership", "esco:leadership"],
        ),
        (
            "Lead a cross-functional team of researchers, designers, and engineers",
            "Lead a cross-functional team",
            ["onet:leadership", "esco:leadership"],
        ),
        (
            "- Experience providing project or product leadership.",
            "project or product leadership",
            ["onet:leadership", "esco:leadership"],
        ),
        (
            "- Experience managing individuals who work in technology",
            "managing individuals",
            ["onet:personnel"],
        ),
        (
            "- Supervising the work of an organization",
            "Supervising the work of",
            ["onet:personnel"],
        ),
        (
            "Serves as a supervisor for the security organization",
            "Serves as a supervisor",
            ["onet:personnel"],
        ),
        (
            "providing hands-on technical and supervisory guidance",
            "supervisory guidance",
            ["onet:personnel"],
        ),
        (
            "mentoring or coaching staff on delivery",
            "mentoring or coaching staff",
            ["onet:coaching"],
        ),
        (
            "providing technical mentorship, and supporting growth",
            "providing technical mentorship",
            ["onet:coaching"],
        ),
        ("Project manage the combined work of the teams", "Project manage", ["esco:pm"]),
        (
            "the overall planning, management, and direction of a program or of projects",
            "management, and direction of a program or of projects",
            ["esco:pm"],
        ),
        # a second verb coordinated with the first shares its object (real ads)
        (
            "- Leading and/or supervising a team and providing mentorship",
            "Leading and/or supervising a team",
            ["onet:leadership", "esco:leadership"],
        ),
        (
            "- Leading and empowering cross-functional talent/people/hr program teams",
            "Leading and empowering cross-functional talent/people",
            ["onet:leadership", "esco:leadership"],
        ),
        (
            "is able to manage and execute on multiple projects simultaneously.",
            "manage and execute on multiple projects",
            ["esco:pm"],
        ),
        # the object last of a list of coordinated ones (an 18F talent posting)
        (
            "- Managing workflows, processes, programs or projects (e.g. intake, execution)",
            "Managing workflows, processes, programs or projects",
            ["esco:pm"],
        ),
        # coordinated modifiers count as one word: "a cross-functional or multidisciplinary"
        (
            "- Experience leading a cross-functional or multidisciplinary team that provides",
            "leading a cross-functional or multidisciplinary team",
            ["onet:leadership", "esco:leadership"],
        ),
        # the activity's noun: supervision of, management of, leadership to, mentorship for
        (
            "services through the supervision of large cross-functional teams made up of",
            "supervision of large cross-functional teams",
            ["onet:personnel"],
        ),
        (
            "providing leadership to multidisciplinary teams",
            "leadership to multidisciplinary teams",
            ["onet:leadership", "esco:leadership"],
        ),
    ],
)
def test_an_activity_names_its_skill(text: str, written: str, ids: list[str]) -> None:
    labels = {
        t.id: t.label for f in find_terms(VOCABULARY, "; ".join(ACTIVITY_LABELS)) for t in f.terms
    }
    hits = [(text[start:end], label) for label, start, end in written_activities(text)]
    assert (written, labels[ids[0]]) in hits


@pytest.mark.parametrize(
    "text",
    [
        "DevOps/Site Reliability Supervisory Engineer GS15",  # a title names the job
        "managing team schedules and priorities",  # what people make, not the people
        "leading the planning of a program",  # leading work, not people
        "partnering with leadership and stakeholders",  # the managers
        "managing the interrelationships of software technologies",
        "- Leading the overall planning, management and direction of a single complex project",
        "leading and delivering the product roadmap",  # a coordinated verb, no people
        "management of staff budgets",  # what people make, after the noun too
        "managing schedules, priorities and milestones",  # a list with no projects
    ],
)
def test_what_is_not_an_activity(text: str) -> None:
    assert list(written_activities(text)) == []
    assert {t for _written, ids in named(text) for t in ids} <= {
        "onet:leadership",
        "esco:leadership",
    }


def test_a_skill_named_by_its_label_is_not_named_again_by_an_activity() -> None:
    found = named("Leadership: leading teams of engineers in Python")
    assert found == [
        ("Leadership", ["onet:leadership", "esco:leadership"]),
        ("Python", ["s:python"]),
    ]


def test_an_activity_is_named_once_at_its_first_place() -> None:
    found = named("managing staff in one office; supervising personnel in another")
    assert found == [("managing staff", ["onet:personnel"])]


def test_an_activity_whose_label_the_vocabulary_lacks_names_nothing() -> None:
    bare = Vocabulary.build([("s:python", "Python", ())], [])
    assert [f.text for f in find_terms(bare, "leading a team of engineers in Python")] == ["Python"]


def test_boilerplate_is_not_read_for_activities() -> None:
    ad = "- Experience with Python.\n\n## Benefits\nOur managers mentor staff and lead teams of peers.\n"
    assert named(ad) == [("Python", ["s:python"])]


def test_every_activity_pattern_is_anchored_at_word_boundaries() -> None:
    # "misled teams" and "coaching-staff-free" must not read as leading or coaching
    assert list(written_activities("misled teams; unmanaged staff; miscommunicated with")) == []
    assert list(written_activities("predefined strategic goals; upset strategic plans")) == []
    assert {a.label for a in ACTIVITIES} == {
        "Leadership",
        "Management of Personnel Resources",
        "Coaching and Developing Others",
        "Training and Teaching Others",
        "communication",
        "project management",
        "risk management",
        "synthesise information",
        "strategic planning",
        "Management of Financial Resources",
        "managing budgets or finances",
    }


def test_colleagues_and_peers_are_people_an_activity_works_with() -> None:
    # a CDS policy posting's last bullet
    assert named("- Coach and mentor colleagues") == [
        ("Coach and mentor colleagues", ["onet:coaching"])
    ]
    assert named("mentoring peers and co-workers") == [("mentoring peers", ["onet:coaching"])]
    # working beside colleagues is no activity of these
    assert named("Work with colleagues across the government") == []


def test_communicating_as_an_ability_is_communication() -> None:
    vocabulary = Vocabulary.build(
        [("esco:communication", "communication", ())],
        [],
    )

    def found(text: str) -> list[str]:
        return [f.text for f in find_terms(vocabulary, text)]

    # CDS postings: how well, with whom, through what
    text = "can communicate effectively with technical and non-technical audiences"
    assert found(text) == ["communicate effectively"]
    assert found("Communicates with internal and external partners") == ["Communicates with"]
    # an 18F one: a message communicated is not the skill
    assert found("Owning, developing or communicating the product vision") == []


def test_an_activity_stays_inside_its_list_item() -> None:
    # a CDS posting's title line, then its first bullet: the title's "Lead" leads nobody
    text = "Policy Delivery Team Lead\n- Manage a team of policy advisors"
    assert [label for label, _s, _e in written_activities(text)] == [
        "Management of Personnel Resources"
    ]


def test_people_after_a_preposition_are_not_the_object() -> None:
    # a CDS research posting: the members are whom one works with, not whom one leads
    text = "- Leading research with other members in a digital delivery team"
    assert list(written_activities(text)) == []
    # "of" still says what the team is made of; "on" belongs to the verb
    assert named("leading a team of senior engineers") == [
        ("leading a team", ["onet:leadership", "esco:leadership"])
    ]
    hits = written_activities("is able to manage and execute on multiple projects")
    assert [label for label, _s, _e in hits] == ["project management"]


def test_a_second_verb_before_how_one_communicates() -> None:
    # a CDS translator posting: communicating in both languages is the ability
    hits = written_activities("- Communicate and write in both French and English")
    assert [label for label, _s, _e in hits] == ["communication"]
    # a message communicated after a second verb is still no ability
    assert list(written_activities("- Envision and communicate future service offerings")) == []


def test_line_management_is_managing_people() -> None:
    # a CDS director posting
    text = "- Bring significant experience in line management and leading teams"
    assert ("line management", ["onet:personnel"]) in named(text)


def test_managing_or_mitigating_risks_is_risk_management() -> None:
    vocabulary = Vocabulary.build(
        [("onet-tech:risk", "Risk management software", ("Risk management",))], []
    )

    def found(text: str) -> list[str]:
        return [f.text for f in find_terms(vocabulary, text)]

    # an 18F posting, a CDS posting and a CDS careers posting
    assert found("- Assessing and managing project or program risk") == [
        "managing project or program risk"
    ]
    assert found("- Create strategies to mitigate delivery risks; protect teams") == [
        "mitigate delivery risks"
    ]
    assert found("- Identifying, mitigating or escalating risks related to content") == [
        "mitigating or escalating risks"
    ]
    # risks only identified or balanced are not managed
    assert found("identifying security and compliance related risks") == []
    assert found("correctly balance security risk and product advancement") == []


def test_synthesising_research_or_data_is_synthesising_information() -> None:
    vocabulary = Vocabulary.build([("esco:synth", "synthesise information", ())], [])

    def found(text: str) -> list[str]:
        return [f.text for f in find_terms(vocabulary, text)]

    # an 18F posting and a CDS posting
    assert found("Guiding design staff to synthesize research data into thematic information") == [
        "synthesize research"
    ]
    assert found("- Synthesize research findings and facilitate co-creation sessions") == [
        "Synthesize research"
    ]
    # a synthesised product is no information gathered
    assert found("synthesize a new compound in the lab") == []


def test_forecasting_or_overseeing_budgets_is_managing_financial_resources() -> None:
    vocabulary = Vocabulary.build(
        [
            ("onet:finance", "Management of Financial Resources", ()),
            ("esco:budgets", "managing budgets or finances", ()),
        ],
        [],
    )

    def found(text: str) -> list[tuple[str, list[str]]]:
        return [(f.text, [t.id for t in f.terms]) for f in find_terms(vocabulary, text)]

    # a TTS posting and a CDS careers posting: one phrase naming O*NET's element and ESCO's skill
    both = ["onet:finance", "esco:budgets"]
    assert found("strategies including developing budget forecasting, leading cost efforts") == [
        ("budget forecasting", both)
    ]
    assert found("- Forecast budget needs for all Goods and Services") == [
        ("Forecast budget", both)
    ]
    assert found("overseeing a budget lifecycle for a program") == [("overseeing a budget", both)]
    # a team's budgets are managed money, not managed people
    assert found("managing team budgets and schedules") == [("managing team budgets", both)]
    # the Office of Management and Budget is no budgeting
    assert found("working with the Office of Management and Budget") == []


def test_a_message_told_to_people_is_communication() -> None:
    vocabulary = Vocabulary.build([("esco:communication", "communication", ())], [])

    def found(text: str) -> list[str]:
        return [f.text for f in find_terms(vocabulary, text)]

    assert found("- Communicate release risks to senior leaders") == [
        "Communicate release risks to senior leaders"
    ]
    assert found("communicating survey results and next steps to a lay audience") == [
        "communicating survey results and next steps to a lay audience"
    ]
    # a message with no one told stays a message; the audience stays in the clause
    assert found("communicate the roadmap. Talk to users weekly") == []
    assert found("communicate the plan and move to new tools") == []


def test_defining_strategic_goals_is_strategic_planning() -> None:
    vocabulary = Vocabulary.build(
        [("esco:strategy", "developing objectives and strategies", ("strategic planning",))],
        [],
    )

    def found(text: str) -> list[tuple[str, list[str]]]:
        return [(f.text, [t.id for t in f.terms]) for f in find_terms(vocabulary, text)]

    assert found("- Set the clinic's strategic priorities for the next three years") == [
        ("Set the clinic's strategic priorities", ["esco:strategy"])
    ]
    assert found("shape and communicate strategic objectives") == [
        ("shape and communicate strategic objectives", ["esco:strategy"])
    ]
    assert found("determining our mission, strategic direction and values") == [
        ("determining our mission, strategic direction", ["esco:strategy"])
    ]
    # a strategy aligned with or carried out is someone else's plan
    assert found("Ensure the work aligns with strategic objectives") == []
    assert found("Deliver the strategic plan on time") == []


def test_an_object_may_have_up_to_six_modifiers_and_ends_at_including() -> None:
    text = "Lead two or more small remote cross-functional hardware teams"
    assert named(text) == [(text, ["onet:leadership", "esco:leadership"])]
    # "including" opens examples of what is managed: no people are managed here
    assert named("management of clinic resources including rooms and nursing staff") == []
    # nor are those on whose behalf something is managed
    assert named("manage invoices and letters on behalf of the team") == []
    # seven words between the verb and the people is too far
    assert named("lead one two three four five six seven teams") == []


def test_training_people_is_training_and_teaching_others() -> None:
    vocabulary = Vocabulary.build([("onet:training", "Training and Teaching Others", ())], [])

    def found(text: str) -> list[str]:
        return [f.text for f in find_terms(vocabulary, text)]

    assert found("- Train and support new volunteer coordinators") == [
        "Train and support new volunteer coordinators"
    ]
    assert found("teaching junior engineers to review code") == ["teaching junior engineers"]
    assert found("the training of clinic staff") == ["training of clinic staff"]
    # training that is a thing, or an item of a list, trains no one
    assert found("Book training for the autumn") == []
    assert found("budgets, training, staff rotas") == []
