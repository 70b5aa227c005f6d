"""Customers (CRM): tier scoring, red/black lists, import, directory, identity checks, hints.

Pure Python over `hotline.core` and the call ports: the database side lives in
`hotline.store.db.crm`, the HTTP side in `hotline.api.routers.crm`. See docs/crm.md.
"""

from hotline.crm.config import CrmConfig, HintRule, load_crm_config
from hotline.crm.directory import AccountLookup, CachedDirectory, CachedVerifier, Credentials
from hotline.crm.errors import (
    CrmError,
    ImportFileError,
    ListChangeError,
    PasswordError,
    UnknownCustomerError,
)
from hotline.crm.hints import Hint, hint_fields, hints_for
from hotline.crm.importer import CustomerRecord, ImportReport, ImportSink, RowProblem, run_import
from hotline.crm.lists import ListChange, check_list_change
from hotline.crm.model import (
    AccountFacts,
    Consumption,
    CustomerType,
    LifecycleStage,
    ListStatus,
    Profile,
)
from hotline.crm.passwords import hash_query_password, verify_query_password
from hotline.crm.scoring import TierScore, lifecycle_stage, score_tier, tier_of

__all__ = [
    "AccountFacts",
    "AccountLookup",
    "CachedDirectory",
    "CachedVerifier",
    "Consumption",
    "Credentials",
    "CrmConfig",
    "CrmError",
    "CustomerRecord",
    "CustomerType",
    "Hint",
    "HintRule",
    "ImportFileError",
    "ImportReport",
    "ImportSink",
    "LifecycleStage",
    "ListChange",
    "ListChangeError",
    "ListStatus",
    "PasswordError",
    "Profile",
    "RowProblem",
    "TierScore",
    "UnknownCustomerError",
    "check_list_change",
    "hash_query_password",
    "hint_fields",
    "hints_for",
    "lifecycle_stage",
    "load_crm_config",
    "run_import",
    "score_tier",
    "tier_of",
    "verify_query_password",
]
