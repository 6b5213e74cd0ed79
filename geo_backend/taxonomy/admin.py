from django.contrib import admin

from .models import ActionKind, Funder, TargetGroup, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["code", "label_fr", "label_en", "parent", "dac_codes", "is_active"]
    list_filter = ["parent", "is_active"]
    search_fields = ["code", "label_fr", "label_en"]


@admin.register(ActionKind, TargetGroup)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["code", "label_fr", "label_en", "is_active"]


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "is_demo"]
    search_fields = ["name", "acronym"]
