"""The onboarding profile of an extract: ``casewatch data profile`` computes it and writes it as HTML or xlsx."""

from .build import build_profile
from .model import Profile
from .write import write_profile

__all__ = ["Profile", "build_profile", "write_profile"]
