"""Answers built on the store port: comparisons, similar credentials and skill gaps, each
counting a skill as shared when it is the same node or an equivalent one."""

from credgraph.analysis.comparison import (
    SharedSkill,
    SkillComparison,
    compare_views,
)
from credgraph.analysis.equivalents import Equivalents, Match, load_equivalents
from credgraph.analysis.similar import SimilarThrough, similar_credentials
from credgraph.analysis.skill_gap import Reason, Recommendation, SkillGap, skill_gap

__all__ = [
    "Equivalents",
    "Match",
    "Reason",
    "Recommendation",
    "SharedSkill",
    "SimilarThrough",
    "SkillComparison",
    "SkillGap",
    "compare_views",
    "load_equivalents",
    "similar_credentials",
    "skill_gap",
]
