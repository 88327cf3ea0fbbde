"""Governance records: rules (settings), share register, assemblies, elections, consultations."""

from mutua.governance.models.rules import GovernanceRules, VoteWeight
from mutua.governance.models.shares import (
    ApprovedAccounts,
    Exit,
    ExitKind,
    ExitStatus,
    HolderKind,
    MovementKind,
    PaymentMethod,
    ShareClass,
    Shareholder,
    ShareMovement,
    Subscription,
    SubscriptionStatus,
)

__all__ = [
    "ApprovedAccounts",
    "Exit",
    "ExitKind",
    "ExitStatus",
    "GovernanceRules",
    "HolderKind",
    "MovementKind",
    "PaymentMethod",
    "ShareClass",
    "ShareMovement",
    "Shareholder",
    "Subscription",
    "SubscriptionStatus",
    "VoteWeight",
]
