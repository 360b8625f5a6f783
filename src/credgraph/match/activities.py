"""Skills an ad writes as what the person does, not by their label.

    for label, start, end in written_activities(text): ...

O*NET names some of what employers ask most by abstract nouns that ads almost never write:
nobody asks for "Management of Personnel Resources" (O*NET 2.B.5.d, "motivating, developing,
and directing people as they work"), they ask for "experience managing or supervising staff".
Each `Activity` below is one such way of writing a skill, read from O*NET's definition of the
element it names, as a pattern over the text:

* **Leadership** (O*NET work style 1.C.2.b, "a willingness to lead, take charge, and offer
  opinions and direction"): leading a team, staff or people ("Lead a cross-functional team of
  researchers", "leading teams of senior engineers"), or leadership of a project, a product,
  a team or a technical field ("providing project or product leadership");
* **Management of Personnel Resources**: managing or supervising people ("managing
  individuals", "supervising a team", "Supervising the work of an organization", "serves as
  a supervisor", "supervisory guidance", "line management"); "Supervisory" opening a job title is not read, the
  title names the job, not what it asks;
* **Coaching and Developing Others** (O*NET 4.A.4.b.5, "identifying the developmental needs
  of others and coaching, mentoring, or otherwise helping others to improve"): mentoring or
  coaching people, providing mentorship, managing "through coaching";
* **Training and Teaching Others** (O*NET 4.A.4.b.3, "teaching or instructing others"):
  training, teaching or instructing people ("train and develop colleagues", "Training and
  mentoring new recruiters"), or the training of people;
* **communication** (ESCO's *communicating*, "using language, symbols and text
  effectively"): communicating as an ability, not a message: "communicate effectively",
  "communicating with people", "through email", "Communicate and write in both French and
  English" (not "communicate the product vision"), and a message told to people, an
  audience ("communicate technical concepts to a non-technical audience", "communicate
  plans and progress to the director");
* **project management**: to project-manage, to manage projects, or the management of
  projects ("the overall planning, management, and direction of ... projects").
* **risk management**: managing or mitigating risks ("Assessing and managing project or
  program risk", "mitigate delivery risks", "mitigating or escalating risks"), or the
  management or mitigation of risks; not risks only identified or balanced;
* **synthesise information** (ESCO, "critically read, interpret, and summarise new and
  complex information from diverse sources"): synthesising, or the synthesis of, research,
  data, findings, evidence, feedback or insights ("Synthesize research findings");
* **strategic planning** (ESCO's *developing objectives and strategies*, "define the
  organisation's strategy, or direction"): defining, determining, setting, shaping or
  planning strategic goals, objectives, priorities, direction or road maps ("Define the
  long-term strategic goals", "determine the unit's vision, strategic direction"); not a
  strategy only aligned with or carried out;
* **Management of Financial Resources** (O*NET 2.B.5.b, "determining how money will be spent
  to get the work done, and accounting for these expenditures") and ESCO's *managing budgets
  or finances*: forecasting budgets, managing or overseeing a budget ("developing budget
  forecasting", "Forecast budget needs", "overseeing a budget lifecycle").

Each verb may share its object with a second verb coordinated with it ("Leading and/or
supervising a team", "manage and execute on multiple projects"), up to six words may
modify the object and modifiers coordinated before it count as one ("one or more multi
disciplinary agile delivery teams"), "including" ends it (what follows are examples), the object
may close a list ("Managing workflows, processes, programs or projects"), and the
activity may be written as its noun ("supervision of large teams", "leadership to teams",
"mentorship for staff").

`skill_text.find_terms` reads these after the labels: an activity names the skills the
vocabulary holds under its label (whichever framework's concepts they are; without that
label in the vocabulary it names nothing), only where the text does not already name them
by a label, and once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from credgraph.match.common_words import PREPOSITIONS

# The people a lead, a manager or a coach works with.
_PEOPLE = (
    r"(?:teams?|staff|people|individuals|employees|personnel|members|direct reports|"
    r"engineers|designers|researchers|developers|technologists|specialists|analysts|"
    r"professionals|practitioners|fellows|others|workforce|colleagues|co-?workers|peers|"
    r"recruiters|coordinators)"
)
# Up to six words between a verb and its object ("one or more multi disciplinary agile
# delivery teams", "interdisciplinary, cross-functional, geographically-distributed software
# development teams"); a conjunction between two of them is not counted ("a cross-functional
# or multidisciplinary team"). A word opens with a letter: a list marker ("Team Lead\n-
# Manage a team") ends the item the verb is in. A preposition ends the object: in "Leading
# research with other members" the members are whom one works with, not whom one leads; so
# does "including", which opens examples of the object ("program resources including
# contractor staff" manages no staff), and "on behalf of" ("manage correspondence on behalf
# of the team" manages no team). Not "of", "on" and "in", which belong to the object
# or the verb ("a team of engineers", "execute on projects").
_ENDS_OBJECT = sorted((PREPOSITIONS - {"of", "on", "in"}) | {"including", "behalf"})
_WORD_BETWEEN = rf"(?!(?:{'|'.join(_ENDS_OBJECT)})\b)[\w&'’][\w&'’-]*"
_BETWEEN = rf"(?:[\s/,]+(?:(?:and|or)\s+)?{_WORD_BETWEEN}){{0,6}}?[\s/,]+(?:(?:and/or|and|or)\s+)?"
# A second verb coordinated with the first shares its object: "Leading and/or supervising a
# team", "manage and execute on multiple projects", "Training and mentoring new staff".
_AND_VERB = r"(?:,?\s+(?:and/or|and|or)\s+[\w-]+)?"
# What is known and found: the objects of synthesising information.
_INFORMATION = r"(?:information|data|findings|research|evidence|feedback|insights)"
# Whom a message is told to: "to a non-technical audience", "to internal and external
# stakeholders", "to the Director of Partnerships". Its words stay in the verb's clause (no
# stop, colon or line between): "communicate service performance against key indicators to".
_AUDIENCE = (
    rf"(?:{_PEOPLE}|audiences?|stakeholders|partners|clients|customers|users|executives|"
    r"leaders|leadership|managers|directors?|ministers?|officials|public)"
)
_TO_AUDIENCE = (
    r"(?:[ \t]+[\w'’/-]+,?){0,6}?[ \t]+to[ \t]+(?:(?:a|an|the|our|their|its|your)[ \t]+)?"
    rf"(?:[\w-]+,?[ \t]+(?:(?:and|or)[ \t]+)?){{0,3}}?{_AUDIENCE}\b"
)
# What a strategy sets: "the long-term strategic goals", "strategic road maps".
_STRATEGY = r"(?:direction|goals?|objectives?|priorities|road\s*maps?|plans?|vision|outcomes)\b"
# Managing people, not managing what people make ("managing team budgets").
_NOT_MODIFIER = r"(?![\w-]*\s+(?:budgets?|resources|schedules?|priorities|goals)\b)"


# Deciding what money is spent on and answering for it: "developing budget forecasting",
# "Forecast budget needs", "overseeing a budget lifecycle", "managing team budgets".
_BUDGETING = re.compile(
    r"\b(?:budget\s+forecast(?:s|ing)?|forecast(?:s|ing|ed)?\s+budgets?"
    rf"|(?:manag(?:e|es|ing|ed)|oversee(?:s|ing)?|oversaw){_AND_VERB}{_BETWEEN}budgets?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Activity:
    """A way of writing a skill as something done: the label it names and the pattern."""

    label: str
    pattern: re.Pattern[str]


def _pattern(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


ACTIVITIES: tuple[Activity, ...] = (
    Activity(
        "Leadership",
        _pattern(
            rf"(?:lead|leads|leading|led){_AND_VERB}{_BETWEEN}{_PEOPLE}{_NOT_MODIFIER}",
            rf"leadership\s+(?:of|to|for){_BETWEEN}{_PEOPLE}",
            r"(?:project|product|team|technical|people|program|organi[sz]ational)"
            r"(?:\s+(?:or|and)\s+\w+)?\s+leadership",
            r"leadership\s+(?:skills|experience|abilit(?:y|ies))",
        ),
    ),
    Activity(
        "Management of Personnel Resources",
        _pattern(
            rf"(?:manag(?:e|es|ing|ed)|supervis(?:e|es|ing|ed)){_AND_VERB}{_BETWEEN}{_PEOPLE}"
            rf"{_NOT_MODIFIER}",
            r"supervis(?:e|es|ing|ed)\s+the\s+work\s+of",
            rf"(?:supervision|management)\s+of{_BETWEEN}{_PEOPLE}{_NOT_MODIFIER}",
            r"(?:manag(?:e|es|ing|ed)|lead(?:s|ing)?)\s+(?:and|or|and/or)\s+supervis(?:e|es|ing)",
            r"(?:serves?|serving|experience)\s+as\s+an?\s+supervisor",
            r"(?-i:supervisory)\s+(?:guidance|responsibilit(?:y|ies)|experience|role|duties)",
            r"(?:people|personnel|staff|line)\s+management",
        ),
    ),
    Activity(
        "Coaching and Developing Others",
        _pattern(
            rf"(?:mentor(?:s|ing|ed)?|coach(?:es|ing|ed)?){_AND_VERB}{_BETWEEN}{_PEOPLE}",
            r"(?:provid(?:e|es|ing)|offer(?:s|ing)?)(?:\s+[\w-]+){0,2}?\s+mentorship",
            r"(?:through|by|with)\s+coaching",
            rf"(?:mentorship|coaching)\s+(?:of|to|for){_BETWEEN}{_PEOPLE}",
            r"(?:mentoring|coaching)\s+(?:and|or)\s+(?:mentoring|coaching)",
        ),
    ),
    Activity(
        "Training and Teaching Others",
        _pattern(
            # not a list's item: "quality, training, workforce management" trains no one
            r"(?:train(?:s|ing|ed)?|teach(?:es|ing)?|taught|instruct(?:s|ing|ed)?)(?!,)"
            rf"{_AND_VERB}{_BETWEEN}{_PEOPLE}",
            rf"(?:training|teaching|instruction)\s+(?:of|for){_BETWEEN}{_PEOPLE}",
        ),
    ),
    Activity(
        "communication",
        _pattern(
            rf"communicat(?:e|es|ing|ed){_AND_VERB}\s+(?:effectively|clearly|well|concisely|openly|"
            r"comfortably|with|through|via|by|in\s+writing|verbally|in\s+both)",
            rf"communicat(?:e|es|ing|ed){_AND_VERB}{_TO_AUDIENCE}",
        ),
    ),
    Activity(
        "project management",
        _pattern(
            r"project[- ]manag(?:e|es|ing|ed)",
            rf"manag(?:e|es|ing|ed){_AND_VERB}{_BETWEEN}projects",
            r"management(?:,?\s+(?:and\s+|or\s+)?[\w/]+){0,3},?\s+of(?:\s+[\w,/]+){0,6}?\s+projects",
        ),
    ),
    Activity(
        "risk management",
        _pattern(
            rf"(?:manag|mitigat)(?:e|es|ing|ed){_AND_VERB}{_BETWEEN}risks?",
            rf"(?:management|mitigation)\s+of{_BETWEEN}risks?",
        ),
    ),
    Activity(
        "synthesise information",
        _pattern(
            rf"synthes[iy][sz](?:e|es|ing|ed){_AND_VERB}{_BETWEEN}{_INFORMATION}",
            rf"synthesis\s+of{_BETWEEN}{_INFORMATION}",
        ),
    ),
    Activity(
        "strategic planning",
        _pattern(
            rf"(?:defin|determin|set|shap|plan)(?:e|es|ing|ed|s|ting|ning|ned)?{_AND_VERB}"
            rf"{_BETWEEN}strategic\s+{_STRATEGY}",
        ),
    ),
    # O*NET's element and ESCO's skill of the same work: each names its own concept
    Activity("Management of Financial Resources", _BUDGETING),
    Activity("managing budgets or finances", _BUDGETING),
)


def written_activities(text: str) -> Iterator[tuple[str, int, int]]:
    """Each activity written in `text`: the label it names, and where, at its first place."""
    for activity in ACTIVITIES:
        hit = activity.pattern.search(text)
        if hit is not None:
            yield activity.label, hit.start(), hit.end()
