"""Who may see and do what. `visible_to` is the one function that scopes reads.

Visibility of a supervision row (a `SupervisedModel`, or a model that declares the same attributes):
- government people (zone administration and departments, in a government role) see public and
  internal rows, confidential rows their own organisation owns, and confidential rows covered by a live
  access grant (issue 3; `ftzsafety.security` — one correlated EXISTS subquery, not a query per row);
- enterprise people see the rows about their own enterprise, whatever the classification;
- associations, agencies, experts and external partners see public rows only;
- platform administrators (三员) see no business data at all;
- anyone else, or an inactive account, sees nothing.

Models that are not supervision data register their own rule with `register_scope`.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Model, Q, QuerySet

from ftzsafety.core.errors import NotFound, PermissionDenied
from ftzsafety.core.models import Classification

ScopeRule = Callable[[Any, QuerySet], QuerySet]
_rules: dict[type[Model], ScopeRule] = {}


def register_scope(model: type[Model]) -> Callable[[ScopeRule], ScopeRule]:
    """Declare how `model` is scoped, for models that are not SupervisedModels (e.g. organisations)."""

    def decorator(rule: ScopeRule) -> ScopeRule:
        _rules[model] = rule
        return rule

    return decorator


def _is_signed_in(actor: Any) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active)


def _granted_confidential(actor: Any, model: type[Model]) -> Q:
    """Confidential rows of `model` that a live access grant of `actor` covers (security.selectors)."""
    from ftzsafety.security.selectors import live_grant_exists

    return Q(classification=Classification.CONFIDENTIAL) & Q(live_grant_exists(actor, model))


def _supervised_rule(actor: Any, qs: QuerySet) -> QuerySet:
    model = qs.model
    if actor.is_platform_admin or actor.organisation_id is None:
        return qs.none()
    if actor.is_government:
        return qs.filter(
            Q(classification__in=[Classification.PUBLIC, Classification.INTERNAL])
            | Q(owner_id=actor.organisation_id)
            | _granted_confidential(actor, model)
        )
    if actor.is_enterprise_user:
        path = model.authz_enterprise_path
        if path is None:
            return qs.filter(owner_id=actor.organisation_id)
        return qs.filter(Q(**{path: actor.organisation_id}) | Q(owner_id=actor.organisation_id))
    if actor.role_names:
        return qs.filter(classification=Classification.PUBLIC)
    return qs.none()


def visible_to(actor: Any, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` that `actor` may read."""
    if not _is_signed_in(actor):
        return queryset.none()
    rule = _rules.get(queryset.model)
    if rule is not None:
        return rule(actor, queryset)
    if hasattr(queryset.model, "authz_enterprise_path"):
        return _supervised_rule(actor, queryset)
    raise LookupError(f"no visibility rule for {queryset.model._meta.label}; declare one with register_scope")


def get_visible(actor: Any, queryset: QuerySet, **lookup: Any) -> Model:
    """One visible row or NotFound — a row you may not see does not exist for you."""
    try:
        return visible_to(actor, queryset).get(**lookup)
    except queryset.model.DoesNotExist:
        raise NotFound(str(_not_found_message(queryset.model))) from None


def _not_found_message(model: type[Model]) -> str:
    from django.utils.translation import gettext

    return gettext("%(thing)s not found.") % {"thing": str(model._meta.verbose_name).capitalize()}


def has_perm(actor: Any, permission: str, obj: Any = None) -> bool:
    """Role permission, plus the object rule: enterprise people act only on their own enterprise's rows."""
    if not _is_signed_in(actor) or not actor.has_perm(permission):
        return False
    if obj is not None and actor.is_enterprise_user:
        path = getattr(type(obj), "authz_enterprise_path", None)
        if path is None:
            return getattr(obj, "owner_id", None) == actor.organisation_id
        return type(obj)._default_manager.filter(pk=obj.pk, **{path: actor.organisation_id}).exists()
    return True


def require(actor: Any, permission: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless `actor` holds `permission` (on `obj`, when given)."""
    if not has_perm(actor, permission, obj):
        from django.utils.translation import gettext

        raise PermissionDenied(gettext("You do not have permission to do this."), extra={"permission": permission})
