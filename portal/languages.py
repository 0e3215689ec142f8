"""The language a person reads: chosen with the switcher, or said by the identity
provider at single sign-on. Stored (core.models.Preference) so that e-mail reaches each
person in their language, whoever caused it (core.notifications.notify)."""

from django.contrib.auth.decorators import login_not_required
from django.utils.translation import check_for_language, get_supported_language_variant
from django.views import i18n

from core.models import Preference


def supported_language(code):
    """The portal's language for a language tag such as "sv-SE" or "en_GB"; None when
    the portal has none for it."""
    if not isinstance(code, str) or not code.strip():
        return None
    try:
        return get_supported_language_variant(code.strip().replace("_", "-").lower())
    except LookupError:
        return None


@login_not_required  # anyone may choose a language, on the login page too
def set_language(request):
    """Django's set_language, remembering the choice for a signed-in person."""
    response = i18n.set_language(request)
    language = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER)
    if request.user.is_authenticated and language and check_for_language(language):
        Preference.choose_language(request.user, supported_language(language))
    return response


def remember_identity_provider_language(user, claims):
    """Takes the ``locale`` claim of an OpenID Connect sign-in as the person's language,
    unless they chose one in the portal."""
    language = supported_language(claims.get("locale"))
    if language and user.pk:
        Preference.language_from_identity_provider(user, language)
