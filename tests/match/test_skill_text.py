"""Reading a job ad's text against the graph's labels."""

from __future__ import annotations

import time

import pytest

from credgraph.match.inflection import gerund_verb, is_gerund, is_mass_noun, nominalisations
from credgraph.match.skill_text import (
    OCCUPATION,
    SKILL,
    ExtractionTimeout,
    Vocabulary,
    find_codes,
    find_terms,
    singular,
    variants,
    words,
)

VOCABULARY = Vocabulary.build(
    [
        ("s:java", "Java", ()),
        ("s:js", "JavaScript", ("JS",)),
        ("s:ml", "machine learning", ("ML",)),
        ("s:mlops", "machine learning operations", ()),
        ("s:db", "database", ("databases",)),
        ("s:policy", "security policy", ()),
        ("s:go", "Go", ()),
        ("s:design", "Design", ()),
        ("s:cpp", "C++", ()),
        ("s:node", "Node.js", ()),
        ("s:r", "R", ()),
        ("s:empty", "the", ()),
        ("s:excel", "Microsoft Excel", ("Excel spreadsheets",)),
    ],
    [("o:dev", "software developer", ("programmer",))],
)


def ids(text: str) -> list[str]:
    return [t.id for f in find_terms(VOCABULARY, text) for t in f.terms]


def test_labels_meet_whole_words_only() -> None:
    assert ids("JavaScript and Java") == ["s:js", "s:java"]
    assert ids("Javanese coffee") == []


def test_case_and_plural_do_not_matter() -> None:
    assert ids("MACHINE LEARNING, Databases and security policies") == ["s:ml", "s:db", "s:policy"]


def test_the_longest_phrase_at_a_word_wins() -> None:
    found = find_terms(VOCABULARY, "Machine learning operations experience")
    assert [f.text for f in found] == ["Machine learning operations"]
    assert [t.id for t in found[0].terms] == ["s:mlops"]


def test_alternative_labels_name_their_node() -> None:
    found = find_terms(VOCABULARY, "ML engineers and programmers")
    assert [(t.id, t.alternative) for f in found for t in f.terms] == [
        ("s:ml", True),
        ("o:dev", True),
    ]
    assert [t.kind for f in found for t in f.terms] == [SKILL, OCCUPATION]


def test_symbols_inside_words_are_kept() -> None:
    assert ids("C++ and Node.js.") == ["s:cpp", "s:node"]


def test_everyday_words_need_a_capital_mid_sentence() -> None:
    assert ids("Experience with Go and Design.") == ["s:go", "s:design"]
    assert ids("Go the extra mile; we design things. Design matters") == []


def test_one_letter_and_empty_labels_are_never_phrases() -> None:
    assert ids("R and the rest") == []
    assert ("r",) not in VOCABULARY.phrases


def test_a_one_letter_name_is_read_only_listed_with_other_names() -> None:
    # the State of California's data scientist: "(e.g., R, Python, Scala, etc.)"
    assert ids("programming languages (e.g., R, Python, Scala, etc.)") == []  # no Python here
    assert ids("Java, R and C++") == ["s:java", "s:r", "s:cpp"]
    assert ids("Experience with JavaScript or R.") == ["s:js", "s:r"]
    # alone, or listed with letters or everyday words, a letter is no name
    assert ids("statistical and data analysis (such as R).") == []
    assert ids("Plan A, B or R") == []
    assert ids("R, the rest and databases") == ["s:db"]
    assert ids("Java, r and C++") == ["s:java", "s:cpp"]  # in capitals only


def test_singular_follows_regular_rules() -> None:
    assert [
        singular(w)
        for w in (
            "policies",
            "databases",
            "analysis",
            "classes",
            "aws",
            "statistics",
            "analyses",
            "hypotheses",
            "processes",
        )
    ] == [
        "policy",
        "database",
        "analysis",
        "class",
        "aws",
        "statistics",
        "analysis",
        "hypothesis",
        "process",
    ]


def test_occupation_codes_are_read_as_written() -> None:
    codes = find_codes("Software Developers (15-1252.00), SOC 15-1252, ISCO-08 2512, tel 555-1234")
    assert [(c.scheme, c.code) for c in codes] == [
        ("O*NET-SOC", "15-1252.00"),
        ("SOC", "15-1252"),
        ("ISCO-08", "2512"),
    ]
    assert find_codes("call 2512 or 1-800-555-1234") == []


def test_a_passed_deadline_stops_reading() -> None:
    with pytest.raises(ExtractionTimeout):
        find_terms(VOCABULARY, "Java " * 10, deadline=time.monotonic() - 1)


def test_a_bullet_opens_a_sentence() -> None:
    assert ids("Skills:\n- Zoom in and out\n- Design") == []


def test_an_acronym_is_found_in_capitals_only() -> None:
    vocabulary = Vocabulary.build(
        [
            ("t:case", "Computer assisted software engineering CASE", ()),
            ("t:sql", "SQL", ()),
            ("t:py", "Python", ()),
        ]
    )
    found = [
        t.id for f in find_terms(vocabulary, "in case of SQL, CASE tools, python") for t in f.terms
    ]
    assert found == ["t:sql", "t:case", "t:py"]


# Phrases below are from the real job ads of bench/job_ads (CC0), against real ESCO and O*NET
# labels (bench/equivalence).
ADS = Vocabulary.build(
    [
        ("onet:gsas", "General Structural Analysis System GSAS", ()),
        ("esco:analytics", "data analytics", ()),
        ("esco:web", "web analytics", ()),
        ("onet:stats", "Statistical analysis software", ()),
        ("esco:analysis", "data analysis", ()),
        ("onet:pra", "Probabilistic risk assessment PRA software", ()),
        ("esco:saas", "Software as a service", ("SaaS",)),
        ("onet:saas", "Software as a service SaaS", ()),
        ("esco:teams", "work in teams", ("team working",)),
        ("onet:profile", "Cerner ProFile", ()),
        ("onet:teammate", "PricewaterhouseCoopers TeamMate", ()),
        ("onet:adhoc", "LogiXML Ad-HOC", ()),
        ("onet:github", "GitHub", ()),
        ("esco:profiling", "create customer profiles", ("customer profile",)),
        ("onet:contact", "Contact center software", ()),
        ("esco:lead", "leading and motivating", ("leadership",)),
        ("onet:vis", "Data visualization software", ()),
    ]
)


def ad_ids(text: str) -> list[str]:
    return [t.id for f in find_terms(ADS, text) for t in f.terms]


def test_an_acronym_in_capitals_is_not_cut_to_a_singular() -> None:
    assert ad_ids("Collaborate with other parts of GSA and other government agencies") == []
    assert ad_ids("runs GSAS models") == ["onet:gsas"]


def test_a_phrase_does_not_span_an_ampersand_a_slash_or_a_comma() -> None:
    assert ad_ids("Centers of Excellence: Data & Analytics Modernization Lead") == []
    assert ad_ids("database systems to support data analytics") == ["esco:analytics"]
    assert ad_ids("collect data, analytics and reports") == []


def test_a_plural_is_read_only_at_the_end_of_a_phrase() -> None:
    assert ad_ids("multiple engineering teams working together on a single product") == []
    assert ad_ids("good team working") == ["esco:teams"]


def test_an_acronym_the_text_defines_means_what_it_stands_for() -> None:
    assert ad_ids("Experience with the Paperwork Reduction Act (PRA) or similar") == []
    assert ad_ids("a probabilistic risk assessment (PRA) model") == ["onet:pra"]
    found = ad_ids("cloud-based Software as a Service (SaaS) digital identity products")
    assert set(found) == {"onet:saas", "esco:saas"}


def test_a_name_with_inner_capitals_of_everyday_words_needs_its_capitals() -> None:
    assert ad_ids("analyzing requirements to determine target profile needs") == []
    assert ad_ids("share knowledge with your own CoE teammates") == []
    assert "onet:adhoc" not in ad_ids("Experience leading ad hoc teams")
    assert ad_ids("charts kept in ProFile") == ["onet:profile"]
    assert ad_ids("distributed version control such as github") == ["onet:github"]


def test_a_common_noun_inside_a_capitalised_name_is_not_a_skill() -> None:
    title = "Centers of Excellence: Supervisory Contact Center Modernization Specialist"
    assert ad_ids(title) == []
    assert ad_ids("collaborates with the TTS Consulting Leadership Team") == []
    assert ad_ids("implementing contact center technology") == ["onet:contact"]
    assert ad_ids("Experience providing project leadership.") == ["esco:lead"]
    assert ad_ids("Skills: Leadership, budgeting") == ["esco:lead"]


def test_coordination_spells_out_the_shared_words() -> None:
    text = "Experience utilizing web and data analytics tools"
    assert ad_ids(text) == ["esco:analytics", "esco:web"]
    assert [f.text for f in find_terms(ADS, text)][-1] == "web and data analytics"
    assert ad_ids("tools optimized for statistical and data analysis (such as R)") == [
        "esco:analysis",
        "onet:stats",
    ]
    assert ad_ids("data analysis and visualization") == ["esco:analysis", "onet:vis"]
    assert ad_ids("web and/or data analytics") == ["esco:analytics", "esco:web"]


def test_a_light_verb_label_is_also_its_activity() -> None:
    vocabulary = Vocabulary.build(
        [
            ("esco:review", "conduct ICT code review", ()),
            ("esco:research", "conduct research", ()),
            ("esco:needs", "identify ICT user needs", ()),
        ]
    )
    found = find_terms(vocabulary, "Participate in code review, architecture discussions")
    assert [t.id for f in found for t in f.terms] == ["esco:review"]
    assert variants("conduct research") == ()  # one word left: too broad
    # only a light verb goes: identifying user needs is more than user needs
    assert find_terms(vocabulary, "the identification of user needs for a project") == []


def test_a_verb_of_showing_before_a_trait_is_a_light_verb() -> None:
    vocabulary = Vocabulary.build(
        [
            (
                "esco:culture",
                "demonstrate intercultural competence",
                ("demonstrate cultural awareness",),
            ),
            ("esco:empathy", "show empathy", ()),
        ]
    )
    # a CDS people-operations posting
    text = "- has excellent communication and interpersonal skills, ethics, and cultural awareness;"
    assert [t.id for f in find_terms(vocabulary, text) for t in f.terms] == ["esco:culture"]
    assert "intercultural competence" in variants("demonstrate intercultural competence")
    assert variants("show interest") == ()  # one countable word left: too broad


def test_the_doer_of_an_activity_the_person_is() -> None:
    vocabulary = Vocabulary.build(
        [("esco:problems", "problem solving", ()), ("esco:decisions", "decision making", ())]
    )

    def found(text: str) -> list[str]:
        return [f.text for f in find_terms(vocabulary, text)]

    # CDS postings
    assert found("- You’re a creative, resourceful problem-solver.") == ["problem-solver"]
    assert found("- is a resourceful problem-solver with a thorough knowledge") == [
        "problem-solver"
    ]
    # the doers are someone else: the people briefed
    assert found("- Brief senior decision makers on the findings") == []
    assert found("Prepare a memo for a decision maker") == []


def test_an_everyday_word_done_through_is_its_tool() -> None:
    vocabulary = Vocabulary.build([("onet:email", "Email", ()), ("onet:design", "Design", ())])

    def found(text: str) -> list[str]:
        return [f.text for f in find_terms(vocabulary, text)]

    # CDS postings
    text = "- You have experience communicating through email in a concise way"
    assert found(text) == ["email"]
    assert found("- Respond to inquiries via tickets, emails, and other channels") == ["emails"]
    assert found("reach candidates via phone and email") == ["email"]
    # not through what: the word is no object of "via" or "through"
    assert found("send an email through the week") == []
    assert found("work through design problems") == []


def test_a_one_word_label_narrowed_by_a_noun_before_it_is_a_compound() -> None:
    vocabulary = Vocabulary.build(
        [
            ("esco:programming", "programming", ()),
            ("esco:administration", "administration", ()),
            ("esco:web", "web programming", ()),
        ]
    )

    def found(text: str) -> list[str]:
        return [f.text for f in find_terms(vocabulary, text)]

    # a CDS people-operations posting: programmes of events, the running of them
    assert found("candidate experience through talent programming, including scheduling") == []
    assert found("- manage talent administration in a high-growth environment;") == []
    # an adjective still says how; a label of both words is that label
    assert found("strong programming skills") == ["programming"]
    assert found("experience in web programming") == ["web programming"]


def test_a_be_and_adjective_label_in_any_form_of_be_without_a_complement() -> None:
    vocabulary = Vocabulary.build(
        [
            ("esco:flexible", "adapt to change", ("be flexible",)),
            ("esco:duty", "be responsible", ()),
        ]
    )

    def found(text: str) -> list[str]:
        return [f.text for f in find_terms(vocabulary, text)]

    # a CDS people-operations posting
    text = "- is flexible and able to shift tasks and priorities when circumstances change;"
    assert found(text) == ["is flexible"]
    assert found("You’re flexible about how you work") == []  # a complement: how, not what
    # a CDS executive-assistant posting: a duty, not the trait
    assert found("- Be responsible for occasional note-taking and follow up on actions") == []
    assert found("You are responsible and calm") == ["are responsible"]


def test_an_action_with_its_object_is_that_act_not_the_ability() -> None:
    vocabulary = Vocabulary.build(
        [
            ("esco:communicating", "communicating", ()),
            ("esco:administration", "administration", ()),
            ("esco:recruiting", "recruiting", ()),
        ]
    )

    def found(text: str) -> list[str]:
        return [f.text for f in find_terms(vocabulary, text)]

    # an 18F product posting and a CDS policy one
    assert found("- Owning, developing or communicating the product vision") == []
    text = "privacy, research, communication, administration of government, and technology"
    assert found(text) == ["communication"]  # the noun of "communicating", alone
    # people as the object: dealing with them is the skill
    assert found("recruiting the candidates we need") == ["recruiting"]
    assert found("comfortable communicating with people") == ["communicating"]


def test_a_mixed_case_acronym_after_its_long_form_is_a_label() -> None:
    assert variants("Platform as a service PaaS") == ("PaaS", "Platform as a service")
    vocabulary = Vocabulary.build([("onet:paas", "Platform as a service PaaS", ())])
    found = find_terms(vocabulary, "leveraging cloud based services (SaaS/PaaS/IaaS)")
    assert [f.text for f in found] == ["PaaS"]
    assert "PaaS" not in variants("Cloud storage PaaS")  # not its initials


def test_an_everyday_word_in_a_list_of_skills_names_the_skill() -> None:
    vocabulary = Vocabulary.build([("onet:coordination", "Coordination", ())])

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    assert found("Strong communication, coordination and collaboration skills") == [
        "onet:coordination"
    ]
    assert found("in coordination with federal agencies") == []
    assert found("coordination of the team's skills") == []


def test_a_name_with_inner_capitals_written_as_a_plain_word_inside_a_title() -> None:
    vocabulary = Vocabulary.build([("onet:aa", "CCIS AccountAbility", ())])

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    assert found("Health Insurance Portability and Accountability Act (HIPAA)") == []
    assert found("Experience with AccountAbility") == ["onet:aa"]


def test_a_name_with_inner_capitals_that_is_an_english_word_without_them() -> None:
    vocabulary = Vocabulary.build(
        [("onet:aa", "CCIS AccountAbility", ()), ("onet:github", "GitHub", ())]
    )

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    # a CDS posting: the everyday word, not the product
    assert found("drive transparency and accountability at CDS") == []
    assert found("Accountability for results") == []
    # a name that is no English word is still the name in lower case
    assert found("version control such as github") == ["onet:github"]


def test_a_common_noun_listed_with_a_name_is_no_title() -> None:
    vocabulary = Vocabulary.build(
        [
            ("esco:git", "Git", ("git",)),
            ("onet:github", "GitHub", ()),
            ("esco:plan", "plan", ()),
        ]
    )

    def found(text: str) -> list[str]:
        return [f.text for f in find_terms(vocabulary, text)]

    # a CDS posting: two tools listed, not one name
    assert found("- Familiarity with Git and GitHub") == ["Git", "GitHub"]
    # a run whose other side is no name is still a title
    assert found("the Git and Release Team") == []


def test_a_line_capitalising_every_word_is_not_a_name() -> None:
    assert ad_ids("- Experience With Data Analytics") == ["esco:analytics"]
    assert ad_ids("- Data Analytics Modernization Lead") == []


def test_an_acronym_of_an_activity_names_what_it_works_on_not_the_activity() -> None:
    vocabulary = Vocabulary.build(
        [
            ("esco:ux", "create prototype of user experience solutions", ("UX",)),
            ("esco:pbx", "operate private branch exchange", ("PBX",)),
            ("esco:dbms", "database management systems", ("DBMS",)),
            ("esco:usage", "use presentation software", ("PPT",)),
        ]
    )

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    # from real ads: "UX/UI designers", "Experience in the field of UX Research"
    assert found("data analysts, UX/UI designers") == []
    assert found("Experience in the field of UX Research") == []
    assert found("install a PBX") == []
    # the activity's own label still names it; a thing's acronym still names the thing
    assert found("to create prototype of user experience solutions") == ["esco:ux"]
    assert found("tuning a DBMS") == ["esco:dbms"]
    # "use" is a noun too: the label is not read as an activity, its acronym stays
    assert found("slides in PPT") == ["esco:usage"]


def test_a_noun_modifying_the_next_noun_names_the_compound_not_the_skill() -> None:
    vocabulary = Vocabulary.build(
        [
            ("onet:communication", "Communications", ()),
            ("esco:agile", "ICT project management methodologies", ("agile",)),
            ("esco:infosec", "information security", ()),
        ]
    )

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    # from real ads
    assert found("across all of their interactions and communication channels.") == []
    assert found("and cultural/communications imperatives of the agency") == []
    assert found("Strong communication skills") == ["onet:communication"]
    assert found("manage communications with stakeholders") == ["onet:communication"]
    # an adjective still says how the work is done; a longer phrase keeps its sense
    assert found("on a distributed, agile team") == ["esco:agile"]
    assert found("implementing information security design") == ["esco:infosec"]


def test_a_word_listed_with_people_names_people() -> None:
    vocabulary = Vocabulary.build(
        [("onet:leadership", "Leadership", ()), ("esco:agile", "agile methods", ("agile",))]
    )

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    # from real ads: the managers, not the skill of leading
    assert found("high-level reports for leadership and other stakeholders") == []
    assert found("work directly with TTS leadership and staff") == []
    assert found("Partnering with stakeholders and leadership") == []
    assert found("Experience providing project leadership.") == ["onet:leadership"]
    assert found("leadership and communication") == ["onet:leadership"]
    # a noun after it is not a list: "agile team" is still agile
    assert found("on a distributed, agile team") == ["esco:agile"]


def test_a_phrase_yields_to_one_it_overlaps_that_says_more() -> None:
    vocabulary = Vocabulary.build(
        [
            ("esco:info", "working with information", ()),
            ("esco:standards", "ICT security standards", ("information security compliances",)),
            ("esco:ml", "machine learning", ()),
            ("esco:learning", "learning systems", ()),
        ]
    )

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    # from a real ad: "with" says nothing, so "working with information" covers two words
    # of meaning where the phrase it overlaps covers three
    assert found("Working with information security compliance frameworks") == ["esco:standards"]
    assert found("Working with information and data") == ["esco:info"]
    # as many words of meaning on both sides: the first phrase stays
    assert found("machine learning systems") == ["esco:ml"]


def test_a_lower_case_first_word_is_not_a_vendor() -> None:
    # "Microsoft PowerPoint" is the vendor's PowerPoint; "business IT systems" are not the
    # IT systems of a vendor called "business" (a real ESCO label; "modern IT systems" in
    # an ad is not it)
    assert variants("Microsoft PowerPoint") == ("PowerPoint",)
    assert variants("business IT systems") == ()
    vocabulary = Vocabulary.build(
        [("esco:business-it", "business ICT systems", ("business IT systems",))]
    )
    assert find_terms(vocabulary, "delivery of modern IT systems, software systems") == []
    assert [f.text for f in find_terms(vocabulary, "our business IT systems")] == [
        "business IT systems"
    ]


def test_a_modifier_is_shared_by_the_nouns_it_coordinates() -> None:
    vocabulary = Vocabulary.build(
        [("onet:dataviz", "Data visualization software", ()), ("esco:da", "data analysis", ())]
    )

    def found(text: str) -> list[str]:
        return [f.text for f in find_terms(vocabulary, text)]

    # from a real ad: data products and data visualizations
    assert found("Developing and deploying data products and visualizations") == [
        "data products and visualizations"
    ]
    assert found("Developing tooling, models, and visualizations") == []
    # not across a comma or another word: "data, models and visualizations"
    assert found("data, models and visualizations") == []


def test_a_lower_case_gerund_label_is_its_activity_in_lower_case_too() -> None:
    vocabulary = Vocabulary.build(
        [
            ("s:recruit", "recruiting and hiring", ("recruiting",)),
            ("s:interview", "interviewing", ()),
            ("s:go", "Go", ()),
        ],
        [],
    )

    def found(text: str) -> list[tuple[str, str]]:
        return [(f.text, t.id) for f in find_terms(vocabulary, text) for t in f.terms]

    # real ads' wording (18F talent postings): written in lower case, mid-sentence
    assert found("Managing recruitment processes (e.g. application, interviewing, selection)") == [
        ("recruitment", "s:recruit"),
        ("interviewing", "s:interview"),
    ]
    assert found("- Working with hiring teams to drive recruiting efforts") == [
        ("recruiting", "s:recruit")
    ]
    # an everyday word labelled with a capital still needs its capital
    assert found("go the extra mile; experience with Go") == [("Go", "s:go")]
    # an agent is a person, not the activity: no noun of action is made of it
    assert found("Training and mentoring new recruiters") == []


def test_nouns_of_action_come_from_the_lexicon() -> None:
    assert is_gerund("recruiting") and is_gerund("interviewing")
    assert not is_gerund("ring") and not is_gerund("leadership")
    assert gerund_verb("negotiating") == "negotiate"
    assert nominalisations("recruit") == ("recruitment",)
    assert nominalisations("negotiate") == ("negotiation",)
    assert nominalisations("interview") == ()  # the bare noun is the verb: nothing derived
    assert "audition" not in nominalisations("audit")


def test_an_everyday_word_listed_beside_a_skill_names_its_skill() -> None:
    vocabulary = Vocabulary.build(
        [
            ("s:email", "Email", ()),
            ("s:social", "Social media", ()),
            ("s:source", "Source", ()),
            ("s:scm", "source control", ()),
            ("s:knowledge", "knowledge", ()),
            ("s:ps", "problem solving", ()),
        ],
        [],
    )

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    # an 18F talent posting: email is listed with social media, a skill of several words
    text = "recruitment outreach via a variety of methods (e.g. networking, email, social media)"
    assert found(text) == ["s:email", "s:social"]
    # a whole item only: "source" ends "open source", "knowledge" is modified by "technical"
    assert found("best practices such as open source, source control") == ["s:scm"]
    assert found("apply technical knowledge, problem solving and analysis") == ["s:ps"]
    # and not beside another everyday word alone
    assert found("by email, knowledge or phone") == []


def test_an_acronym_with_a_small_s_is_its_plural() -> None:
    vocabulary = Vocabulary.build([("s:api", "API", ()), ("s:url", "URL", ())], [])
    # a real 18F posting: "such as Lean, Agile, Open Source, APIs, or UX"
    text = "Use of innovation tools and methodologies such as Lean, Agile, Open Source, APIs"
    assert [t.id for f in find_terms(vocabulary, text) for t in f.terms] == ["s:api"]
    assert [w for w, _s, _e in words("APIs and URLs")] == ["api", "and", "url"]
    # still only in capitals: the bees' genus is no API
    assert find_terms(vocabulary, "apis mellifera") == []


def test_ize_and_ise_spellings_are_one() -> None:
    vocabulary = Vocabulary.build(
        [
            ("esco:synth", "synthesise information", ()),
            ("onet:vis", "Visualization", ()),
            ("esco:cont", "containerisation", ()),
        ],
        [],
    )

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    # ESCO spells British, the ads American
    assert found("ability to synthesize information for decision makers") == ["esco:synth"]
    assert found("web development, containerization, cloud technologies") == ["esco:cont"]
    # an everyday word stays one in either spelling: "visualizations" here is no skill
    assert found("data products and visualizations") == []
    assert [w for w, _s, _e in words("analyze size prize")] == ["analyse", "size", "prize"]


def test_a_capitals_label_that_is_no_english_word_is_found_in_lower_case() -> None:
    vocabulary = Vocabulary.build(
        [("s:unix", "UNIX", ()), ("s:case", "CASE", ()), ("s:hr", "HR", ())], []
    )

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    # an 18F posting: "and/or unix-based operating systems"
    assert found("and/or unix-based operating systems") == ["s:unix"]
    # an English word, or a short one, still only in capitals
    assert found("in any case, talent/people/hr program teams") == []
    assert found("CASE tools and HR") == ["s:case", "s:hr"]


def test_a_light_verb_does_not_leave_a_phrase_opening_with_a_preposition() -> None:
    vocabulary = Vocabulary.build(
        [
            ("esco:stress", "cope with stress", ("perform under pressure",)),
            ("esco:review", "conduct ICT code review", ()),
            ("esco:erosion", "erosion control", ("conduct of erosion control",)),
        ],
        [],
    )

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    # a CDS executive assistant posting: how to stay calm, not a skill named "under pressure"
    assert found("Remain calm under pressure, know how to prioritize") == []
    assert found("you perform under pressure") == ["esco:stress"]
    # the light verb still drops before a noun phrase
    assert found("peer code review") == ["esco:review"]
    # "conduct of": the verb was a noun, nothing to drop
    assert variants("conduct of erosion control") == ()


def test_a_lower_case_word_keeps_the_qualifier_that_narrows_it() -> None:
    vocabulary = Vocabulary.build(
        [
            ("isced:0722", "materials (glass, paper, plastic and wood)", ()),
            ("esco:python", "Python (computer programming)", ()),
        ],
        [],
    )
    # an 18F marketing posting and a CDS one: everyday "materials"
    text = "video and print materials used for advertising; agendas and materials are provided"
    assert find_terms(vocabulary, text) == []
    assert [t.id for f in find_terms(vocabulary, "Python") for t in f.terms] == ["esco:python"]
    assert variants("materials (glass, paper, plastic and wood)") == ()


def test_a_label_after_a_rank_names_the_people_of_that_rank() -> None:
    vocabulary = Vocabulary.build(
        [("onet:lead", "Leadership", ()), ("s:python", "Python", ())],
        [],
    )

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    # a CDS director posting: the managers, not the skill of leading
    assert found("Work collaboratively with senior leadership across CDS") == []
    assert found("briefings for upper leadership.") == []
    # a rank before a word that modifies the next noun takes nothing from it
    assert found("Senior Python Developer") == ["s:python"]
    # and without a rank it is the skill
    assert found("Experience providing technical leadership to teams") == ["onet:lead"]


def test_an_everyday_word_in_a_title_line_is_not_a_skill() -> None:
    # a CDS posting's title: the capital of "Design" is the title's, not a name's
    assert ids("Head of Design\n- You apply the right tools to solve problems.") == []
    # a list on one line, or a sentence, is no title
    assert ids("Experience With Java, Design and Go") == ["s:java", "s:design", "s:go"]
    assert ids("Experience with Go and Design.") == ["s:go", "s:design"]
    # a title still names a skill that is no everyday word
    assert ids("Senior Java Developer") == ["s:java"]


def test_a_javascript_library_is_also_written_without_its_dot() -> None:
    vocabulary = Vocabulary.build([("s:node", "Node.js", ()), ("s:pay", "Salary.com", ())], [])

    def found(text: str) -> list[str]:
        return [f.text for f in find_terms(vocabulary, text)]

    # a CDS developer posting: "technologies like NodeJS, React, Angular"
    assert found("technologies like NodeJS, React, Angular") == ["NodeJS"]
    assert found("node.js and Nodejs") == ["node.js", "Nodejs"]
    # a web address keeps its dot
    assert variants("Salary.com") == ()


def test_a_noun_inside_an_adjective_label_narrows_it() -> None:
    vocabulary = Vocabulary.build(
        [
            ("esco:iter", "Iterative development", ()),
            ("onet:agile", "Agile development", ()),
            ("esco:media", "social media", ()),
        ],
        [],
    )

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    # a CDS policy posting and an 18F director's
    assert found("help scale iterative software development and human-centred design") == [
        "esco:iter"
    ]
    assert found("teams using agile software development processes") == ["onet:agile"]
    # not across a plural, a capital or punctuation, nor after a word that is also a noun
    assert found("iterative teams development") == []
    assert found("iterative Software development") == []
    assert found("iterative, development") == []
    assert found("social news media") == []


def test_a_compound_of_two_nouns_is_also_read_with_of() -> None:
    vocabulary = Vocabulary.build(
        [("esco:da", "data analysis", ()), ("onet:fin", "Management of Financial Resources", ())],
        [],
    )

    def found(text: str) -> list[str]:
        return [f.text for f in find_terms(vocabulary, text)]

    # a CDS design researcher posting
    text = "You lead discovery interviews, observation, and analysis of existing data."
    assert found(text) == ["analysis of existing data"]
    assert found("analysis of data") == ["analysis of data"]
    # once, and not from a name in capitals
    assert found("data analysis; analysis of data") == ["data analysis"]
    assert found("Analysis Of Data") == []


def test_a_compound_with_of_reads_the_head_of_its_second_noun_phrase() -> None:
    vocabulary = Vocabulary.build(
        [("esco:da", "data analysis", ()), ("esco:rm", "resource management", ())], []
    )

    def found(text: str) -> list[str]:
        return [f.text for f in find_terms(vocabulary, text)]

    assert found("careful analysis of historical sales data") == [
        "analysis of historical sales data"
    ]
    assert found("analysis of statistical and operational trial data") == [
        "analysis of statistical and operational trial data"
    ]
    # the phrase ends at a stop, a preposition or a clause
    assert found("analysis of historical sales. Data is kept") == []
    assert found("analysis of historical trends in data") == []
    # a phrase opening with a noun is a compound of its own: no "resource management" here
    assert found("the management of staff resources") == []


def test_an_adjective_label_written_capitalised_is_a_name() -> None:
    vocabulary = Vocabulary.build(
        [("onet:admin", "Administrative", ()), ("s:angular", "Angular", ())], []
    )

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    # CDS postings: everyday adjectives
    assert found("a wide range of organizational and administrative support") == []
    assert found("key administrative and operational functions; angular shapes") == []
    # the names, capitalised mid-sentence
    assert found("technologies like NodeJS, React, Angular, Serverless") == ["s:angular"]
    assert found("knowledge areas: Clerical and Administrative") == ["onet:admin"]


def test_a_head_saying_only_the_doing_of_may_be_left_unsaid() -> None:
    vocabulary = Vocabulary.build(
        [
            ("esco:ur", "execute ICT user research activities", ("user research activities",)),
            ("esco:eh", "ethical hacking techniques", ()),
            ("esco:di", "digital identity methods", ()),
        ],
        [],
    )

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    # an 18F design lead and a CDS design researcher posting
    assert found("Integrating user research and screen interaction design") == ["esco:ur"]
    assert found("ethical hacking, penetration testing") == ["esco:eh"]
    # a body of knowledge keeps its head
    assert found("formulating digital identity policy recommendations") == []


def test_a_compound_every_label_hyphenates_needs_its_hyphens() -> None:
    vocabulary = Vocabulary.build(
        [
            ("esco:teams", "work in teams", ("team-working",)),
            ("onet:analyse-it", "Analyse-it", ()),
            ("esco:ps", "solving problems", ("problem-solving", "problem solving")),
        ],
        [],
    )

    def found(text: str) -> list[str]:
        return [f.text for f in find_terms(vocabulary, text)]

    # a CDS outreach posting: a team that works across Canada
    assert found("Build, coach, and manage a remote-first team working across Canada.") == []
    assert found("strong team-working skills; analyse it") == ["team-working"]
    # a label writing the words apart too is read either way
    assert found("problem solving and problem-solving") == ["problem solving", "problem-solving"]


def test_a_verb_phrase_label_and_its_noun_compound_name_one_skill() -> None:
    vocabulary = Vocabulary.build(
        [
            ("esco:solve", "solve problems", ()),
            ("esco:ps", "problem solving", ()),
            ("esco:analyse", "analyse data", ()),
            ("esco:da", "data analysis", ()),
            ("onet:da", "Data analysis software", ("Data analysis",)),
            ("esco:help", "help people", ()),
        ],
        [],
    )

    def found(text: str) -> list[tuple[str, list[str]]]:
        return [(f.text, sorted(t.id for t in f.terms)) for f in find_terms(vocabulary, text)]

    # the verb and its object, and the object with the verb's gerund or noun of action
    assert found("Analyze data to help us tell the stories") == [
        ("Analyze data", ["esco:analyse", "esco:da"])
    ]
    assert found("strong data analysis chops") == [
        ("data analysis", ["esco:analyse", "esco:da", "onet:da"])
    ]
    assert found("help teams solve problems") == [("solve problems", ["esco:ps", "esco:solve"])]
    # the doer, after "you're a", names both too
    assert found("You’re a strong researcher and problem-solver") == [
        ("problem-solver", ["esco:ps", "esco:solve"])
    ]
    assert nominalisations("analyse") == ("analysis",)


def test_a_verb_phrase_label_is_also_its_compound_verb() -> None:
    vocabulary = Vocabulary.build(
        [("esco:solve", "solve problems", ()), ("esco:help", "help people", ())], []
    )

    def found(text: str) -> list[str]:
        return [f.text for f in find_terms(vocabulary, text)]

    # CDS postings: "navigate government processes and problem solve", "problem-solve"
    assert found("navigate government processes and problem solve") == ["problem solve"]
    assert found("to help navigate government and problem-solve") == ["problem-solve"]
    # "help" is also a noun: "people help" is no compound verb
    assert found("where people help each other") == []
    # one object after an article: a CDS posting, "to help them solve a problem"
    assert found("understand their needs to help them solve a problem") == ["solve a problem"]
    assert found("solve the problem at hand") == ["solve the problem"]


# A vendor's product line, as O*NET's technology examples hold Google's (30 of them).
GOOGLE_LINE = [
    ("onet:google", "Google", ()),
    ("onet:docs", "Google Docs", ()),
    *(
        (f"onet:google-{p.lower()}", f"Google {p}", ())
        for p in ("Sheets", "Slides", "Drive", "Analytics", "Ads", "Forms", "Calendar")
    ),
]


def test_a_vendor_before_a_product_the_vocabulary_does_not_hold_is_not_read() -> None:
    vocabulary = Vocabulary.build(
        [
            *GOOGLE_LINE,
            ("onet:python", "Python", ()),
            ("onet:django", "Django", ()),
            ("onet:py-sdk", "Python Software Development Kit", ()),
        ],
        [],
    )

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    # CDS postings: "a suite of SaaS tools including Google Apps", "the Google Play Store"
    assert found("a suite of SaaS tools including Google Apps, Trello") == []
    assert found("distribution via the Apple App Store and Google Play Store") == []
    # the product the vocabulary holds, the vendor alone, and two names listed
    assert found("tools like Google Docs, Slack") == ["onet:docs"]
    assert found("search with Google. Then") == ["onet:google"]
    assert found("Python Django experience") == ["onet:python", "onet:django"]
    # a language a tool or two is named after is no vendor: a role or a thing after it
    assert found("We are hiring a Python Developer") == ["onet:python"]
    assert found("Python Notebooks") == ["onet:python"]


def test_a_quality_shown_is_the_trait_alone() -> None:
    vocabulary = Vocabulary.build(
        [
            ("esco:empathy", "show empathy", ()),
            ("esco:interest", "show interest", ()),
            ("esco:commitment", "demonstrate commitment", ()),
        ],
        [],
    )

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    # CDS postings: "based on empathy, trust and shared understanding"
    assert found("relationships based on empathy, trust and shared understanding") == [
        "esco:empathy"
    ]
    # a countable noun has other senses: "an interest", "a commitment" to a date
    assert found("conflicts of interest; commitments to partners") == []
    assert is_mass_noun("empathy") and not is_mass_noun("interest")


def test_a_noun_before_a_conjunction_modifies_nothing() -> None:
    vocabulary = Vocabulary.build([("esco:empathy", "show empathy", ())], [])
    # a CDS posting: "with a growth mindset and empathy while adapting to ... environments"
    text = "Lead your team with a growth mindset and empathy while adapting to change"
    assert [t.id for f in find_terms(vocabulary, text) for t in f.terms] == ["esco:empathy"]
    # before a noun it still makes a compound: "empathy maps" are a design artefact
    assert find_terms(vocabulary, "draw empathy maps") == []


def test_an_everyday_word_upheld_as_a_value_names_its_trait() -> None:
    vocabulary = Vocabulary.build(
        [("onet:integrity", "Integrity", ()), ("esco:values", "values", ())], []
    )

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    # CDS postings
    assert found(
        "- Promoting inclusive delivery and upholding impact, openness, integrity and fairness."
    ) == ["onet:integrity"]
    assert found("uphold accessibility standards, diversity, impact, integrity, openness") == [
        "onet:integrity"
    ]
    # not a list of values upheld: the data's integrity; nor a modified item
    assert found("ensure the confidentiality, integrity, and availability of services") == []
    assert found("while embodying our organizational values;") == []


def test_a_skills_label_and_its_words_without_skills_name_one_skill() -> None:
    vocabulary = Vocabulary.build(
        [("onet:writing", "Writing", ()), ("esco:writing", "writing skills", ())], []
    )

    def found(text: str) -> list[tuple[str, list[str]]]:
        return [(f.text, sorted(t.id for t in f.terms)) for f in find_terms(vocabulary, text)]

    # a CDS posting: "Use their excellent writing and communication skills"
    assert found("excellent writing and communication skills") == [
        ("writing", ["esco:writing", "onet:writing"])
    ]
    assert found("strong writing skills") == [("writing skills", ["esco:writing", "onet:writing"])]


def test_a_name_followed_by_a_version_or_its_own_longer_label_is_no_vendor() -> None:
    vocabulary = Vocabulary.build(
        [
            *GOOGLE_LINE,
            ("onet:java", "Java (computer programming)", ("Java",)),
            ("onet:js", "JavaScript", ()),
            ("onet:jsf", "JavaScript Framework", ()),
        ],
        [],
    )

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    # Java opens only its own labels: no vendor
    assert found("Java Spring services") == ["onet:java"]
    # a version or an acronym after a name is not another product's name
    assert found("modern JavaScript ES6 code") == ["onet:js"]
    assert found("Google Apps and Google Docs") == ["onet:docs"]


def test_an_everyday_verb_and_people_in_general_is_no_alternative_label() -> None:
    vocabulary = Vocabulary.build(
        [
            ("esco:mentor", "mentor individuals", ("help people", "support others")),
            ("esco:manage", "manage staff", ("manage people",)),
        ],
        [],
    )

    def found(text: str) -> list[str]:
        return [t.id for f in find_terms(vocabulary, text) for t in f.terms]

    # CDS postings
    assert found("You like to learn new things and help people out.") == []
    assert found("Focusing on measuring how we help people") == []
    assert found("support others in their growth") == []
    # the preferred label, and a verb that is only a verb, still name it
    assert found("mentor individuals; manage people") == ["esco:mentor", "esco:manage"]


def test_what_a_job_asks_of_people_stays_an_alternative_label() -> None:
    vocabulary = Vocabulary.build(
        [("esco:lead", "lead others", ("motivate others", "influence others", "manage people"))],
        [],
    )

    def found(text: str) -> list[str]:
        return [f.text for f in find_terms(vocabulary, text)]

    # "motivate", "influence" are no everyday help: still labels of leading others
    assert found("Ability to influence others and motivate others") == [
        "influence others",
        "motivate others",
    ]
    # people as the object are not written first: "we help people manage their money"
    assert found("We help people manage their money") == []


def test_a_gerund_label_is_also_its_verb() -> None:
    # "write" opens the labels of many concepts ("write code", "write reports"...): general
    general = [(f"s:write{n}", f"write {thing}", ()) for n, thing in enumerate("abcdefghij")]
    vocabulary = Vocabulary.build(
        [
            ("onet:troubleshooting", "Troubleshooting", ()),
            ("onet:writing", "Writing", ()),
            ("s:design", "designing", ()),
            *general,
        ],
        [],
    )

    def found(text: str) -> list[tuple[str, list[str]]]:
        return [(f.text, [t.id for t in f.terms]) for f in find_terms(vocabulary, text)]

    assert found("You troubleshoot failing builds and fix them.") == [
        ("troubleshoot", ["onet:troubleshooting"])
    ]
    assert found("She troubleshoots printers and troubleshooted the network.") == [
        ("troubleshoots", ["onet:troubleshooting"]),
        ("troubleshooted", ["onet:troubleshooting"]),
    ]
    # a verb the vocabulary uses with many objects is general: its object says which skill
    assert found("You will write release notes.") == []
    # a verb that is a noun too is no verb of the label ("a design")
    assert found("Design the onboarding flow") == []


def test_a_list_of_actions_shares_its_complement_with_of() -> None:
    vocabulary = Vocabulary.build([("esco:recruit", "recruiting", ())], [])

    def found(text: str) -> list[str]:
        return [f.text for f in find_terms(vocabulary, text)]

    # the recruitment is of a team's skills, an act, as "recruitment of a capability" is
    assert found("Lead the recruitment and retention of a skilled workforce") == []
    assert found("the recruitment, onboarding and support of new volunteers") == []
    # people as the shared complement: dealing with them is the skill
    assert found("recruitment and onboarding of participants") == ["recruitment"]
    # no shared complement: the ability
    assert found("recruitment and onboarding for the team") == ["recruitment"]


def test_a_label_of_using_a_thing_and_the_thing_name_each_other() -> None:
    vocabulary = Vocabulary.build(
        [
            ("esco:markup", "use markup languages", ("use HTML",)),
            ("onet:html", "Hypertext markup language HTML", ()),
            ("esco:ml", "machine learning", ()),
            ("esco:use-ml", "utilise machine learning", ()),
            ("esco:design-db", "design relational database", ()),
            ("esco:db", "relational database", ()),
        ],
        [],
    )

    def found(text: str) -> list[str]:
        return sorted(t.id for f in find_terms(vocabulary, text) for t in f.terms)

    # the State of California's content strategist: "modify HTML", labelled "use HTML"
    assert found("modify HTML and associated coding") == ["esco:markup", "onet:html"]
    assert found("You use HTML daily") == ["esco:markup", "onet:html"]
    assert found("machine learning models") == ["esco:ml", "esco:use-ml"]
    # only a verb of using: designing a database is not knowing databases
    assert found("You design relational database schemas") == ["esco:design-db"]
    assert found("the relational databases we run") == ["esco:db"]
