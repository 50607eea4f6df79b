"""What every page's header needs to know about the visitor."""

from django.utils.functional import SimpleLazyObject


def household(request):
    """`is_member`: may this login see the house (the menu shows only where it may go). Lazy,
    and the answer is kept on the user for the request (household.roles.is_household_member)."""
    from household.roles import is_household_member

    return {"is_member": SimpleLazyObject(lambda: is_household_member(request.user))}
