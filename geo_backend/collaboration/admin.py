"""Administration of the questionnaire (data: dimensions and versioned questions) and a read view of
partnerships and trainings. Mentoring pairs and self-assessment scores are deliberately not here: their names and
scores are for the network's coordinators and the organisation only (organisations/access/)."""
from django.contrib import admin, messages

from geo_backend.common.errors import DomainError
from geo_backend.organisations.access import audience_for

from .models import Dimension, Partnership, Question, QuestionnaireVersion, Training
from .services import assessments as assessment_services


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["code", "label_fr", "label_en", "position", "is_active"]
    list_editable = ["position", "is_active"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["dimension", "position", "text_fr", "text_en"]

    def has_add_permission(self, request, obj=None):
        return obj is None or not obj.is_frozen

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_frozen

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_frozen


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):
    """A published version is frozen (the assessments made with it keep their meaning): to change the
    questionnaire, copy the current version into a draft, change the draft, then publish it."""

    list_display = ["number", "title", "status", "published_at"]
    readonly_fields = ["number", "status", "published_at"]
    inlines = [QuestionInline]
    actions = ["copy_to_draft", "publish"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or not obj.is_frozen
                                                                or request.method == "GET")

    def save_model(self, request, obj, form, change):
        if not change:
            from django.db.models import Max

            obj.number = (QuestionnaireVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
        super().save_model(request, obj, form, change)

    @admin.action(description="Copier dans un nouveau brouillon")
    def copy_to_draft(self, request, queryset):
        for version in queryset:
            draft = assessment_services.questionnaire_version_copy(audience=audience_for(request.user), source=version)
            self.message_user(request, f"Brouillon v{draft.number} créé à partir de v{version.number}.")

    @admin.action(description="Publier le brouillon")
    def publish(self, request, queryset):
        for version in queryset:
            try:
                assessment_services.questionnaire_version_publish(audience=audience_for(request.user),
                                                                  version=version)
            except DomainError as error:
                self.message_user(request, f"v{version.number} : {error.message_fr}", level=messages.ERROR)
            else:
                self.message_user(request, f"v{version.number} publiée.")


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["proposer", "partner", "role", "status", "since", "is_demo"]
    list_filter = ["status", "role", "is_demo"]
    readonly_fields = ["version", "proposed_by", "decided_by", "decided_at"]
    raw_id_fields = ["proposer", "partner", "areas"]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "trainer_organisation", "start_date", "end_date", "seats", "status", "is_demo"]
    list_filter = ["status", "format", "is_demo"]
    raw_id_fields = ["trainer_organisation", "network", "locality"]
    readonly_fields = ["version"]
