"""API tokens for scripts: POST /api/v1/auth/token/ (username + password) gives a token that expires
(settings.REST_KNOX TOKEN_TTL) and replaces the account's previous ones; DELETE revokes the token in use."""
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.auth import TokenAuthentication
from knox.models import get_token_model
from knox.views import LoginView
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from geo_backend.common.errors import DomainError
from geo_backend.web.signin import LOCKED_OUT_EN, LOCKED_OUT_FR

from .schema import ApiAutoSchema
from .throttles import SignInRateThrottle
from .views import PARSERS


class TokenView(LoginView):
    # Only tokens authenticate here (no session, so no CSRF question): the password is checked by
    # django.contrib.auth.authenticate(request=...) inside AuthTokenSerializer, so django-axes counts and locks these
    # attempts exactly like the site's and the admin's.
    authentication_classes = (TokenAuthentication,)
    parser_classes = PARSERS
    schema = ApiAutoSchema()

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else [AllowAny()]

    def get_throttles(self):
        return [SignInRateThrottle()] if self.request.method == "POST" else super().get_throttles()

    @extend_schema(
        request=AuthTokenSerializer,
        responses=inline_serializer("ApiToken", {"token": serializers.CharField(),
                                                 "expiry": serializers.DateTimeField()}),
        description="Un jeton qui expire ; une nouvelle demande remplace les précédents. / A token that expires; a "
                    "new request replaces the previous ones. Send it as `Authorization: Token <token>`.",
    )
    def post(self, request, format=None):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):
                raise DomainError("locked_out", LOCKED_OUT_FR, LOCKED_OUT_EN, status_code=429)
            raise DomainError("invalid_credentials", "Identifiant ou mot de passe incorrect.",
                              "Wrong username or password.", status_code=400)
        request.user = serializer.validated_data["user"]
        with transaction.atomic():
            # Rotation: signing in again ends the account's earlier tokens.
            get_token_model().objects.filter(user=request.user).delete()
            return super().post(request, format=format)

    @extend_schema(request=None, responses={204: None}, description="Révoque le jeton utilisé. / Revokes the token "
                                                                    "used.")
    def delete(self, request, format=None):
        request.auth.delete()
        user_logged_out.send(sender=request.user.__class__, request=request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
