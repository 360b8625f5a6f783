"""Answers built on the store port: skill gaps (and, later, comparisons with rows)."""

from credgraph.analysis.skill_gap import SkillGap, skill_gap

__all__ = ["SkillGap", "skill_gap"]
