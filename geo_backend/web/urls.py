from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from geo_backend.exchange.views import import_page

from .views import accounts, espace, pages, pwa

app_name = "web"
urlpatterns = [
    path("", pages.home, name="home"),
    path("organisations/", pages.directory, name="directory"),
    path("organisations/<slug:slug>/", pages.profile, name="profile"),
    path("a-propos/", pages.about, name="about"),
    path("hors-ligne/", pwa.offline, name="offline"),
    # Accounts
    path("comptes/connexion/", accounts.SignInView.as_view(), name="login"),
    path("comptes/deconnexion/", accounts.SignOutView.as_view(), name="logout"),
    path("comptes/mot-de-passe/", auth_views.PasswordResetView.as_view(
        template_name="web/password_reset.html", email_template_name="web/password_reset_email.txt",
        success_url=reverse_lazy("web:password_reset_done")), name="password_reset"),
    path("comptes/mot-de-passe/envoye/", auth_views.PasswordResetDoneView.as_view(
        template_name="web/password_reset_done.html"), name="password_reset_done"),
    path("comptes/mot-de-passe/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="web/password_reset_confirm.html", success_url=reverse_lazy("web:login")),
        name="password_reset_confirm"),
    # Signed-in space
    path("espace/", espace.espace, name="espace"),
    path("espace/interventions/nouvelle/", espace.editor, name="editor-new"),
    path("espace/interventions/<int:pk>/", espace.editor, name="editor"),
    path("espace/validation/", espace.queue, name="queue"),
    path("espace/validation/<int:pk>/", espace.queue_decide, name="queue-decide"),
    path("espace/import/", import_page, name="import"),
]
