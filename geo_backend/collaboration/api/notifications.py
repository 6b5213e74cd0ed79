"""API of a person's own notifications: the list (unread first if asked), marking read, and the e-mail setting."""
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from geo_backend.api.helpers import StrictSerializer, audience, validated
from geo_backend.api.query import PageParameters
from geo_backend.api.views import ApiView
from geo_backend.organisations.access import require_signed_in

from ..selectors import notifications as selectors
from ..services import notifications as services
from .common import paged_response
from .serializers import MarkedOutput, NotificationPage, PreferenceOutput


class NotificationParams(PageParameters):
    unread = serializers.BooleanField(required=False, allow_null=True, default=None)


class ReadInput(StrictSerializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=1000)


class PreferenceInput(StrictSerializer):
    email_enabled = serializers.BooleanField(required=False)
    language = serializers.ChoiceField(choices=["fr", "en"], required=False)


class NotificationListView(ApiView):
    query_serializer = NotificationParams

    @extend_schema(operation_id="notifications_list", responses=NotificationPage)
    def get(self, request):
        params = self.params
        who = audience(request)
        require_signed_in(who)
        queryset = selectors.notifications_of(who, unread=params["unread"])
        response = paged_response(request, queryset, params, selectors.notification_as_dict)
        response.data["unread"] = selectors.unread_count(who)
        return response


class NotificationReadView(ApiView):
    @extend_schema(operation_id="notifications_read", request=ReadInput, responses=MarkedOutput,
                   summary="Mark some (ids) or all of one's notifications read")
    def post(self, request):
        data = validated(ReadInput, request.data)
        marked = services.notification_mark_read(audience=audience(request), notification_ids=data.get("ids"))
        return Response({"marked": marked, "unread": selectors.unread_count(audience(request))})


class NotificationPreferenceView(ApiView):
    @extend_schema(operation_id="notifications_preferences", responses=PreferenceOutput)
    def get(self, request):
        who = audience(request)
        require_signed_in(who)
        return Response(selectors.preference_as_dict(who))

    @extend_schema(operation_id="notifications_preferences_update", request=PreferenceInput,
                   responses=PreferenceOutput)
    def put(self, request):
        data = validated(PreferenceInput, request.data)
        services.notification_preference_set(audience=audience(request), **data)
        return Response(selectors.preference_as_dict(audience(request)))
