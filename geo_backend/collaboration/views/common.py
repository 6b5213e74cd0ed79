"""What the collaboration pages share: the person asking, refusals shown in their language, version fields."""
from django.contrib import messages
from django.http import Http404

from geo_backend.common.errors import DomainError
from geo_backend.organisations.access import Audience, audience_for, organisations_spoken_for_q
from geo_backend.organisations.models import Organisation


def who(request) -> Audience:
    return audience_for(request.user)


def refusal(request, error: DomainError) -> str:
    """A service's refusal in the reader's language."""
    return error.message_en if getattr(request, "LANGUAGE_CODE", "fr") == "en" else error.message_fr


def show_refusal(request, error: DomainError) -> None:
    messages.error(request, refusal(request, error))


def posted_version(request) -> int:
    """The version the form was built from; a form without one is a stale or forged page (404 keeps it short)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise Http404 from None


def organisations_spoken_for(audience: Audience):
    """The organisations this person speaks for, for "in the name of" choices (rule: organisations/access/)."""
    return Organisation.objects.filter(organisations_spoken_for_q(audience)).order_by("name")
