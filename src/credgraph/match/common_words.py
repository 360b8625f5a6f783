"""Words that name a skill in some framework and mean something else in ordinary prose.

`COMMON_WORDS` are one-word labels (normalised: lower case, singular) that an ad uses as plain
English far more often than as the skill: "go", "access", "design", "integrity". As a one-word
phrase such a label names its skill only when written with a capital letter and not at the
start of a sentence ("experience with Go", "Skills: Design, Writing"). The list was drawn from
the one-word labels of ESCO v1.2.0 and O*NET 29.2 (`bench/equivalence/`), keeping the words a
dictionary gives an everyday sense.

`EMPTY_WORDS` carry no meaning alone: a label made only of them is never a phrase.
"""

from __future__ import annotations

EMPTY_WORDS = frozenset(["a", "an", "the", "it", "etc", "and", "or", "nor", "of", "in", "on", "at", "to", "for", "with", "by", "from", "as", "is", "are", "be", "been", "was", "were", "this", "that", "these", "those", "its", "our", "your", "their", "not", "no", "any", "all", "each", "per", "via", "than", "then", "so", "such"])

COMMON_WORDS = frozenset(["access", "adjustment", "analyze", "assembly", "blink", "box", "call", "canvas", "cent", "chef", "choose", "climb", "computer", "content", "cooperate", "cooperation", "coordination", "curl", "cyclone", "dance", "decide", "delegate", "design", "dig", "diameter", "draw", "email", "endurance", "environment", "experiment", "ferret", "forth", "go", "guide", "hack", "harvest", "hotspot", "independence", "initiative", "innovate", "innovation", "installation", "instructing", "integrity", "invent", "io", "it", "knowledge", "language", "law", "lead", "lecture", "less", "loom", "magic", "mechanical", "memory", "memorization", "mocha", "monitoring", "negotiate", "negotiating", "persist", "persistence", "persuade", "plan", "process", "rage", "report", "repairing", "route", "rudder", "salt", "scheme", "schedule", "scratch", "seesaw", "service", "shiny", "sing", "skill", "source", "speaking", "spark", "square", "stamina", "swift", "trojan", "unity", "value", "velvet", "vigilant", "weighing", "welfare", "writing", "zoom", "health", "healthcare", "education", "efficiency", "ethic", "sport", "art", "belief", "moral", "curiosity", "helpfulness", "cleaning", "alarm", "sensor", "chip", "formula", "formulae", "improvise", "interviewing", "recruiting", "tutoring", "counselling", "lead", "puppet", "travis", "salt", "turing", "basecamp", "slack", "square", "shell", "excel", "word", "office", "team", "teams", "outlook", "project", "impact", "origin", "focus", "sketch", "act", "visualization", "production", "estimating", "plan", "services"])
