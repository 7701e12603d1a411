"""The rule catalog: one module per rule, registered here in code order.

Codes are stable (DESIGN.md section 4); messages may change.
"""

from __future__ import annotations

from checks.rules.base import Invalid, Rule, Valid
from checks.rules.forbidden_import import ForbiddenImportRule
from checks.rules.global_state import GlobalStateRule
from checks.rules.hardcoded_secret import HardcodedSecretRule
from checks.rules.layer_violation import LayerViolationRule
from checks.rules.mixed_concerns import MixedConcernsRule
from checks.rules.orm_model_outside_models import OrmModelOutsideModelsRule
from checks.rules.permissive_cors import PermissiveCorsRule
from checks.rules.plaintext_password import PlaintextPasswordRule
from checks.rules.raw_sql import RawSqlRule
from checks.rules.route_business_logic import RouteBusinessLogicRule
from checks.rules.route_constructs_dependency import RouteConstructsDependencyRule
from checks.rules.route_db_access import RouteDbAccessRule
from checks.rules.route_duplicate_prefix import RouteDuplicatePrefixRule
from checks.rules.route_missing_response_model import RouteMissingResponseModelRule
from checks.rules.route_outside_api_layer import RouteOutsideApiLayerRule
from checks.rules.route_returns_orm import RouteReturnsOrmRule
from checks.rules.secret_in_response import SecretInResponseRule
from checks.rules.service_db_access import ServiceDbAccessRule
from checks.rules.service_framework_coupling import ServiceFrameworkCouplingRule
from checks.rules.sql_injection import SqlInjectionRule
from checks.rules.sync_db_in_async import SyncDbInAsyncRule
from checks.rules.syntax_error import SyntaxErrorRule
from checks.rules.unused_suppression import UnusedSuppressionRule

ALL_RULES: tuple[type[Rule], ...] = (
    SyntaxErrorRule,
    LayerViolationRule,
    ForbiddenImportRule,
    RouteBusinessLogicRule,
    RouteDbAccessRule,
    RouteReturnsOrmRule,
    RouteMissingResponseModelRule,
    RouteConstructsDependencyRule,
    RouteOutsideApiLayerRule,
    RouteDuplicatePrefixRule,
    ServiceDbAccessRule,
    ServiceFrameworkCouplingRule,
    RawSqlRule,
    SqlInjectionRule,
    SyncDbInAsyncRule,
    OrmModelOutsideModelsRule,
    MixedConcernsRule,
    GlobalStateRule,
    PlaintextPasswordRule,
    SecretInResponseRule,
    HardcodedSecretRule,
    PermissiveCorsRule,
    UnusedSuppressionRule,
)

__all__ = ["ALL_RULES", "Invalid", "Rule", "Valid", "rule_by_code"]


def rule_by_code(code_or_name: str) -> type[Rule] | None:
    """The rule with this code (case-insensitive) or name, if any."""
    wanted = code_or_name.strip().lower()
    for rule in ALL_RULES:
        if rule.code.lower() == wanted or rule.name == wanted:
            return rule
    return None
